#include "harness/report/where_check.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace ocibench::report {
namespace {

using nlohmann::json;

std::string Field(const json& context, const char* name) {
  const auto it = context.find(name);
  return it != context.end() && it->is_string() ? it->get<std::string>() : "";
}

// A limit as run.json gives it (a number), or nullopt when unset (null, absent, 0).
std::optional<double> Limit(const json& limits, const char* name) {
  const auto it = limits.find(name);
  if (it == limits.end() || !it->is_number() || it->get<double>() <= 0) return std::nullopt;
  return it->get<double>();
}

// Whether `seen` (a where_* value: a number or "unlimited") is `asked` within `slack`.
bool Agrees(const std::string& seen, double asked, double slack) {
  char* end = nullptr;
  const double v = std::strtod(seen.c_str(), &end);
  return end != seen.c_str() && *end == '\0' && std::fabs(v - asked) <= slack;
}

bool IsRunsc(const RunRuntime& rt) {
  return rt.name.find("runsc") != std::string::npos ||
         std::filesystem::path(rt.path).filename() == "runsc";
}

}  // namespace

std::vector<std::string> WhereDisagreements(const RunInfo& run,
                                            const std::map<std::string, json>& contexts) {
  const json limits = run.raw.contains("limits") ? run.raw["limits"] : json::object();
  const auto cpus = Limit(limits, "cpus");
  const auto memory = Limit(limits, "memory_bytes");
  std::vector<std::string> out;
  for (const auto& rt : run.runtimes) {
    const auto c = contexts.find(rt.name);
    if (c == contexts.end()) continue;
    std::vector<std::string> what;
    const std::string seen_cpus = Field(c->second, "where_cgroup_cpus");
    // cpus becomes a CFS quota of cpus × period: exact to a microsecond of the period.
    if (cpus && !seen_cpus.empty() && !Agrees(seen_cpus, *cpus, 1e-3))
      what.push_back(fmt::format("where_cgroup_cpus={} but limits.cpus is {}", seen_cpus, *cpus));
    const std::string seen_mem = Field(c->second, "where_cgroup_memory_bytes");
    // The kernel rounds a memory limit down to its page size (64 KiB at most).
    if (memory && !seen_mem.empty() && !Agrees(seen_mem, *memory, 65536))
      what.push_back(fmt::format("where_cgroup_memory_bytes={} but limits.memory_bytes is {}",
                                 seen_mem, static_cast<unsigned long long>(*memory)));
    const std::string sandbox = Field(c->second, "where_sandbox");
    if (IsRunsc(rt) && sandbox != "gvisor")
      what.push_back(fmt::format("where_sandbox={} for a runsc runtime (gVisor expected)",
                                 sandbox.empty() ? "absent" : sandbox));
    if (what.empty()) continue;
    std::string line = fmt::format("{}: ocibench-bench saw other than the run asked:", rt.name);
    for (size_t i = 0; i < what.size(); ++i) line += (i ? "; " : " ") + what[i];
    out.push_back(line);
  }
  return out;
}

}  // namespace ocibench::report
