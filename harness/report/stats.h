// Statistics for benchmark repetitions: location and spread, geometric mean, a seeded bootstrap
// confidence interval of a ratio of medians, the Mann–Whitney U test, a gap test for series
// with two modes, and the smallest ratio a run can resolve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/benchjson/benchjson.h"

namespace ocibench::report {

// Which way is better for a metric: benchjson's (docs/results-format.md, "Metrics and their
// direction").
using benchjson::Direction;
using benchjson::ToString;

// Quantile with linear interpolation between order statistics (R type 7, numpy's default).
// `q` in [0, 1]. Throws std::invalid_argument on an empty sample.
double Quantile(std::vector<double> values, double q);
double Median(const std::vector<double>& values);
double Iqr(const std::vector<double>& values);  // Q3 − Q1
double Mean(const std::vector<double>& values);
double StdDev(const std::vector<double>& values);  // sample (n − 1); 0 for n < 2
// Coefficient of variation: sample standard deviation / mean (a fraction, 0.05 = 5 %).
double Cv(const std::vector<double>& values);
// Geometric mean of positive values (Fleming & Wallace 1986). Throws on empty or ≤ 0 values.
double GeoMean(const std::vector<double>& values);

// Performance of `value` relative to `base`, normalised so that > 1 is better and < 1 is worse
// whatever the metric's direction: value/base for higher-is-better, base/value for
// lower-is-better. 0.5 = half the performance of `base` (e.g. twice the time per op).
double SpeedRatio(double value, double base, Direction d);

struct Interval {
  double low = 0;
  double high = 0;
  bool Contains(double x) const { return low <= x && x <= high; }
};

// Percentile bootstrap of median(num) / median(den): `resamples` times each sample is drawn
// with replacement (independently), and the (1−level)/2 and (1+level)/2 quantiles of the
// resampled ratios are returned. Deterministic for a given seed.
Interval BootstrapRatioOfMediansCi(const std::vector<double>& num, const std::vector<double>& den,
                                   std::uint64_t seed, int resamples = 2000, double level = 0.95);

struct MannWhitneyResult {
  double u = 0;        // U of the first sample (number of pairs where x > y, ties count 1/2)
  double p = 1;        // two-sided p-value
  bool exact = false;  // from the exact null distribution (no ties, small samples)
};

// Two-sided Mann–Whitney U test. Exact when there are no ties and both samples have at most
// `exact_limit` values; otherwise the normal approximation with tie correction and continuity
// correction (as scipy.stats.mannwhitneyu's "asymptotic" method). Throws on an empty sample.
MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y,
                               int exact_limit = 20);

// The gap test for a series whose repetitions fall into two clusters (docs/report.md,
// "Multimodal series"). Sorted positive values, on a log scale; a series is multimodal when
// some gap between neighbours splits it into a lower and an upper cluster such that
//   upper's first / lower's last >= `min_gap_ratio`, and
//   ln(that gap) > `gap_vs_spread` × the larger ln(max/min) within the two clusters.
// Needs at least 3 values (with 2 there is no spread to compare the gap with).
struct ModalityRule {
  double gap_vs_spread = 3;
  double min_gap_ratio = 2.5;
};
bool IsMultimodal(const std::vector<double>& values, const ModalityRule& rule = {});

// The smallest two-sided p the exact Mann–Whitney test can give for sample sizes (m, n):
// 2 / C(m + n, m).
double MannWhitneyMinP(std::size_t m, std::size_t n);

// Minimum detectable effect on the log of a ratio of medians (docs/report.md, "What a run can
// resolve"): (z_{1−α/2} + z_{power}) · sqrt(π/2 · (cv_a²/n_a + cv_b²/n_b)) — the median's
// variance is π/2 times the mean's for normal data, and a CV is the standard deviation of the
// log for small spreads. Infinite when the exact Mann–Whitney test cannot reach `alpha` with
// these n (n = 3 per side) or a side has fewer than 2 values.
double MinDetectableLogRatio(double cv_a, std::size_t n_a, double cv_b, std::size_t n_b,
                             double alpha, double power = 0.8);

// z with P(Z > z) = tail for a standard normal Z (tail in (0, 1)).
double NormalUpperQuantile(double tail);

}  // namespace ocibench::report
