// LZMA compression and decompression as `7z b` runs them, reported with 7-Zip's ratings.
//
// Names: LZMA_Compress/<codec>/dict:<log2>[/real_time/threads:<n>], codec "sdk" (LZMA SDK) or
// "xz" (liblzma). The single-stream benchmarks match `7zz b -mmt1`; the _MT family runs one
// independent stream per thread (threads 1..CPUs in this process's affinity mask).
#include <benchmark/benchmark.h>
#include <sched.h>

#include <ctime>
#include <string>

#include "benchmarks/fixed_iterations.h"
#include "benchmarks/registry.h"
#include "workloads/lzma/bench_data.h"
#include "workloads/lzma/bench_job.h"
#include "workloads/lzma/rating.h"

namespace ocibench::bench {
namespace {

using lzma::BenchJob;
using lzma::CodecKind;

int g_passes = 0;  // --lzma_passes; 0 = 7-Zip's own pass counts

double Now(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall and whole-process CPU seconds over a benchmark loop. Started inside the loop, after
// Google Benchmark's start barrier, so every thread measures the same concurrent interval.
class Meter {
 public:
  void StartOnce() {
    if (started_) return;
    started_ = true;
    wall_ = Now(CLOCK_MONOTONIC);
    cpu_ = Now(CLOCK_PROCESS_CPUTIME_ID);
  }
  double wall() const { return Now(CLOCK_MONOTONIC) - wall_; }
  double cpu() const { return Now(CLOCK_PROCESS_CPUTIME_ID) - cpu_; }

 private:
  bool started_ = false;
  double wall_ = 0, cpu_ = 0;
};

// Counters named after `7z b`'s columns. Each thread reports its own stream; Google Benchmark
// sums counters over threads, so ratings add up to the process's rating. Usage (process CPU /
// wall, 100% = one busy thread) is the same for every thread and is averaged instead; summing
// each thread's rating/usage gives the process's R/U.
void SetCounters(benchmark::State& state, double rating, std::uint64_t unpacked, double wall,
                 double cpu, double pack_ratio) {
  using benchmark::Counter;
  const double usage = wall > 0 ? cpu / wall : 0;
  state.counters["rating_MIPS"] = rating / 1e6;
  state.counters["speed_KiBps"] = static_cast<double>(unpacked) / wall / 1024;
  state.counters["usage_pct"] = Counter(usage * 100, Counter::kAvgThreads);
  state.counters["ru_MIPS"] = usage > 0 ? rating / usage / 1e6 : 0;
  state.counters["pack_ratio"] = Counter(pack_ratio, Counter::kAvgThreads);
  state.SetBytesProcessed(static_cast<std::int64_t>(unpacked));
}

void Compress(benchmark::State& state, CodecKind kind, unsigned dict_log) {
  try {
    BenchJob job(kind, dict_log, static_cast<unsigned>(state.thread_index()));
    Meter meter;
    std::uint64_t unpacked = 0;
    for (auto _ : state) {
      meter.StartOnce();
      job.CompressPass();
      unpacked += job.unpacked_size();
    }
    const double wall = meter.wall(), cpu = meter.cpu();
    SetCounters(state, lzma::CompressRating(job.dict_size(), unpacked, wall), unpacked, wall, cpu,
                static_cast<double>(job.packed_size()) / static_cast<double>(job.unpacked_size()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

void Decompress(benchmark::State& state, CodecKind kind, unsigned dict_log) {
  try {
    BenchJob job(kind, dict_log, static_cast<unsigned>(state.thread_index()));
    job.PreparePacked();  // untimed: compress once to have something to decode
    Meter meter;
    std::uint64_t unpacked = 0, packed = 0;
    for (auto _ : state) {
      meter.StartOnce();
      job.DecompressPass();
      unpacked += job.unpacked_size();
      packed += job.packed_size();
    }
    const double wall = meter.wall(), cpu = meter.cpu();
    SetCounters(state, lzma::DecompressRating(packed, unpacked, wall), unpacked, wall, cpu,
                static_cast<double>(job.packed_size()) / static_cast<double>(job.unpacked_size()));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

int AffinityCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

void AddFlags(CLI::App& app) {
  app.add_option("--lzma_passes", g_passes,
                 "LZMA: passes per benchmark run. 0 (default): 7-Zip's own counts for "
                 "compression (3 at 2^22, 1 above) and Google Benchmark's --benchmark_min_time "
                 "for decompression; N: exactly N passes of each")
      ->check(CLI::Range(0, 1000000));
}

void Register() {
  const int cpus = AffinityCpus();
  for (CodecKind kind : {CodecKind::kSdk, CodecKind::kXz}) {
    const std::string codec = lzma::CodecName(kind);
    for (unsigned d = 22; d <= 25; d++) {
      const std::string suffix = "/" + codec + "/dict:" + std::to_string(d);
      const auto passes = g_passes > 0 ? static_cast<benchmark::IterationCount>(g_passes)
                                       : static_cast<benchmark::IterationCount>(
                                             lzma::CompressPasses(lzma::BenchBufferSize(d)));
      auto* c = benchmark::RegisterBenchmark(("LZMA_Compress" + suffix).c_str(), Compress, kind, d);
      auto* x =
          benchmark::RegisterBenchmark(("LZMA_Decompress" + suffix).c_str(), Decompress, kind, d);
      auto* cm =
          benchmark::RegisterBenchmark(("LZMA_Compress_MT" + suffix).c_str(), Compress, kind, d);
      auto* xm = benchmark::RegisterBenchmark(("LZMA_Decompress_MT" + suffix).c_str(), Decompress,
                                              kind, d);
      for (auto* b : {c, x, cm, xm})
        b->UseRealTime()->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
      c->Iterations(passes);
      cm->Iterations(passes);
      if (g_passes > 0) {
        x->Iterations(g_passes);
        xm->Iterations(g_passes);
      }
      for (auto* b : {c, x, cm, xm}) Fixed(b);  // --fixed_iterations wins over the passes
      cm->DenseThreadRange(1, cpus);
      xm->DenseThreadRange(1, cpus);
    }
  }
}

}  // namespace

OCIBENCH_MODULE(lzma, AddFlags, Register);

}  // namespace ocibench::bench
