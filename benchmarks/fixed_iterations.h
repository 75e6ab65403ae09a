// --fixed_iterations=N: every benchmark that can runs exactly N iterations with no calibration,
// so a tracer's counts at two values of N give calls per iteration (the profiling pass, the
// server profiles; docs/profile.md). 0 (default): Google Benchmark decides.
#pragma once

#include <benchmark/benchmark.h>

namespace ocibench::bench {

// --fixed_iterations (0 = timed).
long FixedIterations();

// `b` with Iterations(N) when --fixed_iterations is given (it wins over MinTime and a module's
// own pass counts); `b` unchanged otherwise.
benchmark::internal::Benchmark* Fixed(benchmark::internal::Benchmark* b);

}  // namespace ocibench::bench
