// Statistics of harness/report on known data: quantiles, CV, geometric mean, the direction of
// metrics, bootstrap CI coverage on a synthetic sample, Mann–Whitney U p-values against
// published critical-value tables and hand-computed exact probabilities.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "harness/report/stats.h"

namespace ocibench::report {
namespace {

TEST(ReportStats, QuantilesMatchNumpyLinear) {
  const std::vector<double> v = {7, 1, 3, 5, 9};  // sorted: 1 3 5 7 9
  EXPECT_DOUBLE_EQ(Median(v), 5);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.25), 3);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.75), 7);
  EXPECT_DOUBLE_EQ(Iqr(v), 4);
  // numpy.percentile([1, 2, 3, 4], [25, 50, 90]) = 1.75, 2.5, 3.7
  const std::vector<double> w = {4, 2, 1, 3};
  EXPECT_DOUBLE_EQ(Quantile(w, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(Median(w), 2.5);
  EXPECT_NEAR(Quantile(w, 0.9), 3.7, 1e-12);
  EXPECT_THROW(Median({}), std::invalid_argument);
}

TEST(ReportStats, MeanStdDevAndCv) {
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};  // mean 5, sample sd sqrt(32/7)
  EXPECT_DOUBLE_EQ(Mean(v), 5);
  EXPECT_NEAR(StdDev(v), std::sqrt(32.0 / 7), 1e-12);
  EXPECT_NEAR(Cv(v), std::sqrt(32.0 / 7) / 5, 1e-12);
  EXPECT_DOUBLE_EQ(Cv({3, 3, 3}), 0);
  EXPECT_DOUBLE_EQ(StdDev({3}), 0);
}

TEST(ReportStats, GeometricMean) {
  EXPECT_NEAR(GeoMean({2, 8}), 4, 1e-12);
  EXPECT_NEAR(GeoMean({1, 10, 100}), 10, 1e-12);
  // Fleming & Wallace: the geometric mean of ratios is the ratio of geometric means, and it is
  // consistent whichever system is the reference (1/gm(a/b) = gm(b/a)).
  const std::vector<double> a = {1.2, 0.5, 3.0}, b = {1 / 1.2, 1 / 0.5, 1 / 3.0};
  EXPECT_NEAR(GeoMean(a) * GeoMean(b), 1, 1e-12);
  EXPECT_THROW(GeoMean({1, 0}), std::invalid_argument);
  EXPECT_THROW(GeoMean({}), std::invalid_argument);
}

TEST(ReportStats, SpeedRatioIsDirectionAware) {
  // Half the requests per second and twice the time per op are both "half the performance".
  EXPECT_DOUBLE_EQ(SpeedRatio(50, 100, Direction::kHigherIsBetter), 0.5);
  EXPECT_DOUBLE_EQ(SpeedRatio(200, 100, Direction::kLowerIsBetter), 0.5);
  EXPECT_DOUBLE_EQ(SpeedRatio(150, 100, Direction::kHigherIsBetter), 1.5);
  EXPECT_DOUBLE_EQ(SpeedRatio(50, 100, Direction::kLowerIsBetter), 2.0);
}

TEST(ReportStats, BootstrapIsSeededAndBracketsTheRatio) {
  const std::vector<double> num = {110, 112, 108, 111, 109, 113, 110};
  const std::vector<double> den = {100, 101, 99, 100, 102, 98, 100};
  const Interval a = BootstrapRatioOfMediansCi(num, den, 7);
  const Interval b = BootstrapRatioOfMediansCi(num, den, 7);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_TRUE(a.Contains(Median(num) / Median(den)));
  EXPECT_FALSE(a.Contains(1.0));
  EXPECT_GT(a.low, 1.0);
  EXPECT_LT(a.high, 1.2);
}

