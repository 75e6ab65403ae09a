// The --fixed_iterations flag (fixed_iterations.h).
#include "benchmarks/fixed_iterations.h"

#include "benchmarks/registry.h"

namespace ocibench::bench {
namespace {

long g_fixed = 0;

void AddFlags(CLI::App& app) {
  app.add_option("--fixed_iterations", g_fixed,
                 "run every benchmark exactly N iterations, no calibration (probes, LZMA, HTTP, "
                 "apps; Redis counts requests: --redis_requests); for a tracer's counts per "
                 "iteration, docs/profile.md; 0 = timed")
      ->check(CLI::Range(0L, 100000000L));
}

}  // namespace

long FixedIterations() { return g_fixed; }

benchmark::internal::Benchmark* Fixed(benchmark::internal::Benchmark* b) {
  if (g_fixed > 0) b->Iterations(static_cast<benchmark::IterationCount>(g_fixed));
  return b;
}

OCIBENCH_MODULE(fixed_iterations, AddFlags, [] {});

}  // namespace ocibench::bench
