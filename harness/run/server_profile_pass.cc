// ProfileServerGroup (server_profile_pass.h): a native redis-server or nginx under strace -p.
#include "harness/run/server_profile_pass.h"

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "harness/benchjson/benchjson.h"
#include "harness/process/command.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/profile_file.h"
#include "harness/profile/tracer.h"
#include "harness/run/cell.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// A server on the host network does its socket work in the host kernel (placements server-only
// and both-host): its socket calls cost the bare trap (profile/syscall_probes.cc).
profile::FdKind RunFdKind(const fs::path& results_dir) {
  std::ifstream in(results_dir / "run.json");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  std::string placement = "server-only";
  if (j.is_object() && j.contains("config") && j["config"].value("placement", "") != "")
    placement = j["config"]["placement"].get<std::string>();
  return placement == "server-only" || placement == "both-host" ? profile::FdKind::kHostSocket
                                                                : profile::FdKind::kSocket;
}

struct Plan {
  std::string unit;       // "request" or "iteration"
  long a, b;              // units of work at the two traced runs
  std::string count_arg;  // the flag that fixes the count, "{n}" replaced
};

Plan PlanFor(const std::string& name) {
  // Redis: 50 clients × requests; an HTTP 1 KB request per iteration; a download per iteration.
  if (name.starts_with("Redis_")) return {"request", 2000, 6000, "--redis_requests={n}"};
  if (name.starts_with("HTTP_Request")) return {"request", 100, 300, "--fixed_iterations={n}"};
  if (name == "HTTP_Download/1MB") return {"iteration", 20, 60, "--fixed_iterations={n}"};
  return {"iteration", 2, 6, "--fixed_iterations={n}"};
}

std::string Replace(std::string s, long n) {
  const auto at = s.find("{n}");
  return at == std::string::npos ? s : s.replace(at, 3, std::to_string(n));
}

}  // namespace

ServerProfileOutcome ProfileServerGroup(const fs::path& bench, const GroupDef& g,
                                        const fs::path& results_dir, const fs::path& work,
                                        const std::function<bool()>& stopped,
                                        const std::function<void(const std::string&)>& progress) {
  ServerProfileOutcome out;
  std::unique_ptr<servers::RedisServer> redis;
  std::unique_ptr<servers::NginxServer> nginx;
  std::string address, server_flag, binary;
  pid_t pid = -1;
  try {
    if (g.server == Server::kRedis) {
      redis = std::make_unique<servers::RedisServer>();
      address = redis->address(), server_flag = "--redis_server=", binary = "redis-server";
      pid = redis->pid();
    } else {
      nginx = std::make_unique<servers::NginxServer>();
      address = nginx->address(), server_flag = "--http_server=", binary = "nginx";
      pid = nginx->pid();
    }
  } catch (const std::exception& e) {
    out.skipped.emplace_back(g.name, std::string("native server: ") + e.what());
    return out;
  }
  const profile::FdKind fd_kind = RunFdKind(results_dir);
  std::map<std::string, bool> seen;
  for (const auto& listed : ListBenchmarks(bench, g)) {
    const std::string name = benchjson::BaseName(listed);
    if (seen[name] || stopped()) continue;
    seen[name] = true;
    const Plan plan = PlanFor(name);
    progress(fmt::format("profile: {} ({} under strace -f -c -p, {} and {} {}s)", name, binary,
                         plan.a, plan.b, plan.unit));
    try {
      std::map<std::string, profile::SyscallCount> counts[2];
      for (int i = 0; i < 2; ++i) {
        const long n = i == 0 ? plan.a : plan.b;
        const fs::path json = work / "server.json";
        std::vector<std::string> argv = {bench.string(), "--benchmark_filter=^" + name + "(/|$)",
                                         server_flag + address, "--benchmark_out=" + json.string(),
                                         "--benchmark_out_format=json"};
        for (const auto& x : g.args)  // the count is ours (a flag given twice is an error)
          if (!x.starts_with("--redis_requests=")) argv.push_back(x);
        argv.push_back(Replace(plan.count_arg, n));
        counts[i] = profile::TraceAttached(pid, [&] {
                      const auto r = process::RunCommand(
                          argv, process::WithTimeout(std::chrono::seconds(300)));
                      if (!r.ok())
                        throw profile::ProfileError("the client failed: " + r.LastLine());
                    }).counts;
        const auto doc = benchjson::ReadFile(json);
        bool ran = false;
        for (const nlohmann::json* e : benchjson::Iterations(doc, true)) {
          if (benchjson::BaseName(e->value("name", "")) != name) continue;
          if (benchjson::Failed(*e))
            throw profile::ProfileError("failed: " + e->value("error_message", "?"));
          ran = true;
        }
        if (!ran) throw profile::ProfileError("not in its own JSON output");
      }
      profile::BenchmarkProfile p;
      p.benchmark = name;
      p.group = g.name;
      p.unit = plan.unit;
      p.fd_kind = fd_kind;
      p.calls = profile::CallsPerUnit(counts[0], counts[1], plan.a, plan.b);
      p.tracer = "strace -f -c -p <" + binary + ">";
      p.command = {binary};
      p.method = fmt::format("{} {}:{}", plan.count_arg.substr(0, plan.count_arg.find('=')), plan.a,
                             plan.b);
      profile::WriteProfile(results_dir, p);
      out.profiled.push_back(name);
    } catch (const profile::MissingTracer&) {
      throw;
    } catch (const std::exception& e) {
      out.skipped.emplace_back(name, e.what());  // no partial profile is written
    }
  }
  return out;
}

}  // namespace ocibench::run
