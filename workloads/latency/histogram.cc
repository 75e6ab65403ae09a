#include "workloads/latency/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace ocibench::latency {

Histogram::Histogram(unsigned sub_bucket_bits, std::uint64_t highest)
    : sub_bits_(sub_bucket_bits), highest_(highest) {
  if (sub_bits_ < 2 || sub_bits_ > 20) throw std::invalid_argument("histogram: sub_bucket_bits");
  if (highest_ < 1) throw std::invalid_argument("histogram: highest");
  counts_.assign(BucketIndex(highest_) + 1, 0);
}

std::size_t Histogram::BucketIndex(std::uint64_t value) const {
  const std::uint64_t linear = 1ull << sub_bits_;
  if (value < linear) return static_cast<std::size_t>(value);
  const unsigned k = static_cast<unsigned>(std::bit_width(value)) - 1;  // floor(log2 value)
  const unsigned shift = k - (sub_bits_ - 1);
  const std::uint64_t half = linear >> 1;
  const std::uint64_t sub = value >> shift;  // in [half, 2 * half)
  return static_cast<std::size_t>(linear + (k - sub_bits_) * half + (sub - half));
}

std::uint64_t Histogram::BucketLow(std::size_t index) const {
  const std::uint64_t linear = 1ull << sub_bits_;
  if (index < linear) return index;
  const std::uint64_t half = linear >> 1;
  const std::uint64_t r = index - linear;
  const std::uint64_t shift = r / half + 1;
  return (half + r % half) << shift;
}

std::uint64_t Histogram::BucketHigh(std::size_t index) const {
  const std::uint64_t linear = 1ull << sub_bits_;
  if (index < linear) return index;
  const std::uint64_t half = linear >> 1;
  const std::uint64_t r = index - linear;
  const std::uint64_t shift = r / half + 1;
  return ((half + r % half + 1) << shift) - 1;
}

void Histogram::Record(std::uint64_t value, std::uint64_t count) {
  if (count == 0) return;
  if (count_ == 0 || value < min_) min_ = value;
  if (value > max_) max_ = value;
  count_ += count;
  sum_ += static_cast<long double>(value) * count;
  counts_[BucketIndex(std::min(value, highest_))] += count;
}

void Histogram::Merge(const Histogram& other) {
  if (other.sub_bits_ != sub_bits_ || other.highest_ != highest_)
    throw std::invalid_argument("histogram: merging histograms of different shapes");
  if (other.count_ == 0) return;
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
  for (std::size_t i = 0; i < counts_.size(); i++) counts_[i] += other.counts_[i];
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

double Histogram::mean() const {
  return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

std::uint64_t Histogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); i++) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(BucketHigh(i), min_, max_);
  }
  return max_;
}

double Histogram::relative_error() const {
  return std::ldexp(1.0, -static_cast<int>(sub_bits_ - 1));
}

}  // namespace ocibench::latency
