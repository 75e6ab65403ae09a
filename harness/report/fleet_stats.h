// Between-host statistics: one benchmark's series on two hosts (the machines' difference) and
// the difference of a runtime's cost between hosts (its ratio to each host's own native,
// divided), each with a seeded percentile-bootstrap confidence interval.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/stats.h"

namespace ocibench::report {

// `other` vs `ref` (the same benchmark and runtime on two hosts): CompareSeries with the gates
// and the minimum detectable effect applied as Analyze applies them to a runtime vs native.
VsBaseline CompareAcrossHosts(const SeriesStats& ref, const SeriesStats& other,
                              const AnalysisOptions& options);

// How a runtime's cost differs between host A and host B: the speed ratio runtime/native on B
// divided by the one on A (> 1: the runtime loses less of its host's native speed on B).
struct OverheadDifference {
  double ratio = 1;
  Interval ci;           // percentile bootstrap, the four samples resampled independently
  bool differs = false;  // the CI excludes 1
};
// Throws std::invalid_argument on an empty sample or resamples < 10.
OverheadDifference CompareOverheads(const std::vector<double>& native_a,
                                    const std::vector<double>& runtime_a,
                                    const std::vector<double>& native_b,
                                    const std::vector<double>& runtime_b, Direction d,
                                    std::uint64_t seed, int resamples = 2000, double level = 0.95);

}  // namespace ocibench::report
