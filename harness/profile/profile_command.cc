// `ocibench profile [--results DIR | --costs CSV] -- COMMAND [ARGS…]`: profiles a program
// natively (strace -f -c) and predicts, from a run's probe costs, what each runtime would cost it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/command.h"
#include "harness/profile/attribution.h"
#include "harness/profile/costs.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/profile_file.h"
#include "harness/profile/syscall_probes.h"
#include "harness/profile/tracer.h"
#include "harness/profile/verify_seam.h"

namespace ocibench::profile {
namespace {

struct Options {
  std::string results;
  std::string costs;
  std::string write_costs;
  int runs = 3;
  int timeout_s = 600;
  bool json = false;
  std::string units;             // "A:B": per unit of work (per_unit.h)
  std::string benchmark;         // its measured slowdowns from --results, beside the prediction
  std::string fd_kind = "file";  // "socket": reads/writes costed by the socket probes
  bool save = false;             // write --results/profile/<group>/<benchmark>.json
  bool verify = false;           // then run the command in each runtime (harness/verify/)
  std::string runtimes;          // --verify: a,b (default: every runtime of the costs)
  int rounds = 3;                // --verify: ABBA rounds
  std::vector<std::string> command;
};

// What was profiled: calls and native time of one unit (the whole run, or one of --units).
struct Profiled {
  std::map<std::string, double> calls;
  double native_s = 0;
  std::string what;  // for the header line
};

std::pair<long, long> ParseUnits(const std::string& text) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("");
    std::size_t ua = 0, ub = 0;
    const long a = std::stol(text.substr(0, colon), &ua);
    const long b = std::stol(text.substr(colon + 1), &ub);
    if (ua != colon || ub != text.size() - colon - 1) throw std::invalid_argument("");
    return {a, b};
  } catch (const std::exception&) {
    throw UsageError("profile: --units '" + text + "' is not A:B (two whole numbers, A < B)");
  }
}

