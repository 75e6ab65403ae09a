// What every probe family (benchmarks/probes_*.cc) shares: the scratch directory, the per-op
// getrusage counters, error reporting and the run-time knobs. See docs/probes.md.
#pragma once

#include <benchmark/benchmark.h>

#include <exception>
#include <functional>
#include <string>
#include <utility>

#include "workloads/probes/rusage.h"
#include "workloads/probes/scratch.h"

namespace ocibench::bench::probes {

// The run's scratch directory, made on first use under --probes_scratch / OCIBENCH_SCRATCH /
// $TMPDIR and removed with its contents when the binary exits. Throws std::system_error.
const std::string& ScratchPath();

// A directory ScratchPath()/<name> made and filled once per process by `fill` and kept until
// exit, for fixtures too costly to remake on each of Google Benchmark's calls (2000 files in
// a sandbox take seconds). If `fill` throws, the directory is removed and the error passed on.
const std::string& FixtureDir(const std::string& name,
                              const std::function<void(const std::string&)>& fill);

// getrusage deltas over a benchmark loop as per-op counters (kAvgIterations):
// ctxsw_vol, ctxsw_invol, minflt, majflt, utime_s, stime_s; with `children`, also child_*
// from RUSAGE_CHILDREN (children waited for during the loop). A field the kernel does not
// fill in (DetectUsageFields at start-up) gets no counter at all: absent, never a fake 0.
class RusageMeter {
 public:
  explicit RusageMeter(bool children = false);
  // Call right after the loop.
  void Report(benchmark::State& state) const;

 private:
  bool children_;
  ocibench::probes::Usage self_, child_;
};

// SkipWithError("<call>: <strerror(errno)>"); errno is read first.
void SkipErrno(benchmark::State& state, const std::string& call);

// --probes_min_time if given, else `dflt` (seconds).
double MinTime(double dflt);
// --probes_pathlib_iterations (0 = let Google Benchmark decide).
int PathlibIterations();
// --probes_iterations, else --fixed_iterations: every probe's exact iteration count (0 = let
// Google Benchmark decide).
int ProbeIterations();

}  // namespace ocibench::bench::probes

namespace ocibench::bench::probes {

constexpr double kDefaultMinTime = 0.2;  // seconds; keeps the whole set well under 90 s

// Registers fn(state, args...) as a probe: real time, b->MinTime(MinTime(min_time)) unless
// min_time is 0. An exception out of the probe becomes SkipWithError(e.what())
// (std::system_error's what() already names the call and errno text); the others still run.
template <class Fn, class... Args>
benchmark::internal::Benchmark* AddProbe(const std::string& name, double min_time, Fn&& fn,
                                         Args&&... args) {
  auto guarded = [fn = std::forward<Fn>(fn),
                  ... args = std::forward<Args>(args)](benchmark::State& state) {
    try {
      fn(state, args...);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  };
  auto* b = benchmark::RegisterBenchmark(name.c_str(), std::move(guarded));
  b->UseRealTime();
  if (min_time > 0) b->MinTime(MinTime(min_time));
  if (ProbeIterations() > 0) b->Iterations(ProbeIterations());  // wins over MinTime
  return b;
}

}  // namespace ocibench::bench::probes
