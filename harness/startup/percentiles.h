// p50/p95/p99/max of start-up latencies (the field's start-up tables report these).
#pragma once

#include <vector>

namespace ocibench::startup {

struct Percentiles {
  int n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

// Linear interpolation between order statistics (R's type 7, numpy's default) of `values`;
// all zero when empty.
Percentiles Summarize(std::vector<double> values);

// The q-quantile (0..1) of sorted values, type 7.
double Quantile(const std::vector<double>& sorted, double q);

}  // namespace ocibench::startup
