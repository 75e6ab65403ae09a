// RunProfilePass (profile_pass.h): strace -f -c of each benchmark at two fixed iteration counts.
#include "harness/run/profile_pass.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "harness/benchjson/benchjson.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/profile_file.h"
#include "harness/profile/tracer.h"
#include "harness/run/cell.h"
#include "harness/run/server_profile_pass.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::string Escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// One traced run at exactly `n` iterations: its counts, after checking from its own JSON that
// the benchmark ran `n` iterations without an error (else the counts are not per iteration).
std::map<std::string, profile::SyscallCount> Traced(const fs::path& bench, const GroupDef& g,
                                                    const std::string& name, long n,
                                                    const fs::path& json,
                                                    std::chrono::seconds timeout) {
  std::vector<std::string> argv = {bench.string(), "--benchmark_filter=^" + Escaped(name) + "(/|$)",
                                   fmt::format("--fixed_iterations={}", n),
                                   "--benchmark_out=" + json.string(),
                                   "--benchmark_out_format=json"};
  argv.insert(argv.end(), g.args.begin(), g.args.end());
  const profile::TracedRun t = profile::TraceCommand(argv, timeout);
  const auto doc = benchjson::ReadFile(json);
  for (const nlohmann::json* e : benchjson::Iterations(doc, true)) {
    if (benchjson::BaseName(e->value("name", "")) != name) continue;
    if (benchjson::Failed(*e))
      throw profile::ProfileError("failed under strace: " + e->value("error_message", "?"));
    if (e->value("iterations", 0L) != n)
      throw profile::ProfileError(
          fmt::format("ran {} iterations, not {}", e->value("iterations", 0L), n));
    return t.counts;
  }
  throw profile::ProfileError("not in its own JSON output");
}

}  // namespace

ProfilePassOutcome RunProfilePass(const fs::path& bench, const std::vector<GroupDef>& groups,
                                  const fs::path& results_dir, const std::atomic<bool>& stop,
                                  const ProfilePassOptions& o,
                                  const std::function<void(const std::string&)>& progress) {
  ProfilePassOutcome out;
  nlohmann::json pass = {{"tracer", "strace -f -c"},
                         {"iterations", {o.a, o.b}},
                         {"profiled", nlohmann::json::array()},
                         {"skipped", nlohmann::json::object()}};
  const fs::path work = results_dir / ".work" / "profile";
  std::error_code ec;
  fs::create_directories(work, ec);
  auto skip = [&](const std::string& name, const std::string& why) {
    out.skipped.emplace_back(name, why);
    pass["skipped"][name] = why;
  };
  for (const auto& g : groups) {
    if (out.interrupted || !out.error.empty()) break;
    if (g.server != Server::kNone) {
      try {  // the native server under strace -p, per request (server_profile_pass.h)
        const auto s = ProfileServerGroup(
            bench, g, results_dir, work, [&] { return stop.load(); }, progress);
        for (const auto& name : s.profiled) pass["profiled"].push_back(name);
        out.profiled += static_cast<int>(s.profiled.size());
        for (const auto& [name, why] : s.skipped) skip(name, why);
      } catch (const profile::MissingTracer& e) {
        out.error = e.what();
      }
      if (stop) out.interrupted = true;
      continue;
    }
    std::map<std::string, bool> seen;
    for (const auto& listed : ListBenchmarks(bench, g)) {
      const std::string name = benchjson::BaseName(listed);
      if (seen[name]) continue;
      seen[name] = true;
      if (stop) {
        out.interrupted = true;
        break;
      }
      // The modules that honour --fixed_iterations (benchmarks/fixed_iterations.h). An LZMA
      // iteration is a whole pass (~1 s at 2^22): 1 and 3 of them; it makes few calls.
      const bool lzma = name.starts_with("LZMA_");
      if (!lzma && !name.starts_with("Probe_") && !name.starts_with("Apps_")) {
        skip(name, "its iteration count cannot be fixed from the command line");
        continue;
      }
      const long a = lzma ? 1 : o.a, b = lzma ? 3 : o.b;
      progress(fmt::format("profile: {} (strace -f -c, {} and {} iterations)", name, a, b));
      try {
        const auto ca = Traced(bench, g, name, a, work / "a.json", o.timeout);
        const auto cb = Traced(bench, g, name, b, work / "b.json", o.timeout);
        profile::BenchmarkProfile p;
        p.benchmark = name;
        p.group = g.name;
        p.calls = profile::CallsPerUnit(ca, cb, a, b);
        p.command = {bench.string(), "--benchmark_filter=^" + Escaped(name) + "(/|$)",
                     "--fixed_iterations={n}"};
        p.method = fmt::format("--fixed_iterations {}:{}", a, b);
        profile::WriteProfile(results_dir, p);
        pass["profiled"].push_back(name);
        ++out.profiled;
      } catch (const profile::MissingTracer& e) {
        out.error = e.what();
        break;
      } catch (const std::exception& e) {
        if (stop) {
          out.interrupted = true;
          break;
        }
        skip(name, e.what());  // no partial profile is written
      }
    }
  }
  fs::remove_all(work, ec);
  pass["interrupted"] = out.interrupted;
  if (!out.error.empty()) pass["error"] = out.error;
  fs::create_directories(results_dir / "profile", ec);
  const fs::path file = results_dir / "profile" / "pass.json";
  {
    std::ofstream f(file.string() + ".tmp");
    f << pass.dump(2) << "\n";
  }
  fs::rename(file.string() + ".tmp", file, ec);
  return out;
}

}  // namespace ocibench::run
