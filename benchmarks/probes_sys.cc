// Probe_sys_*: the cheapest kernel entries. getpid through syscall(2) (glibc no longer caches
// it, and syscall() never does); the clocks once through the vDSO (no kernel entry on Linux,
// a real one where the vDSO is missing or falls back) and once as raw syscalls.
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"

namespace ocibench::bench::probes {
namespace {

void GetpidRaw(benchmark::State& state) {
  RusageMeter meter;
  for (auto _ : state) {
    if (syscall(SYS_getpid) < 0) {
      SkipErrno(state, "syscall(SYS_getpid)");
      break;
    }
  }
  meter.Report(state);
}

void ClockGettime(benchmark::State& state, bool raw) {
  RusageMeter meter;
  timespec ts;
  for (auto _ : state) {
    int r = raw ? static_cast<int>(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
                : clock_gettime(CLOCK_MONOTONIC, &ts);
    if (r != 0) {
      SkipErrno(state, raw ? "syscall(SYS_clock_gettime)" : "clock_gettime");
      break;
    }
    benchmark::DoNotOptimize(ts);
  }
  meter.Report(state);
}

void Gettimeofday(benchmark::State& state, bool raw) {
  RusageMeter meter;
  timeval tv;
  for (auto _ : state) {
    int r = raw ? static_cast<int>(syscall(SYS_gettimeofday, &tv, nullptr))
                : gettimeofday(&tv, nullptr);
    if (r != 0) {
      SkipErrno(state, raw ? "syscall(SYS_gettimeofday)" : "gettimeofday");
      break;
    }
    benchmark::DoNotOptimize(tv);
  }
  meter.Report(state);
}

void Register() {
  AddProbe("Probe_sys_getpid_raw", kDefaultMinTime, GetpidRaw);
  AddProbe("Probe_sys_clock_gettime_vdso", kDefaultMinTime, ClockGettime, false);
  AddProbe("Probe_sys_clock_gettime_raw", kDefaultMinTime, ClockGettime, true);
  AddProbe("Probe_sys_gettimeofday_vdso", kDefaultMinTime, Gettimeofday, false);
  AddProbe("Probe_sys_gettimeofday_raw", kDefaultMinTime, Gettimeofday, true);
}

}  // namespace

OCIBENCH_MODULE(probes_sys, nullptr, Register);

}  // namespace ocibench::bench::probes
