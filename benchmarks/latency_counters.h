// The latency counters every request/response benchmark reports, from a histogram of
// nanosecond samples: lat_{avg,min,p50,p95,p99,max}_us (what redis-benchmark prints, in µs).
#pragma once

#include <benchmark/benchmark.h>

#include "workloads/latency/histogram.h"

namespace ocibench::bench {

inline void SetLatencyCounters(benchmark::State& state, const latency::Histogram& ns) {
  auto us = [](double v) { return v / 1e3; };
  state.counters["lat_avg_us"] = us(ns.mean());
  state.counters["lat_min_us"] = us(static_cast<double>(ns.min()));
  state.counters["lat_p50_us"] = us(static_cast<double>(ns.Percentile(50)));
  state.counters["lat_p95_us"] = us(static_cast<double>(ns.Percentile(95)));
  state.counters["lat_p99_us"] = us(static_cast<double>(ns.Percentile(99)));
  state.counters["lat_max_us"] = us(static_cast<double>(ns.max()));
}

}  // namespace ocibench::bench