// Coverage on synthetic samples with a known ratio of population medians (1.1): over many
// independent samples the 95 % interval must contain it most of the time. The percentile
// bootstrap of a median is known to under-cover a little at small n, so the bounds are loose
// but fail for a broken interval (e.g. one that ignores the spread, or a swapped ratio).
TEST(ReportStats, BootstrapCiCoverageOnSyntheticSamples) {
  std::mt19937_64 rng(12345);
  std::normal_distribution<double> base(100, 5), cand(110, 5);
  const int trials = 200;
  int covered = 0;
  double width_sum = 0;
  for (int t = 0; t < trials; t++) {
    std::vector<double> x, y;
    for (int i = 0; i < 15; i++) {
      x.push_back(cand(rng));
      y.push_back(base(rng));
    }
    const Interval ci = BootstrapRatioOfMediansCi(x, y, 1000 + static_cast<std::uint64_t>(t), 1000);
    if (ci.Contains(1.1)) covered++;
    width_sum += ci.high - ci.low;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GE(coverage, 0.85) << "coverage " << coverage;
  EXPECT_LE(coverage, 0.995) << "coverage " << coverage;
  // Width of the order of 4 standard errors of the ratio (≈ 0.03 · 1.25 · 2 · 2 here).
  EXPECT_GT(width_sum / trials, 0.03);
  EXPECT_LT(width_sum / trials, 0.15);
}

// Exact null distribution: with n1 = n2 = 5 there are C(10,5) = 252 arrangements; U = 0 occurs
// once, so the two-sided p is 2/252 (scipy.stats.mannwhitneyu(method="exact") gives
// 0.007936507936507936). With n1 = n2 = 3, U = 0: 2/20 = 0.1.
TEST(ReportStats, MannWhitneyExactSmallSamples) {
  auto r = MannWhitneyU({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p, 2.0 / 252, 1e-15);
  r = MannWhitneyU({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(r.u, 25);
  EXPECT_NEAR(r.p, 2.0 / 252, 1e-15);
  EXPECT_NEAR(MannWhitneyU({1, 2, 3}, {4, 5, 6}).p, 0.1, 1e-15);
  // U = 2 for n = 5, 5: P(U ≤ 2) = (1 + 1 + 2)/252.
  r = MannWhitneyU({1, 2, 3, 6, 7}, {5, 8, 9, 10, 11});
  EXPECT_DOUBLE_EQ(r.u, 2);
  EXPECT_NEAR(r.p, 2 * 4.0 / 252, 1e-15);
}

// Published two-sided α = 0.05 critical values of U (e.g. the standard Mann–Whitney table in
// Siegel & Castellan / any statistics text): U ≤ crit is significant, crit + 1 is not.
// n1 = n2 = 5: 2; 8: 13; 10: 23; 20: 127; n1 = 4, n2 = 6: 2; n1 = 7, n2 = 12: 18.
TEST(ReportStats, MannWhitneyExactMatchesPublishedCriticalValues) {
  struct Case {
    int n1, n2, crit;
  };
  for (const Case c : {Case{5, 5, 2}, Case{8, 8, 13}, Case{10, 10, 23}, Case{20, 20, 127},
                       Case{4, 6, 2}, Case{7, 12, 18}}) {
    // Build samples with a given U: x = 0..n1-1 shifted so that exactly u pairs have x > y.
    auto with_u = [&](int u) {
      // y = 1..n2 (step 1); x values placed between y values. Greedy: give each x_i up to n2
      // wins, from the last x backwards, until u is used up.
      std::vector<double> x, y;
      for (int j = 0; j < c.n2; j++) y.push_back(j + 1);
      int left = u;
      for (int i = 0; i < c.n1; i++) {
        const int wins = std::min(left, c.n2);
        left -= wins;
        x.push_back(wins + 0.5 + i * 1e-3);  // beats exactly `wins` of the y values, no ties
      }
      return std::make_pair(x, y);
    };
    SCOPED_TRACE(testing::Message() << c.n1 << "x" << c.n2);
    auto [x1, y1] = with_u(c.crit);
    auto r1 = MannWhitneyU(x1, y1);
    ASSERT_TRUE(r1.exact);
    ASSERT_DOUBLE_EQ(r1.u, c.crit);
    EXPECT_LE(r1.p, 0.05);
    auto [x2, y2] = with_u(c.crit + 1);
    auto r2 = MannWhitneyU(x2, y2);
    ASSERT_DOUBLE_EQ(r2.u, c.crit + 1);
    EXPECT_GT(r2.p, 0.05);
  }
}

// Normal approximation with ties: x = {1,2,2,3,3,3,4}, y = {3,4,4,5,5,6,6}.
// Pooled midranks: 1→1, 2→2.5, 3→5.5 (ranks 4–7), 4→9 (8–10), 5→11.5, 6→13.5.
// R_x = 1+2.5+2.5+5.5·3+9 = 31.5, U_x = 31.5 − 28 = 3.5; tie term Σ(t³−t) = 6+60+24+6+6 = 102;
// var = 49/12 · (15 − 102/182) = 58.9615…; z = (45.5 − 24.5 − 0.5)/√var = 2.66977…;
// p = erfc(z/√2) = 0.0075908… (scipy.stats.mannwhitneyu(x, y, method="asymptotic")).
TEST(ReportStats, MannWhitneyNormalApproximationWithTies) {
  auto r = MannWhitneyU({1, 2, 2, 3, 3, 3, 4}, {3, 4, 4, 5, 5, 6, 6});
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 3.5);
  const double var = 49.0 / 12 * (15 - 102.0 / 182);
  const double z = (45.5 - 24.5 - 0.5) / std::sqrt(var);
  EXPECT_NEAR(r.p, std::erfc(z / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(r.p, 0.00759, 0.00002);
  // All values identical: no evidence at all.
  EXPECT_DOUBLE_EQ(MannWhitneyU({1, 1, 1}, {1, 1, 1}).p, 1);
}

// Large samples without ties use the approximation; for n1 = n2 = 25 the two-sided 5 % critical
// value from the normal approximation is mu − 1.96·sigma − 0.5 = 312.5 − 1.96·51.54 − 0.5 ≈ 211.
TEST(ReportStats, MannWhitneyLargeSamplesUseTheNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 0; i < 25; i++) {
    x.push_back(i);
    y.push_back(i + 0.5);
  }
  auto r = MannWhitneyU(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 300);  // x_i beats y_0..y_{i-1}: Σ i = 300
  EXPECT_GT(r.p, 0.5);
  std::vector<double> far;
  for (int i = 0; i < 25; i++) far.push_back(100 + i);
  EXPECT_LT(MannWhitneyU(x, far).p, 1e-8);
}

// The A/A run on this host (runc against runc under a second name, 5 repetitions each):
// Probe_fs_create_write_unlink's repetitions were either ~15–30 µs or ~900 µs, medians 18 µs in
// one name and 866 µs in the other. Such series are multimodal whichever mode holds the median.
TEST(ReportStats, GapTestFlagsTheBimodalProbe) {
  EXPECT_TRUE(IsMultimodal({18, 15, 905, 22, 880}));   // median 22: the low mode
  EXPECT_TRUE(IsMultimodal({866, 19, 912, 24, 890}));  // median 866: the high mode
  EXPECT_TRUE(IsMultimodal({15, 18, 22, 30, 900}));    // one repetition in the other mode
  EXPECT_TRUE(IsMultimodal({900, 930, 870, 880, 16}));
  // One mode only, even spread over a factor 2 (15–30 µs): not multimodal.
  EXPECT_FALSE(IsMultimodal({15, 18, 22, 25, 30}));
  EXPECT_FALSE(IsMultimodal({880, 905, 866, 912, 890}));
  // A spread-out series without a gap that dwarfs the clusters' own spread.
  EXPECT_FALSE(IsMultimodal({10, 20, 40, 80, 160}));
  // Two values: no spread to compare a gap with.
  EXPECT_FALSE(IsMultimodal({18, 866}));
}

// Ordinary noise must not be flagged: this host's LZMA ratings vary with a CV of 7–13 % over 5
// repetitions. 5000 normal series each at CV 10 % and 13 % (n = 5 and n = 10), and log-normal
// ones at σ = 0.15, without a single multimodal verdict.
TEST(ReportStats, GapTestLeavesOrdinaryNoiseAlone) {
  std::mt19937_64 rng(17);
  for (double cv : {0.10, 0.13}) {
    std::normal_distribution<double> d(1000, 1000 * cv);
    for (int n : {5, 10}) {
      int flagged = 0;
      for (int t = 0; t < 5000; t++) {
        std::vector<double> v;
        for (int i = 0; i < n; i++) v.push_back(d(rng));
        if (IsMultimodal(v)) flagged++;
      }
      EXPECT_EQ(flagged, 0) << "CV " << cv << ", n " << n;
    }
  }
  std::lognormal_distribution<double> ln(std::log(20.0), 0.15);
  int flagged = 0;
  for (int t = 0; t < 5000; t++) {
    std::vector<double> v;
    for (int i = 0; i < 5; i++) v.push_back(ln(rng));
    if (IsMultimodal(v)) flagged++;
  }
  EXPECT_EQ(flagged, 0);
}

TEST(ReportStats, MinimumDetectableEffect) {
  EXPECT_NEAR(NormalUpperQuantile(0.025), 1.959964, 1e-6);
  EXPECT_NEAR(NormalUpperQuantile(0.2), 0.841621, 1e-6);
  EXPECT_NEAR(MannWhitneyMinP(5, 5), 2.0 / 252, 1e-15);
  EXPECT_NEAR(MannWhitneyMinP(3, 3), 0.1, 1e-15);
  EXPECT_NEAR(MannWhitneyMinP(4, 6), 2.0 / 210, 1e-15);
  // CV 10 % on both sides, n = 5: (1.96 + 0.84) · sqrt(π/2 · 0.004) = 0.2221 → ±24.9 % ratio.
  EXPECT_NEAR(MinDetectableLogRatio(0.1, 5, 0.1, 5, 0.05), 0.22209, 1e-4);
  // Four times the repetitions halve it.
  EXPECT_NEAR(MinDetectableLogRatio(0.1, 20, 0.1, 20, 0.05),
              MinDetectableLogRatio(0.1, 5, 0.1, 5, 0.05) / 2, 1e-9);
  // n = 3 per side can never reach p < 0.05: nothing is resolvable.
  EXPECT_TRUE(std::isinf(MinDetectableLogRatio(0.01, 3, 0.01, 3, 0.05)));
  EXPECT_TRUE(std::isinf(MinDetectableLogRatio(0.01, 1, 0.01, 5, 0.05)));
}

}  // namespace
}  // namespace ocibench::report
