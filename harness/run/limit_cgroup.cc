// LimitCgroup: v1 cpu+memory or v2 cgroups with CFS quota and memory limit.
#include "harness/run/limit_cgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "harness/oci/runtime.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

void WriteFile(const fs::path& p, const std::string& v) {
  std::ofstream out(p);
  out << v;
  out.flush();
  if (!out) throw std::runtime_error("cannot write '" + v + "' to " + p.string());
}

}  // namespace

LimitCgroup::LimitCgroup(const std::string& path, double cpus, std::uint64_t memory_bytes) {
  const fs::path rel = fs::path(path).relative_path();
  const long period = 100000;
  const long quota = std::lround(cpus * period);
  auto make = [&](const fs::path& root) {
    fs::path dir = root;
    for (const auto& part : rel) {
      dir /= part;
      if (::mkdir(dir.c_str(), 0755) == 0)
        made_.push_back(dir);
      else if (errno != EEXIST)
        throw std::runtime_error("cannot create cgroup " + dir.string() + ": " +
                                 std::strerror(errno));
    }
    procs_files_.push_back((dir / "cgroup.procs").string());
    return dir;
  };
  if (oci::DetectCgroupMode() == oci::CgroupMode::kUnified) {
    const fs::path root = "/sys/fs/cgroup";
    // Enable cpu and memory down the path (the leaf itself holds the process).
    fs::path dir = root;
    for (const auto& part : rel) {
      std::ofstream(dir / "cgroup.subtree_control") << "+cpu +memory";
      dir /= part;
      if (::mkdir(dir.c_str(), 0755) == 0) made_.push_back(dir);
    }
    procs_files_.push_back((dir / "cgroup.procs").string());
    WriteFile(dir / "cpu.max", std::to_string(quota) + " " + std::to_string(period));
    WriteFile(dir / "memory.max", std::to_string(memory_bytes));
    memory_usage_ = dir / "memory.current";
    return;
  }
  const fs::path cpu = make("/sys/fs/cgroup/cpu");
  WriteFile(cpu / "cpu.cfs_period_us", std::to_string(period));
  WriteFile(cpu / "cpu.cfs_quota_us", std::to_string(quota));
  const fs::path mem = make("/sys/fs/cgroup/memory");
  WriteFile(mem / "memory.limit_in_bytes", std::to_string(memory_bytes));
  memory_usage_ = mem / "memory.usage_in_bytes";
}

LimitCgroup::~LimitCgroup() {
  for (const auto& f : procs_files_) RemoveCgroupTree(fs::path(f).parent_path());
  for (auto it = made_.rbegin(); it != made_.rend(); ++it) ::rmdir(it->c_str());
}

void RemoveCgroupTree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec)) RemoveCgroupTree(e.path());
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::ifstream procs(dir / "cgroup.procs");
    pid_t pid;
    bool any = false;
    while (procs >> pid) {
      ::kill(pid, SIGKILL);
      any = true;
    }
    if (!any && (::rmdir(dir.c_str()) == 0 || errno == ENOENT)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RemoveCgroupPath(const std::string& path) {
  const fs::path rel = fs::path(path).relative_path();
  std::vector<fs::path> hierarchies = {"/sys/fs/cgroup"};
  std::error_code ec;
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec))
    if (h.is_directory(ec)) hierarchies.push_back(h.path());
  for (const auto& h : hierarchies) {
    // The leaf may be gone already (runc removed it); its parents are still ours to remove.
    RemoveCgroupTree(h / rel);
    for (fs::path p = (h / rel).parent_path(); p.has_relative_path() && p != h; p = p.parent_path())
      if (::rmdir(p.c_str()) != 0 && errno != ENOENT) break;
  }
}

static fs::path MemoryDir(const std::string& path) {
  const fs::path rel = fs::path(path).relative_path();
  return oci::DetectCgroupMode() == oci::CgroupMode::kUnified
             ? fs::path("/sys/fs/cgroup") / rel
             : fs::path("/sys/fs/cgroup/memory") / rel;
}

fs::path CgroupMemoryUsageFile(const std::string& path) {
  return MemoryDir(path) / (oci::DetectCgroupMode() == oci::CgroupMode::kUnified
                                ? "memory.current"
                                : "memory.usage_in_bytes");
}

fs::path CgroupMemoryProcsFile(const std::string& path) { return MemoryDir(path) / "cgroup.procs"; }

std::vector<fs::path> RunCgroupRoots() {
  std::vector<fs::path> out;
  const fs::path rel = fs::path(kCgroupRoot).relative_path();
  std::error_code ec;
  if (fs::is_directory(fs::path("/sys/fs/cgroup") / rel, ec))
    out.push_back(fs::path("/sys/fs/cgroup") / rel);
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec))
    if (fs::is_directory(h.path() / rel, ec)) out.push_back(h.path() / rel);
  return out;
}

}  // namespace ocibench::run
