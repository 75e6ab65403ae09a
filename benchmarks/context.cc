#include "benchmarks/context.h"

#include <benchmark/benchmark.h>
#include <sched.h>

#include "workloads/lzma/codec.h"
#include "workloads/sysinfo/where.h"

#ifndef OCIBENCH_VERSION
#define OCIBENCH_VERSION "unknown"
#endif

namespace ocibench::bench {

std::string BuildVersion() {
  return std::string(OCIBENCH_VERSION) + " (LZMA SDK " + lzma::CodecVersion(lzma::CodecKind::kSdk) +
         ", liblzma " + lzma::CodecVersion(lzma::CodecKind::kXz) + ")";
}

void AddBuildContext() {
  benchmark::AddCustomContext("ocibench_version", OCIBENCH_VERSION);
  benchmark::AddCustomContext("lzma_sdk_version", lzma::CodecVersion(lzma::CodecKind::kSdk));
  benchmark::AddCustomContext("liblzma_version", lzma::CodecVersion(lzma::CodecKind::kXz));
  // CPUs this process may run on: what a container's cpuset gives it (the quota does not
  // show here; Google Benchmark's num_cpus is the machine's count).
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    benchmark::AddCustomContext("affinity_cpus", std::to_string(CPU_COUNT(&set)));
#if defined(__x86_64__)
  benchmark::AddCustomContext("arch", "amd64");
#elif defined(__aarch64__)
  benchmark::AddCustomContext("arch", "arm64");
#else
  benchmark::AddCustomContext("arch", "other");
#endif
  AddWhereContext();
}

void AddWhereContext() {
  std::string unreadable;
  for (const auto& [name, reading] : sysinfo::ReadAll()) {
    if (reading.ok())
      benchmark::AddCustomContext(name, reading.value);
    else
      unreadable += (unreadable.empty() ? "" : "; ") + name + ": " + reading.reason;
  }
  benchmark::AddCustomContext("where_unreadable", unreadable.empty() ? "none" : unreadable);
}

}  // namespace ocibench::bench
