// CostsFromResults and the costs CSV (costs.h).
#include "harness/profile/costs.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "harness/benchjson/benchjson.h"
#include "harness/profile/strace_summary.h"
#include "harness/profile/syscall_probes.h"

namespace ocibench::profile {
namespace fs = std::filesystem;
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// runtime → probe base name → real times (ns) of its repetitions, from every group's files.
using ProbeTimes = std::map<std::string, std::map<std::string, std::vector<double>>>;

ProbeTimes ReadProbeTimes(const fs::path& dir) {
  ProbeTimes out;
  const fs::path bench = dir / "bench";
  if (!fs::is_directory(bench)) return out;
  for (const auto& rt : fs::directory_iterator(bench)) {
    if (!rt.is_directory()) continue;
    for (const auto& group : fs::directory_iterator(rt.path())) {
      if (!group.is_directory()) continue;
      for (const auto& file : fs::directory_iterator(group.path())) {
        if (file.path().extension() != ".json") continue;
        nlohmann::json doc;
        try {
          doc = benchjson::ReadFile(file.path());
          for (const nlohmann::json* e : benchjson::Iterations(doc)) {
            const std::string name = benchjson::BaseName(e->value("name", ""));
            if (!name.starts_with("Probe_")) continue;
            if (auto ms = benchjson::RealTimeMs(*e))
              out[rt.path().filename().string()][name].push_back(*ms * 1e6);
          }
        } catch (const std::exception&) {
          continue;  // a failed or partial cell: its probes are simply not there
        }
      }
    }
  }
  return out;
}

std::optional<double> AddedPerCall(const ProbeTimes& t, const std::string& runtime,
                                   const std::string& probe, double calls_per_iteration) {
  const auto rt = t.find(runtime), nat = t.find("native");
  if (rt == t.end() || nat == t.end()) return std::nullopt;
  const auto a = rt->second.find(probe), b = nat->second.find(probe);
  if (a == rt->second.end() || b == nat->second.end()) return std::nullopt;
  return (Median(a->second) - Median(b->second)) / calls_per_iteration;
}

double FallbackCalls() {
  for (const auto& row : SyscallProbeTable())
    if (row.probe == kFallbackProbe) return row.calls_per_iteration;
  return 1;
}

}  // namespace

std::optional<SyscallCost> RuntimeCosts::For(const std::string& syscall) const {
  const auto it = by_syscall.find(syscall);
  if (it != by_syscall.end()) return it->second;
  // A host-network socket row a costs file lacks (one from before those rows): the bare trap,
  // which is what that row stands for (syscall_probes.cc), not a fallback.
  if (syscall.ends_with(kHostSocketSuffix) && fallback) {
    SyscallCost c = *fallback;
    c.syscall = syscall;
    c.fallback = false;
    return c;
  }
  // A socket row the results lack (a run before the socket probes): the call's own file cost.
  if (const auto at = syscall.find('@'); at != std::string::npos) {
    if (auto base = For(syscall.substr(0, at))) {
      base->syscall = syscall;
      return base;
    }
  }
  if (!fallback) return std::nullopt;
  SyscallCost c = *fallback;
  c.syscall = syscall;
  c.fallback = true;
  return c;
}

std::vector<RuntimeCosts> CostsFromResults(const fs::path& dir) {
  const ProbeTimes t = ReadProbeTimes(dir);
  if (!t.contains("native"))
    throw ProfileError(dir.string() +
                       ": no native probe results (bench/native/<group>/rep-*.json with "
                       "Probe_* benchmarks): run `ocibench run --groups probes` first");
  std::vector<RuntimeCosts> out;
  for (const auto& [runtime, probes] : t) {
    if (runtime == "native") continue;
    RuntimeCosts rc{runtime, {}, {}, {}};
    std::set<std::string> missing;
    // A system call with several rows takes the first whose probe this run has (the table
    // lists the closest probe first); a probe is missing when its call got no cost at all.
    std::map<std::string, std::string> wanted;  // syscall → its first row's probe
    for (const auto& row : SyscallProbeTable()) {
      wanted.emplace(row.syscall, row.probe);
      if (rc.by_syscall.contains(row.syscall)) continue;
      if (auto ns = AddedPerCall(t, runtime, row.probe, row.calls_per_iteration))
        rc.by_syscall[row.syscall] = {row.syscall, *ns, row.probe, false};
    }
    for (const auto& [call, probe] : wanted)
      if (!rc.by_syscall.contains(call)) missing.insert(probe);
    if (auto ns = AddedPerCall(t, runtime, kFallbackProbe, FallbackCalls()))
      rc.fallback = SyscallCost{"*", *ns, kFallbackProbe, true};
    rc.missing.assign(missing.begin(), missing.end());
    out.push_back(std::move(rc));
  }
  return out;
}

std::string CostsCsv(const std::vector<RuntimeCosts>& costs) {
  std::string out = "runtime,syscall,added_ns,probe,basis\n";
  for (const auto& rc : costs) {
    for (const auto& [name, c] : rc.by_syscall)
      out += fmt::format("{},{},{:.3f},{},probe\n", rc.runtime, name, c.added_ns, c.probe);
    if (rc.fallback)
      out += fmt::format("{},*,{:.3f},{},fallback\n", rc.runtime, rc.fallback->added_ns,
                         rc.fallback->probe);
  }
  return out;
}

std::vector<RuntimeCosts> ParseCostsCsv(const std::string& text) {
  std::istringstream in(text);
  std::vector<RuntimeCosts> out;
  std::string line;
  if (!std::getline(in, line) || line != "runtime,syscall,added_ns,probe,basis")
    throw ProfileError("costs CSV: the first line must be runtime,syscall,added_ns,probe,basis");
  for (int n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    double ns = 0;
    try {
      std::size_t used = 0;
      ns = f.size() == 5 ? std::stod(f[2], &used) : 0;
      if (f.size() != 5 || used != f[2].size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw ProfileError(
          fmt::format("costs CSV line {}: '{}' is not runtime,syscall,added_ns,"
                      "probe,basis",
                      n, line));
    }
    if (out.empty() || out.back().runtime != f[0]) out.push_back({f[0], {}, {}, {}});
    const SyscallCost c{f[1], ns, f[3], f[4] == "fallback"};
    if (f[1] == "*")
      out.back().fallback = c;
    else
      out.back().by_syscall[f[1]] = c;
  }
  return out;
}

}  // namespace ocibench::profile
