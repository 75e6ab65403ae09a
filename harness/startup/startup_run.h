// The start-up distribution (N sequential containers per runtime, interleaved across runtimes
// and variants) and the concurrency sweep (k workers creating-starting-deleting for a fixed
// time, like containerd-stress). Rows go to startup.csv and concurrency.csv.
#pragma once

#include <string>
#include <vector>

#include "harness/startup/percentiles.h"
#include "harness/startup/session.h"

namespace ocibench::startup {

struct StartupOptions {
  int count = 32;  // measured containers per runtime, variant and workload
  int warmup = 3;  // untimed ones first
  std::vector<Workload> workloads = {Workload::kBench};
  std::vector<Variant> variants = {Variant::kDefault};
  std::vector<int> workers = {1, 2, 4, 8};  // empty: no concurrency sweep
  double duration_s = 10;                   // per runtime and worker count
};

inline constexpr const char* kConcurrencyHeader =
    "runtime,workload,workers,duration_s,started,ok,failed,containers_per_s,p50_ms,p95_ms,"
    "p99_ms,max_ms,failures\n";

// One summary line per runtime/variant/workload of the sequential part, for the terminal.
struct SequentialSummary {
  std::string runtime, variant, workload;
  int failed = 0;
  Percentiles total, workload_ms;
};
struct StartupOutcome {
  std::vector<SequentialSummary> sequential;
  int failed = 0;
  bool complete = true;  // false: interrupted
};

StartupOutcome RunStartup(Session& session, const StartupOptions& options);

// "a: 3; b: 1" from reasons counted, most frequent first.
std::string FailureReasons(const std::vector<std::string>& errors);

}  // namespace ocibench::startup
