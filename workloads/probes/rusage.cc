#include "workloads/probes/rusage.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

namespace ocibench::probes {
namespace {

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

double CpuNow() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

Usage GetUsage(int who) {
  rusage ru{};
  Usage u;
  if (getrusage(who, &ru) != 0) return u;
  u.utime_s = Seconds(ru.ru_utime);
  u.stime_s = Seconds(ru.ru_stime);
  u.minflt = ru.ru_minflt;
  u.majflt = ru.ru_majflt;
  u.nvcsw = ru.ru_nvcsw;
  u.nivcsw = ru.ru_nivcsw;
  return u;
}

Usage operator-(const Usage& a, const Usage& b) {
  Usage d;
  d.utime_s = a.utime_s - b.utime_s;
  d.stime_s = a.stime_s - b.stime_s;
  d.minflt = a.minflt - b.minflt;
  d.majflt = a.majflt - b.majflt;
  d.nvcsw = a.nvcsw - b.nvcsw;
  d.nivcsw = a.nivcsw - b.nivcsw;
  return d;
}

UsageFields DetectUsageFields() {
  UsageFields f;
  Usage before = GetUsage(RUSAGE_SELF);

  // 64 fresh anonymous pages: each first touch is a minor fault on Linux.
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t len = 64 * page;
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p != MAP_FAILED) {
    for (size_t off = 0; off < len; off += page) static_cast<volatile char*>(p)[off] = 1;
    munmap(p, len);
  }
  // Sleeping blocks the thread: a voluntary context switch.
  timespec ms{0, 1000000};
  nanosleep(&ms, nullptr);
  // Busy CPU well above the 1-4 ms accounting tick. The clock is read every 2^20 spins (~1 ms),
  // not every spin: a read is a system call, and a number of them that depends on timing would
  // be noise in the profiling pass's per-iteration counts (docs/profile.md).
  const double start = CpuNow();
  volatile unsigned long spin = 0;
  while (CpuNow() - start < 0.02)
    for (int i = 0; i < (1 << 20); ++i) spin = spin + 1;

  Usage after = GetUsage(RUSAGE_SELF);
  Usage d = after - before;
  f.minflt = d.minflt > 0;
  f.nvcsw = d.nvcsw > 0;
  f.cpu_time = d.utime_s + d.stime_s > 0;
  f.majflt = after.majflt > 0 || f.minflt;
  f.nivcsw = after.nivcsw > 0 || f.minflt;
  return f;
}

std::string AbsentFieldNames(const UsageFields& f) {
  std::string out;
  auto add = [&](bool present, const char* name) {
    if (present) return;
    if (!out.empty()) out += ',';
    out += name;
  };
  add(f.cpu_time, "utime,stime");
  add(f.minflt, "minflt");
  add(f.majflt, "majflt");
  add(f.nvcsw, "nvcsw");
  add(f.nivcsw, "nivcsw");
  return out;
}

}  // namespace ocibench::probes
