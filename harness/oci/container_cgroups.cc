// A container's cgroups: the v1 cgroups ocibench makes for crun on a cgroup v1/hybrid host (crun
// runs with --cgroup-manager=disabled there), their removal, and CgroupDir.
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "harness/oci/container_impl.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool WriteFile(const fs::path& p, const std::string& value) {
  std::ofstream out(p);
  out << value;
  return static_cast<bool>(out.flush());
}

}  // namespace

std::vector<std::string> Container::Impl::MakeV1Cgroups(const std::string& runtime_name) {
  std::vector<std::string> procs_files;
  const json res = config["linux"].value("resources", json::object());
  const std::string path = cgroup_path;
  const auto make = [&](const std::string& controller) {
    const fs::path root = fs::path("/sys/fs/cgroup") / controller;
    const fs::path dir = root / fs::path(path).relative_path();
    std::error_code ec;
    if (!fs::exists(root / "cgroup.procs", ec)) return fs::path();  // no such v1 hierarchy
    // Remember each directory made, outermost first, to remove them innermost first.
    std::vector<fs::path> made;
    for (fs::path p = dir; p != root && !fs::exists(p, ec); p = p.parent_path()) made.push_back(p);
    fs::create_directories(dir, ec);
    if (ec)
      throw RuntimeError(runtime_name + ": cannot create cgroup " + dir.string() + ": " +
                         ec.message());
    own_cgroups.insert(own_cgroups.end(), made.rbegin(), made.rend());
    procs_files.push_back((dir / "cgroup.procs").string());
    return dir;
  };
  if (const fs::path cpu = make("cpu"); !cpu.empty() && res.contains("cpu")) {
    WriteFile(cpu / "cpu.cfs_period_us", std::to_string(res["cpu"].value("period", 100000)));
    WriteFile(cpu / "cpu.cfs_quota_us", std::to_string(res["cpu"].value("quota", -1)));
  }
  if (const fs::path mem = make("memory"); !mem.empty() && res.contains("memory")) {
    if (!WriteFile(mem / "memory.limit_in_bytes",
                   std::to_string(res["memory"].value("limit", std::int64_t{-1})))) {
      throw RuntimeError(runtime_name + ": cannot set memory limit in " + mem.string());
    }
    if (res["memory"].contains("swap") && fs::exists(mem / "memory.memsw.limit_in_bytes")) {
      WriteFile(mem / "memory.memsw.limit_in_bytes",
                std::to_string(res["memory"].value("swap", std::int64_t{-1})));
    }
  }
  make("cpuacct");
  make("pids");
  return procs_files;
}

void Container::Impl::RemoveCgroups() {
  // Ours (crun in v1), and parents of cgroupsPath the runtimes leave behind (runc removes only
  // the leaf). rmdir fails harmlessly on a non-empty or foreign directory.
  for (auto it = own_cgroups.rbegin(); it != own_cgroups.rend(); ++it) ::rmdir(it->c_str());
  const std::string path = config["linux"].value("cgroupsPath", "");
  if (!path.empty() && path[0] == '/') {
    std::error_code ec;
    for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
      for (fs::path p = h.path() / fs::path(path).relative_path();
           p.has_relative_path() && p != h.path(); p = p.parent_path()) {
        if (::rmdir(p.c_str()) != 0 && errno != ENOENT) break;
      }
    }
  }
}

fs::path Container::CgroupDir(const std::string& controller) const {
  const std::string& path = impl_->cgroup_path;
  if (path.empty()) return {};
  if (DetectCgroupMode() == CgroupMode::kUnified)
    return fs::path("/sys/fs/cgroup") / fs::path(path).relative_path();
  return fs::path("/sys/fs/cgroup") / controller / fs::path(path).relative_path();
}

}  // namespace ocibench::oci
