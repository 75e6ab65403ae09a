#include "workloads/redis/csv.h"

#include <cstdio>

namespace ocibench::redis {

std::string CsvHeader() {
  return "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
         "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n";
}

std::string CsvRow(const std::string& title, const LoadResult& r) {
  const auto& h = r.latency_ns;
  auto ms = [](double ns) { return ns / 1e6; };
  char buf[512];
  snprintf(buf, sizeof buf,
           "\"%s\",\"%.2f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\"\n", title.c_str(),
           r.rps(), ms(h.mean()), ms(static_cast<double>(h.min())),
           ms(static_cast<double>(h.Percentile(50))), ms(static_cast<double>(h.Percentile(95))),
           ms(static_cast<double>(h.Percentile(99))), ms(static_cast<double>(h.max())));
  return buf;
}

}  // namespace ocibench::redis
