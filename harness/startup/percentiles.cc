// Quantiles of start-up latencies.
#include "harness/startup/percentiles.h"

#include <algorithm>
#include <cmath>

namespace ocibench::startup {

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Percentiles Summarize(std::vector<double> values) {
  Percentiles p;
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  p.n = static_cast<int>(values.size());
  p.p50 = Quantile(values, 0.50);
  p.p95 = Quantile(values, 0.95);
  p.p99 = Quantile(values, 0.99);
  p.max = values.back();
  return p;
}

}  // namespace ocibench::startup
