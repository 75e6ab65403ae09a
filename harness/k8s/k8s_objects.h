// `ocibench k8s`: the Kubernetes objects for the matrix of one config — a RuntimeClass per
// runtime and a Job per (runtime, node, group, repetition) running the bench image with the
// matrix's CPU and memory limits, pinned to its node. Pure: builds JSON, talks to no cluster.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/run/config.h"

namespace ocibench::k8s {

struct K8sOptions {
  run::RunConfig config;           // runtimes, groups, repetitions, cpus, memory, scratch
  std::vector<std::string> nodes;  // node names (their kubernetes.io/hostname label)
  std::map<std::string, std::string> handlers;  // runtime → CRI handler (--handler), over defaults
  std::string ns = "ocibench";                  // namespace of the Jobs
  std::string bench_image = "localhost/ocibench-bench:latest";
  std::string redis_image = "localhost/ocibench-redis:latest";
  std::string run_id;  // 12 hex digits; names the Jobs (ocibench-<id>-<index>)
};

// One Job of the matrix.
struct K8sJob {
  int index = 0;
  std::string name, runtime, node, group;
  int repetition = 0;
  nlohmann::json object;
};

struct K8sPlan {
  std::string run_id, ns;
  nlohmann::json ns_object;
  std::vector<nlohmann::json> runtime_classes;
  std::vector<K8sJob> jobs;
  std::vector<std::string> skipped;  // one line per runtime or group that cannot run in a pod
  // All objects as one kubectl-applicable v1 List (Namespace, RuntimeClasses, Jobs).
  nlohmann::json ObjectList() const;
  // What `ocibench k8s collect` reads back (plan.json): the jobs and the effective config.
  nlohmann::json PlanJson(const run::RunConfig& config) const;
};

// The CRI handler ocibench assumes for a runtime name: runc, crun, runsc (any runsc-*), kata
// (any kata-*), containerd-runc → runc; anything else → the name itself.
std::string DefaultHandler(const std::string& runtime);

// "2" → "2", 1.5 → "1500m": a CPU count as a Kubernetes quantity.
std::string CpuQuantity(double cpus);

// A DNS-1123 label (lowercase letters, digits, '-', 1..63, alphanumeric at both ends).
bool IsDnsLabel(const std::string& s);

// The objects. Throws run::ConfigError (one line naming the flag or key) for no node, no
// runtime, a node or handler that is not a valid name, or an unknown group.
K8sPlan MakePlan(const K8sOptions& options);

// 12 random hex digits.
std::string NewRunId();

}  // namespace ocibench::k8s
