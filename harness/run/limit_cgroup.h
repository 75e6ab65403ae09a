// A cgroup with the matrix's CPU and memory limits for processes ocibench starts itself (the
// native runs and native Redis clients), so native gets the same limits as the containers.
// cgroup v1 (cpu + memory hierarchies, also on a hybrid host) or v2. Removed on destruction
// (any process left in it is killed first).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ocibench::run {

// Where ocibench run's cgroups live (`ocibench gc` removes what is left under it).
inline constexpr const char* kCgroupRoot = "/ocibench-run";

class LimitCgroup {
 public:
  // path: e.g. "/ocibench-run/<run>/<cell>". Throws std::runtime_error naming the directory.
  LimitCgroup(const std::string& path, double cpus, std::uint64_t memory_bytes);
  ~LimitCgroup();
  LimitCgroup(const LimitCgroup&) = delete;
  LimitCgroup& operator=(const LimitCgroup&) = delete;

  // cgroup.procs files a child writes "0" into (between fork and exec) to join.
  const std::vector<std::string>& procs_files() const { return procs_files_; }
  // memory.usage_in_bytes (v1) or memory.current (v2).
  const std::filesystem::path& memory_usage_file() const { return memory_usage_; }

 private:
  std::vector<std::filesystem::path> made_;  // directories created, parents first
  std::vector<std::string> procs_files_;
  std::filesystem::path memory_usage_;
};

// Kills every process in `dir` and the cgroups below it, then removes them (for gc and cleanup).
void RemoveCgroupTree(const std::filesystem::path& dir);

// A cgroupsPath made by a runtime (e.g. runc behind containerd's shim): removed in every
// hierarchy (processes killed), with its parents up to the hierarchy's root while empty.
void RemoveCgroupPath(const std::string& path);

// The memory usage file (memory.usage_in_bytes in v1's memory hierarchy, memory.current in
// v2) and the cgroup.procs file of the memory cgroup at cgroupsPath `path`.
std::filesystem::path CgroupMemoryUsageFile(const std::string& path);
std::filesystem::path CgroupMemoryProcsFile(const std::string& path);

// Every directory named kCgroupRoot in each hierarchy under /sys/fs/cgroup.
std::vector<std::filesystem::path> RunCgroupRoots();

}  // namespace ocibench::run
