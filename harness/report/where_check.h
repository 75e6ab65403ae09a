// What ocibench-bench saw (its where_* context, workloads/sysinfo) against what the run asked
// for (run.json limits, the runtime): one note line per runtime that disagrees.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/report/results.h"

namespace ocibench::report {

// For each runtime with a context: its where_cgroup_cpus / where_cgroup_memory_bytes against
// run.json's limits.cpus / limits.memory_bytes (every kind: native cells run in a cgroup with
// the same limits), and where_sandbox=gvisor for a runsc runtime. A field the binary could not
// read (absent) or a limit the run did not set is not compared.
std::vector<std::string> WhereDisagreements(const RunInfo& run,
                                            const std::map<std::string, nlohmann::json>& contexts);

}  // namespace ocibench::report
