// ProfilePerUnit and MeasuredSlowdowns (per_unit.h).
#include "harness/profile/per_unit.h"

#include <algorithm>
#include <filesystem>

#include "harness/benchjson/benchjson.h"
#include "harness/profile/strace_summary.h"
#include "harness/profile/tracer.h"

namespace ocibench::profile {
namespace fs = std::filesystem;
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

std::vector<std::string> WithUnits(const std::vector<std::string>& argv, long n) {
  std::vector<std::string> out;
  bool found = false;
  for (std::string a : argv) {
    for (std::size_t p; (p = a.find("{n}")) != std::string::npos; found = true)
      a.replace(p, 3, std::to_string(n));
    out.push_back(a);
  }
  if (!found)
    throw UsageError(
        "profile: --units needs an argument with {n} (the number of units), e.g. "
        "--probes_pathlib_iterations={n}");
  return out;
}

PerUnit ProfilePerUnit(const std::vector<std::string>& argv, long a, long b, int runs,
                       std::chrono::seconds timeout) {
  if (a < 0 || b <= a) throw UsageError("profile: --units A:B needs 0 <= A < B");
  const auto cmd_a = WithUnits(argv, a), cmd_b = WithUnits(argv, b);
  const TracedRun ta = TraceCommand(cmd_a, timeout), tb = TraceCommand(cmd_b, timeout);
  const double sa = Median(TimeCommand(cmd_a, runs, timeout));
  const double sb = Median(TimeCommand(cmd_b, runs, timeout));
  const double units = static_cast<double>(b - a);
  PerUnit p{{}, (sb - sa) / units, ta.total_calls, tb.total_calls};
  if (!(p.native_s > 0))
    throw ProfileError("profile: the untraced run of " + std::to_string(b) +
                       " units was not slower than of " + std::to_string(a) +
                       " (the units do not set the work, or the host is too noisy: more --runs)");
  p.calls = CallsPerUnit(ta.counts, tb.counts, a, b);
  return p;
}

std::map<std::string, double> CallsPerUnit(const std::map<std::string, SyscallCount>& at_a,
                                           const std::map<std::string, SyscallCount>& at_b, long a,
                                           long b) {
  std::map<std::string, double> out;
  for (const auto& [name, c] : at_b) {
    const auto it = at_a.find(name);
    const double d =
        static_cast<double>(c.calls) - (it == at_a.end() ? 0.0 : double(it->second.calls));
    if (d > 0) out[name] = d / static_cast<double>(b - a);
  }
  return out;
}

namespace {

// runtime → the figure `pick` takes from each repetition of benchmark `name`.
template <class Pick>
std::map<std::string, std::vector<double>> Figures(const std::string& results_dir,
                                                   const std::string& name, Pick pick) {
  std::map<std::string, std::vector<double>> out;
  const fs::path bench = fs::path(results_dir) / "bench";
  std::error_code ec;
  if (!fs::is_directory(bench, ec)) return out;
  for (const auto& rt : fs::directory_iterator(bench))
    for (const auto& group : fs::directory_iterator(rt.path()))
      for (const auto& file : fs::directory_iterator(group.path())) {
        if (file.path().extension() != ".json") continue;
        try {
          const auto doc = benchjson::ReadFile(file.path());
          for (const nlohmann::json* e : benchjson::Iterations(doc))
            if (benchjson::BaseName(e->value("name", "")) == name)
              if (std::optional<double> v = pick(*e))
                out[rt.path().filename().string()].push_back(*v);
        } catch (const std::exception&) {
          continue;  // a failed cell has no figure
        }
      }
  return out;
}

}  // namespace

Measured MeasuredSlowdowns(const std::string& results_dir, const std::string& name) {
  auto ms =
      Figures(results_dir, name, [](const nlohmann::json& e) { return benchjson::RealTimeMs(e); });
  Measured out;
  if (!ms.contains("native")) return out;
  const double native = Median(ms["native"]);
  out.native_s = native * 1e-3;
  for (const auto& [rt, v] : ms)
    if (rt != "native") out.slowdowns[rt] = Median(v) / native;
  return out;
}

Measured MeasuredPerRequest(const std::string& results_dir, const std::string& name) {
  auto rps = Figures(results_dir, name, [](const nlohmann::json& e) -> std::optional<double> {
    const auto c = benchjson::Counters(e);
    const auto it = c.find("rps");
    if (it == c.end() || !(it->second > 0)) return std::nullopt;
    return it->second;
  });
  Measured out;
  if (!rps.contains("native")) return out;
  const double native = Median(rps["native"]);
  out.native_s = 1 / native;
  for (const auto& [rt, v] : rps)
    if (rt != "native") out.slowdowns[rt] = native / Median(v);
  return out;
}

}  // namespace ocibench::profile
