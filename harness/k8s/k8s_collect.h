// `ocibench k8s collect`: the Jobs' results (each bench's JSON between the markers of its
// `kubectl logs`) written into the fleet layout: <out>/fleet.json and one ordinary results
// directory per node (docs/results-format.md "Fleet directories").
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::k8s {

// What the cluster said about one Job.
struct JobOutcome {
  std::string status;  // ok | failed | pending (a CellStatus name)
  std::string error;   // one line when not ok
  std::string log;     // `kubectl logs` of its bench container ("" when none)
};

// The fleet directory from plan.json, each Job's outcome (by Job name) and each node's
// `kubectl get node -o json` (absent when it could not be read). A Job whose log has no
// parseable JSON between the markers is a failed cell saying why. Writes every file
// atomically; returns one line per host ("NODE: ok|partial|failed (k/n cells ok)").
std::vector<std::string> WriteFleet(const nlohmann::json& plan,
                                    const std::map<std::string, JobOutcome>& outcomes,
                                    const std::map<std::string, nlohmann::json>& nodes,
                                    const std::filesystem::path& out, const std::string& version);

// "16318712Ki" → 16710361088, "2" → 2, "1500m" → 1.5; nullopt when not a quantity.
std::optional<double> ParseQuantity(const std::string& q);

// The node's facts as run.json's "host" (hostname, arch, kernel, os, cpus, mem_bytes,
// cgroup_mode: null, the API does not say), CPU model from the bench's own context.
nlohmann::json HostFacts(const std::string& node, const nlohmann::json* node_object,
                         const nlohmann::json& bench_context);

}  // namespace ocibench::k8s
