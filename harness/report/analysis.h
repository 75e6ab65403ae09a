// Per benchmark and runtime: location, spread, and the comparison with the baseline runtime
// (native) — direction-aware speed ratio, bootstrap CI and Mann–Whitney significance, gated by
// the multimodality and noise rules, and the smallest ratio the run could resolve.
#pragma once

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/results.h"
#include "harness/report/stats.h"

namespace ocibench::report {

// The repetitions of one benchmark in one runtime.
struct Series {
  std::string group, name, runtime, metric, unit;
  Direction direction = Direction::kLowerIsBetter;
  std::vector<double> values;                           // primary metric, one per repetition
  std::map<std::string, std::vector<double>> counters;  // every user counter, per repetition
};

struct VsBaseline {
  double speed = 1;          // SpeedRatio of the medians: > 1 better than baseline, < 1 worse
  Interval speed_ci;         // bootstrap 95 % CI of `speed`
  double p = 1;              // Mann–Whitney U two-sided p-value
  bool significant = false;  // significant_before_gates and none of the gates below
  bool significant_before_gates = false;  // p < alpha and the CI excludes 1
  // Gates (Analyze sets them; CompareSeries leaves them false): a multimodal series on either
  // side, or a CV above AnalysisOptions::cv_max on either side, is never significant.
  bool multimodal = false;       // this runtime's series
  bool base_multimodal = false;  // the baseline's series
  bool too_noisy = false;
  // Minimum detectable effect on ln(speed) (MinDetectableLogRatio); the band the run cannot
  // resolve is [exp(−mde), exp(mde)]. Infinite when the repetitions cannot resolve anything.
  double mde = std::numeric_limits<double>::infinity();
  bool AnyMultimodal() const { return multimodal || base_multimodal; }
  bool BelowResolution() const { return std::fabs(std::log(speed)) < mde; }
};

// The words the report uses wherever a difference is smaller than the run's minimum detectable
// effect (benchmarks, summary tables, hotspots).
inline constexpr const char* kBelowResolution = "below what this run can resolve";

// The verdict shown beside a ratio: "slower" / "faster" (significant; ", below what this run can
// resolve" when |ln speed| < mde), "no difference this run can resolve" (CI inside the band),
// "cannot tell on this host" (CI straddles the band), with "multimodal: " or "too noisy: "
// before it when a gate held the verdict back.
std::string VerdictText(const VsBaseline& v);

// "±12%": the band half-width exp(mde) − 1; "any" when infinite.
std::string MdeText(double mde);

struct SeriesStats {
  Series series;
  double median = 0, q1 = 0, q3 = 0, min = 0, max = 0, cv = 0;
  bool multimodal = false;                // IsMultimodal(values, options.modality)
  std::optional<VsBaseline> vs_baseline;  // absent for the baseline itself or without its data
};

struct AnalysisOptions {
  std::string baseline = "native";
  std::uint64_t seed = 42;
  int resamples = 2000;
  double alpha = 0.05;
  double cv_warn = 0.05;  // CV above this gets a warning
  double cv_max = 0.25;   // CV above this: never significant (docs/report.md)
  ModalityRule modality;  // the gap test (stats.h)
  double power = 0.8;     // of the minimum detectable effect
};

struct Analysis {
  AnalysisOptions options;
  std::vector<std::string> runtimes;  // in run.json order; the baseline first
  std::vector<std::string> groups;
  std::vector<SeriesStats> rows;  // ordered by group, benchmark, runtime
  const SeriesStats* Find(const std::string& group, const std::string& name,
                          const std::string& runtime) const;
};

// Groups the entries into series and compares each with the baseline runtime's series of the
// same group and benchmark.
Analysis Analyze(const Results& results, const AnalysisOptions& options);

// The gates on one comparison (the report's and compare's alike): a multimodal series on
// either side, or a CV above cv_max on either side, is never significant.
void ApplyGates(VsBaseline& v, const SeriesStats& base, const SeriesStats& cand, double cv_max);

// Compares two series of one metric (used by Analyze and by `ocibench compare`); `seed` makes
// the bootstrap reproducible.
VsBaseline CompareSeries(const std::vector<double>& base, const std::vector<double>& cand,
                         Direction d, std::uint64_t seed, int resamples, double alpha);

// A stable seed for one series, derived from the run's seed and the series' names.
std::uint64_t SeriesSeed(std::uint64_t seed, const std::string& a, const std::string& b,
                         const std::string& c);

}  // namespace ocibench::report
