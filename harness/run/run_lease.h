// Run identity and liveness. Every run has an id of its own (recorded in run.json, never derived
// from a path); while it runs it holds two locks: its results directory's (a second run on the
// same directory is refused) and a lease in kLeaseDir named after its id, so `ocibench gc`
// tells a live run's containers, cgroups, bundles and namespaces from a killed run's.
#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace ocibench::run {

inline constexpr const char* kLeaseDir = "/run/ocibench-run/live";

// A fresh run id: 12 random hex digits (short enough for container ids and netns names).
std::string NewRunId();

class RunLease {
 public:
  // Locks `results_dir` and takes the lease of `id`. Throws std::runtime_error with one line
  // when another live run holds either ("… is in use by ocibench run pid N").
  RunLease(const std::filesystem::path& results_dir, const std::string& id);
  ~RunLease();  // releases both, removes the lease file
  RunLease(const RunLease&) = delete;
  RunLease& operator=(const RunLease&) = delete;

 private:
  int dir_fd_ = -1, lease_fd_ = -1;
  std::filesystem::path lease_;
};

// The ids of runs alive now (their lease is locked); stale leases are removed unless dry_run.
std::set<std::string> LiveRuns(bool dry_run);

// True when `name` belongs to one of `live` (it contains the run id).
bool OwnedByLiveRun(const std::string& name, const std::set<std::string>& live);

}  // namespace ocibench::run
