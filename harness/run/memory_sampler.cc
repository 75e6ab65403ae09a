// MemorySampler: /proc/meminfo, the cgroup's usage file, smaps_rollup of the runtime processes.
#include "harness/run/memory_sampler.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <vector>

#include "harness/process/proc.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::optional<std::uint64_t> ReadNumber(const fs::path& p) {
  std::ifstream in(p);
  std::uint64_t v;
  if (in >> v) return v;
  return std::nullopt;
}

std::string Field(const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : ""; }

}  // namespace

std::optional<std::uint64_t> HostUsedBytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t v, total = 0, avail = 0;
  std::string unit;
  while (in >> key >> v) {
    std::getline(in, unit);
    if (key == "MemTotal:") total = v;
    if (key == "MemAvailable:") avail = v;
  }
  if (total == 0) return std::nullopt;
  return (total - avail) * 1024;
}

std::optional<std::uint64_t> PssBytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
  std::string key;
  std::uint64_t v;
  std::string rest;
  while (in >> key) {
    if (key == "Pss:" && in >> v) return v * 1024;
    std::getline(in, rest);
  }
  return std::nullopt;
}

MemorySampler::MemorySampler(std::string prefix, bool runtime_pss, std::function<void()> tick,
                             const std::vector<pid_t>& excluded)
    : prefix_(std::move(prefix)),
      runtime_pss_(runtime_pss),
      tick_(std::move(tick)),
      excluded_(excluded.begin(), excluded.end()),
      t0_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { Loop(); });
}

MemorySampler::~MemorySampler() { Stop(); }

void MemorySampler::SetCgroupFile(const fs::path& f) {
  std::lock_guard l(mu_);
  cgroup_file_ = f;
}

void MemorySampler::ExcludeTree(pid_t pid) {
  std::lock_guard l(mu_);
  excluded_.insert(pid);
}

void MemorySampler::SetRuntimeRoots(std::function<std::vector<pid_t>()> roots,
                                    std::vector<fs::path> exclude_procs) {
  std::lock_guard l(mu_);
  roots_ = std::move(roots);
  exclude_procs_ = std::move(exclude_procs);
}

std::string MemorySampler::Stop() {
  done_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard l(mu_);
  return rows_;
}

void MemorySampler::Loop() {
  const pid_t self = ::getpid();
  auto next = t0_;
  while (!done_) {
    if (tick_) tick_();
    fs::path cg;
    std::vector<fs::path> exclude_procs;
    std::set<pid_t> excluded;
    std::function<std::vector<pid_t>()> roots;
    {
      std::lock_guard l(mu_);
      cg = cgroup_file_;
      excluded = excluded_;
      roots = roots_;
      exclude_procs = exclude_procs_;
    }
    std::set<pid_t> root_set;
    if (roots) {
      for (pid_t p : roots()) root_set.insert(p);
      for (const auto& f : exclude_procs) {
        std::ifstream procs(f);
        for (pid_t p; procs >> p;) excluded.insert(p);
      }
    }
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::optional<std::uint64_t> pss;
    if (runtime_pss_) {
      // Descendants of ocibench, minus the excluded subtrees.
      const auto parents = process::ParentMap();
      std::uint64_t sum = 0;
      bool any = false;
      for (const auto& [pid, ppid] : parents) {
        bool mine = false;
        for (pid_t p = pid; p > 1;) {
          if (excluded.count(p)) break;
          if (roots && root_set.count(p)) {
            mine = true;
            break;
          }
          auto it = parents.find(p);
          if (it == parents.end()) break;
          if (!roots && it->second == self) {
            mine = true;
            break;
          }
          p = it->second;
        }
        if (!mine || pid == self) continue;
        if (auto v = PssBytes(pid)) {
          sum += *v;
          any = true;
        }
      }
      if (any) pss = sum;
    }
    const std::string row = fmt::format("{}{:.2f},{},{},{}\n", prefix_, t, Field(HostUsedBytes()),
                                        cg.empty() ? "" : Field(ReadNumber(cg)), Field(pss));
    {
      std::lock_guard l(mu_);
      rows_ += row;
    }
    next += std::chrono::milliseconds(100);
    while (!done_ && std::chrono::steady_clock::now() < next)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace ocibench::run
