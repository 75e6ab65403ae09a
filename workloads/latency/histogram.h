// A log-linear latency histogram with bounded relative error, in the manner of HdrHistogram
// (no C/C++ HdrHistogram is packaged in Debian).
//
// Values below 2^sub_bucket_bits land in exact buckets of width 1. Above that, each power-of-two
// range [2^k, 2^(k+1)) is split into 2^(sub_bucket_bits-1) equal buckets, so a bucket is never
// wider than value / 2^(sub_bucket_bits-1): a reported percentile is at most that relative
// amount above the true sample. Count, min, max and mean are exact (kept beside the buckets).
#pragma once

#include <cstdint>
#include <vector>

namespace ocibench::latency {

class Histogram {
 public:
  // sub_bucket_bits 11 (the default) bounds the relative error by 2^-10 (< 0.1%, HdrHistogram's
  // "3 significant digits"). Values above `highest` are clamped to it (exact max still kept).
  explicit Histogram(unsigned sub_bucket_bits = 11, std::uint64_t highest = 1ull << 40);

  void Record(std::uint64_t value, std::uint64_t count = 1);
  // Adds another histogram's samples; both must have the same parameters.
  void Merge(const Histogram& other);
  void Reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const;

  // Nearest-rank percentile (0 < p <= 100): the highest value of the bucket holding the
  // ceil(p/100 * count)-th smallest sample, clamped to [min, max]. 0 when empty.
  std::uint64_t Percentile(double p) const;

  // Upper bound of (reported - true) / true for values >= 2^sub_bucket_bits.
  double relative_error() const;

  // Bucket geometry, exposed for tests.
  std::size_t BucketIndex(std::uint64_t value) const;
  std::uint64_t BucketLow(std::size_t index) const;
  std::uint64_t BucketHigh(std::size_t index) const;

 private:
  unsigned sub_bits_;
  std::uint64_t highest_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0, max_ = 0;
  long double sum_ = 0;
};

}  // namespace ocibench::latency
