// redis-benchmark --csv output: the same header and columns, one row per test.
#pragma once

#include <string>

#include "workloads/redis/load.h"

namespace ocibench::redis {

// "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
// "p99_latency_ms","max_latency_ms" and a newline.
std::string CsvHeader();
// One row: every field quoted, rps with 2 decimals, latencies in ms with 3 (as redis-benchmark).
std::string CsvRow(const std::string& title, const LoadResult& result);

}  // namespace ocibench::redis