std::string Duration(double s) {
  const double a = std::abs(s);
  if (a >= 1) return fmt::format("{:.3g} s", s);
  if (a >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  return fmt::format("{:.3g} µs", s * 1e6);
}

std::vector<RuntimeCosts> LoadCosts(const Options& o) {
  if (!o.results.empty()) return CostsFromResults(o.results);
  std::ifstream in(o.costs);
  if (!in) throw ProfileError("profile: cannot read the costs file " + o.costs);
  std::stringstream s;
  s << in.rdbuf();
  return ParseCostsCsv(s.str());
}

double MedianOf(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

nlohmann::json ToJson(const Prediction& p) {
  nlohmann::json c = nlohmann::json::array();
  for (const auto& x : p.contributions)
    c.push_back({{"syscall", x.syscall},
                 {"calls", x.calls},
                 {"added_s", x.added_s},
                 {"probe", x.probe},
                 {"basis", x.fallback ? "fallback" : "probe"}});
  return {{"runtime", p.runtime},         {"native_s", p.native_s},
          {"predicted_s", p.predicted_s}, {"predicted_slowdown", p.Slowdown()},
          {"contributions", c},           {"uncosted", p.uncosted}};
}

void PrintText(const Options& o, const Profiled& prof, const std::vector<Prediction>& preds,
               const std::vector<RuntimeCosts>& costs,
               const std::map<std::string, double>& measured) {
  double total = 0;
  for (const auto& [n, c] : prof.calls) total += c;
  std::printf("%s\n",
              fmt::format("profile: {}: {}: {:.0f} system calls (strace -f -c), native {} "
                          "(medians of {} untraced runs); costs from {}",
                          fmt::join(o.command, " "), prof.what, total, Duration(prof.native_s),
                          o.runs, o.results.empty() ? o.costs : o.results)
                  .c_str());
  std::printf("%-18s %11s %9s %9s %9s  %s\n", "runtime", "predicted", "slowdown", "measured",
              "explained", "top system calls (calls × added cost = added time)");
  std::set<std::string> fallbacks;
  for (const auto& p : preds) {
    std::string top;
    for (std::size_t i = 0; i < p.contributions.size() && i < 3; ++i) {
      const auto& c = p.contributions[i];
      top += fmt::format("{}{} {:.0f} × {} = {}{}", i ? "; " : "", c.syscall, c.calls,
                         Duration(c.added_s / c.calls), Duration(c.added_s),
                         c.fallback ? " (fallback)" : "");
    }
    for (const auto& c : p.contributions)
      if (c.fallback) fallbacks.insert(c.syscall);
    std::string meas = "-", expl = "-";
    if (const auto m = measured.find(p.runtime); m != measured.end()) {
      meas = fmt::format("{:.2f}x", m->second);
      if (const auto f = ExplainedFraction(p.Slowdown(), m->second))
        expl = fmt::format("{:.0f}%", *f * 100);
    }
    std::printf("%-18s %11s %8.2fx %9s %9s  %s\n", p.runtime.c_str(),
                Duration(p.predicted_s).c_str(), p.Slowdown(), meas.c_str(), expl.c_str(),
                top.c_str());
    if (!p.uncosted.empty())
      std::printf("%-18s not predicted: no cost for %s (and no %s fallback)\n", "",
                  fmt::format("{}", fmt::join(p.uncosted, ", ")).c_str(), kFallbackProbe);
  }
  if (!fallbacks.empty())
    std::printf("no probe of their own (costed as a bare trap, %s): %s\n", kFallbackProbe,
                fmt::format("{}", fmt::join(fallbacks, ", ")).c_str());
  for (const auto& rc : costs)
    if (!rc.missing.empty())
      std::printf(
          "%s: the results lack the probes %s (a socket row then uses its call's file cost, the "
          "others the bare-trap fallback)\n",
          rc.runtime.c_str(), fmt::format("{}", fmt::join(rc.missing, ", ")).c_str());
}

int Run(const Options& o) {
  try {
    if (o.results.empty() == o.costs.empty())
      throw UsageError("profile: give one of --results DIR or --costs FILE");
    const std::vector<RuntimeCosts> costs = LoadCosts(o);
    if (!o.write_costs.empty()) {
      const std::string tmp = o.write_costs + ".tmp";
      std::ofstream(tmp) << CostsCsv(costs);
      std::filesystem::rename(tmp, o.write_costs);
      if (o.command.empty()) return cli::kExitOk;
    }
    if (o.command.empty()) throw UsageError("profile: no command (ocibench profile -- CMD …)");
    if (costs.empty())
      throw ProfileError("profile: " + (o.results.empty() ? o.costs : o.results) +
                         " has no runtime with probe costs: nothing to predict");
    if (!o.benchmark.empty() && o.results.empty())
      throw UsageError("profile: --benchmark needs --results (its measured slowdowns)");
    const auto kind = ParseFdKind(o.fd_kind);
    if (!kind)
      throw UsageError("profile: --fd-kind '" + o.fd_kind +
                       "' is neither file, socket nor host-socket");
    if (o.save && (o.benchmark.empty() || o.units.empty()))
      throw UsageError("profile: --save needs --benchmark NAME and --units A:B (per iteration)");
    const std::string group = o.save ? GroupOf(o.results, o.benchmark) : "";
    if (o.save && group.empty())
      throw UsageError("profile: --save: " + o.results + " has no native results of " +
                       o.benchmark + " (bench/native/<group>/)");
    if (o.verify && o.json) throw UsageError("profile: --verify prints a table; drop --json");
    if (o.verify && !VerifierSlot())
      throw UsageError("profile: --verify is not built into this ocibench (harness/verify/)");
    const auto timeout = std::chrono::seconds(o.timeout_s);
    Profiled prof;
    if (o.units.empty()) {
      const TracedRun traced = TraceCommand(o.command, timeout);
      prof = {CallsPer(traced.counts), MedianOf(TimeCommand(o.command, o.runs, timeout)),
              "the whole run"};
    } else {
      const auto [a, b] = ParseUnits(o.units);
      WithUnits(o.command, a);  // a usage error before anything runs
      const PerUnit u = ProfilePerUnit(o.command, a, b, o.runs, timeout);
      prof = {u.calls, u.native_s, fmt::format("per unit ({{n}} = {} and {})", a, b)};
    }
    if (o.save) {
      // Only a profile that ran to the end at both sizes gets here (errors throw first).
      BenchmarkProfile bp;
      bp.benchmark = o.benchmark;
      bp.group = group;
      bp.fd_kind = *kind;
      bp.calls = prof.calls;
      bp.command = o.command;
      bp.method = "--units " + o.units;
      WriteProfile(o.results, bp);
      std::fprintf(stderr, "profile: wrote %s\n",
                   ProfilePath(o.results, group, o.benchmark).string().c_str());
    }
    prof.calls = WithFdKind(prof.calls, *kind);
    std::map<std::string, double> measured;
    if (!o.benchmark.empty()) {
      // The benchmark's native time from the same run as the costs (not this host's noise now):
      // only the counts come from the profile.
      const Measured m = MeasuredSlowdowns(o.results, o.benchmark);
      if (m.slowdowns.empty())
        throw ProfileError("profile: " + o.results + " has no native and runtime figures of " +
                           o.benchmark);
      measured = m.slowdowns;
      prof.what += fmt::format(", native {} per unit from {} (profiled here: {})",
                               Duration(m.native_s), o.results, Duration(prof.native_s));
      prof.native_s = m.native_s;
    }
    std::vector<Prediction> preds;
    for (const auto& rc : costs) preds.push_back(Predict(prof.calls, prof.native_s, rc));
    if (o.json) {
      nlohmann::json j = {{"command", o.command},      {"unit", prof.what},
                          {"native_s", prof.native_s}, {"runs", o.runs},
                          {"calls", prof.calls},       {"predictions", nlohmann::json::array()}};
      double total = 0;
      for (const auto& [n, c] : prof.calls) total += c;
      j["total_calls"] = total;
      for (const auto& p : preds) {
        nlohmann::json pj = ToJson(p);
        if (const auto m = measured.find(p.runtime); m != measured.end()) {
          pj["measured_slowdown"] = m->second;
          if (const auto f = ExplainedFraction(p.Slowdown(), m->second)) pj["explained"] = *f;
        }
        j["predictions"].push_back(pj);
      }
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      PrintText(o, prof, preds, costs, measured);
    }
    if (o.verify) {
      VerifyRequest v;
      v.command = o.command;
      if (!o.units.empty()) v.units = ParseUnits(o.units);
      v.rounds = o.rounds;
      v.timeout = timeout;
      std::stringstream names(o.runtimes);
      for (std::string name; std::getline(names, name, ',');)
        if (!name.empty()) v.runtimes.push_back(name);
      for (const auto& p : preds) v.predicted[p.runtime] = p.Slowdown();
      v.costs_from = o.results.empty() ? o.costs : o.results;
      std::fflush(stdout);
      return VerifierSlot()(v);
    }
    return cli::kExitOk;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return cli::kExitUsage;
  } catch (const ProfileError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return cli::kExitFailure;
  }
}

std::function<int()> Setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("--results", o->results, "results directory whose probes give the costs")
      ->check(CLI::ExistingDirectory);
  sub.add_option("--costs", o->costs,
                 "costs CSV (from --write-costs) instead of a results directory");
  sub.add_option("--write-costs", o->write_costs,
                 "write the costs table as CSV here (a command is then optional)");
  sub.add_option("--runs", o->runs, "untraced native runs timed (median)")
      ->check(CLI::Range(1, 1000));
  sub.add_option("--timeout", o->timeout_s, "seconds each run of the command may take")
      ->check(CLI::Range(1, 86400));
  sub.add_flag("--json", o->json, "JSON instead of the table");
  sub.add_option("--units", o->units,
                 "A:B: profile per unit of work, the command run with {n} = A and = B in its "
                 "arguments (e.g. --probes_pathlib_iterations={n})");
  sub.add_option("--benchmark", o->benchmark,
                 "a benchmark of --results whose measured slowdowns to set beside the prediction");
  sub.add_option("--fd-kind", o->fd_kind,
                 "file|socket|host-socket: the kind of descriptor the profile's "
                 "read/write/epoll_wait are on (strace -c cannot tell; socket for a traced "
                 "server on a runtime's own network, host-socket on the host network)");
  sub.add_flag("--save", o->save,
               "with --benchmark and --units: write the per-iteration profile to "
               "--results/profile/<group>/<benchmark>.json (the report's Why section)");
  auto* verify = sub.add_flag(
      "--verify", o->verify,
      "then run the command in each runtime of the costs (a host-rootfs container, ABBA "
      "rounds) and print measured beside predicted (docs/profile.md)");
  sub.add_option("--runtimes", o->runtimes, "--verify: these runtimes only (a,b)")->needs(verify);
  sub.add_option("--rounds", o->rounds, "--verify: ABBA rounds (native and runtime back to back)")
      ->check(CLI::Range(1, 1000))
      ->needs(verify);
  sub.add_option("command", o->command, "the program and its arguments (after --)");
  return [o] { return Run(*o); };
}

}  // namespace

OCIBENCH_COMMAND(profile,
                 "Profile a program's system calls natively and predict each runtime's cost",
                 Setup);

}  // namespace ocibench::profile
