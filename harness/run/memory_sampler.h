// Samples memory at 10 Hz during a cell: host used memory (MemTotal − MemAvailable), the
// workload cgroup's usage, and the PSS of the runtime's own processes (every process ocibench
// started for the cell — shim, runtime, runsc sandbox and gofer — except the workload's, which
// for runc/crun is a plain host process). Also calls `tick` each time (stop handling).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ocibench::run {

class MemorySampler {
 public:
  // prefix: "runtime,group,repetition," of each CSV row. `excluded`: as ExcludeTree, in place
  // before the first sample (the sampling thread starts here).
  MemorySampler(std::string prefix, bool runtime_pss, std::function<void()> tick = {},
                const std::vector<pid_t>& excluded = {});
  ~MemorySampler();  // stops
  void SetCgroupFile(const std::filesystem::path& usage_file);
  void ExcludeTree(pid_t pid);  // the workload (and its children) is not the runtime
  // Instead of ocibench's descendants: the processes `roots` returns (e.g. containerd shims,
  // which are not our descendants) and their descendants, minus the processes listed in
  // `exclude_procs` (cgroup.procs files: the workloads' cgroups).
  void SetRuntimeRoots(std::function<std::vector<pid_t>()> roots,
                       std::vector<std::filesystem::path> exclude_procs);
  std::string Stop();  // ends sampling; the CSV rows

 private:
  void Loop();
  std::string prefix_;
  bool runtime_pss_;
  std::function<void()> tick_;
  std::mutex mu_;
  std::filesystem::path cgroup_file_;
  std::set<pid_t> excluded_;
  std::function<std::vector<pid_t>()> roots_;
  std::vector<std::filesystem::path> exclude_procs_;
  std::string rows_;
  std::atomic<bool> done_{false};
  std::chrono::steady_clock::time_point t0_;
  std::thread thread_;
};

std::optional<std::uint64_t> HostUsedBytes();
// PSS in bytes of pid (smaps_rollup); nullopt when gone or unreadable.
std::optional<std::uint64_t> PssBytes(pid_t pid);

}  // namespace ocibench::run
