// The log-linear histogram: bucket geometry, exact statistics, and percentiles on known samples
// within the stated relative error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "workloads/latency/histogram.h"

namespace ocibench::latency {
namespace {

TEST(LatencyHistogram, SmallValuesAreExact) {
  Histogram h(11);
  for (std::uint64_t v = 0; v < 2048; v++) {
    EXPECT_EQ(h.BucketIndex(v), v);
    EXPECT_EQ(h.BucketLow(v), v);
    EXPECT_EQ(h.BucketHigh(v), v);
  }
}

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  Histogram h(8, 1ull << 30);
  std::uint64_t expect_low = 0;
  for (std::size_t i = 0; i < h.BucketIndex(1ull << 30); i++) {
    ASSERT_EQ(h.BucketLow(i), expect_low) << "bucket " << i;
    const std::uint64_t high = h.BucketHigh(i);
    ASSERT_GE(high, h.BucketLow(i));
    // Width relative to the low edge never exceeds the promised error.
    if (h.BucketLow(i) >= 256) {
      ASSERT_LE(static_cast<double>(high - h.BucketLow(i)) / static_cast<double>(h.BucketLow(i)),
                h.relative_error());
    }
    ASSERT_EQ(h.BucketIndex(h.BucketLow(i)), i);
    ASSERT_EQ(h.BucketIndex(high), i);
    expect_low = high + 1;
  }
  EXPECT_DOUBLE_EQ(h.relative_error(), 1.0 / 128);
}

TEST(LatencyHistogram, CountMinMaxMeanAreExact) {
  Histogram h;
  h.Record(1000003);
  h.Record(7);
  h.Record(20, 2);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.min(), 7u);
  EXPECT_EQ(h.max(), 1000003u);
  EXPECT_DOUBLE_EQ(h.mean(), (1000003.0 + 7 + 40) / 4);
}

TEST(LatencyHistogram, PercentilesOfOneToThousandAreExactInTheLinearRange) {
  Histogram h;  // 1..1000 are all below 2048: exact buckets
  for (std::uint64_t v = 1; v <= 1000; v++) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 500u);
  EXPECT_EQ(h.Percentile(95), 950u);
  EXPECT_EQ(h.Percentile(99), 990u);
  EXPECT_EQ(h.Percentile(100), 1000u);
  EXPECT_EQ(h.Percentile(0.01), 1u);  // rank ceil(0.1) = 1
}

TEST(LatencyHistogram, PercentilesOfLargeValuesStayWithinTheRelativeError) {
  Histogram h;
  std::vector<std::uint64_t> samples;
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(13.0, 1.0);  // ~0.4 ms median in ns, long tail
  for (int i = 0; i < 100000; i++) {
    const auto v = static_cast<std::uint64_t>(dist(rng)) + 1;
    samples.push_back(v);
    h.Record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {1.0, 50.0, 90.0, 95.0, 99.0, 99.9}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100 * samples.size()));
    const double truth = static_cast<double>(samples[rank - 1]);
    const double got = static_cast<double>(h.Percentile(p));
    EXPECT_GE(got, truth) << "p" << p;
    EXPECT_LE((got - truth) / truth, h.relative_error()) << "p" << p;
  }
  EXPECT_EQ(h.Percentile(100), samples.back());
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  for (std::uint64_t v = 1; v < 100000; v += 7) {
    (v % 2 ? a : b).Record(v * 13);
    all.Record(v * 13);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double p : {10.0, 50.0, 99.0}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
  EXPECT_THROW(a.Merge(Histogram(8)), std::invalid_argument);
}

TEST(LatencyHistogram, ValuesAboveHighestAreClampedButMaxIsExact) {
  Histogram h(11, 1000000);
  h.Record(5000000);
  EXPECT_EQ(h.max(), 5000000u);
  EXPECT_EQ(h.Percentile(50), 5000000u);  // bucket high clamped to [min, max]
  h.Reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0u);
}

}  // namespace
}  // namespace ocibench::latency
