// `ocibench k8s`: writes the matrix of a config as Kubernetes objects (objects.json, a v1 List
// for `kubectl apply -f`) and plan.json; `ocibench k8s collect PLAN_DIR` reads the Jobs back
// with kubectl into a fleet directory. Talks to a cluster only through kubectl, only in collect.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "harness/command.h"
#include "harness/k8s/k8s_collect.h"
#include "harness/k8s/k8s_objects.h"
#include "harness/process/atomic_file.h"
#include "harness/process/command.h"
#include "harness/run/host_info.h"

namespace ocibench::k8s {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Flags {
  std::string config, out, runtimes, groups, ns = "ocibench", bench_image, redis_image;
  std::vector<std::string> handlers, nodes;
  int repetitions = 0;
  // collect
  std::string plan_dir, collect_out, kubectl = "kubectl", context;
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

int Generate(const Flags& f) {
  K8sOptions o;
  K8sPlan plan;
  try {
    if (!f.config.empty()) run::LoadToml(f.config, o.config);
    if (!f.runtimes.empty()) o.config.runtimes = SplitList(f.runtimes);
    if (!f.groups.empty()) o.config.groups = SplitList(f.groups);
    if (f.repetitions > 0) o.config.repetitions = f.repetitions;
    for (const auto& h : f.handlers) {
      const auto eq = h.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == h.size())
        throw run::ConfigError("--handler '" + h + "': use RUNTIME=HANDLER, e.g. runsc=runsc");
      o.handlers[h.substr(0, eq)] = h.substr(eq + 1);
    }
    for (const auto& n : f.nodes)
      for (const auto& x : SplitList(n)) o.nodes.push_back(x);
    o.ns = f.ns;
    if (!f.bench_image.empty()) o.bench_image = f.bench_image;
    if (!f.redis_image.empty()) o.redis_image = f.redis_image;
    o.run_id = NewRunId();
    plan = MakePlan(o);
  } catch (const run::ConfigError& e) {
    std::fprintf(stderr, "ocibench k8s: %s\n", e.what());
    return cli::kExitUsage;
  }
  const fs::path out = f.out.empty()
                           ? o.config.results_root / ("k8s-" + run::UtcNow("%Y%m%dT%H%M%SZ"))
                           : fs::path(f.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "ocibench k8s: cannot create %s: %s\n", out.c_str(), ec.message().c_str());
    return cli::kExitUsage;
  }
  try {
    process::WriteFileAtomic(out / "objects.json", plan.ObjectList().dump(2) + "\n");
    process::WriteFileAtomic(out / "plan.json", plan.PlanJson(o.config).dump(2) + "\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ocibench k8s: %s\n", e.what());
    return cli::kExitUsage;
  }
  for (const auto& s : plan.skipped) std::fprintf(stderr, "ocibench k8s: skipped %s\n", s.c_str());
  std::printf(
      "%s: %zu RuntimeClass(es), %zu Job(s) in namespace %s (run %s)\n"
      "  kubectl apply -f %s\n"
      "  kubectl -n %s wait --for=condition=complete --timeout=-1s -l ocibench.io/run=%s job\n"
      "  ocibench k8s collect %s\n"
      "  kubectl -n %s delete job -l ocibench.io/run=%s\n",
      out.c_str(), plan.runtime_classes.size(), plan.jobs.size(), plan.ns.c_str(),
      plan.run_id.c_str(), (out / "objects.json").c_str(), plan.ns.c_str(), plan.run_id.c_str(),
      out.c_str(), plan.ns.c_str(), plan.run_id.c_str());
  return cli::kExitOk;
}

// One kubectl command, its context and namespace flags added.
process::CommandResult Kubectl(const Flags& f, const std::string& ns,
                               std::vector<std::string> args) {
  std::vector<std::string> argv = {f.kubectl};
  if (!f.context.empty()) argv.insert(argv.end(), {"--context", f.context});
  if (!ns.empty()) argv.insert(argv.end(), {"-n", ns});
  argv.insert(argv.end(), args.begin(), args.end());
  return process::RunCommand(argv, process::WithTimeout(std::chrono::seconds(60)));
}

// A Job's state from `kubectl get job -o json`: ok, failed (with the condition's message) or
// pending (not finished yet).
JobOutcome JobState(const process::CommandResult& r) {
  if (!r.ok()) return {"failed", "kubectl get job: " + r.LastLine(), ""};
  const json j = json::parse(r.out, nullptr, false);
  const json st = j.is_object() ? j.value("status", json::object()) : json::object();
  if (st.value("succeeded", 0) > 0) return {"ok", "", ""};
  if (st.value("failed", 0) > 0) {
    std::string why = "the Job failed";
    for (const auto& c : st.value("conditions", json::array()))
      if (c.value("type", "") == "Failed")
        why += ": " + c.value("reason", std::string()) + " " + c.value("message", std::string());
    return {"failed", why, ""};
  }
  return {"pending", "not finished when collected: run `ocibench k8s collect` again later", ""};
}

int Collect(const Flags& f) {
  json plan;
  {
    std::ifstream in(fs::path(f.plan_dir) / "plan.json");
    if (!in) {
      std::fprintf(stderr,
                   "ocibench k8s collect: %s/plan.json: cannot read (the directory "
                   "`ocibench k8s --out` wrote)\n",
                   f.plan_dir.c_str());
      return cli::kExitUsage;
    }
    plan = json::parse(in, nullptr, false);
    if (!plan.is_object() || plan.value("kind", "") != "ocibench-k8s-plan") {
      std::fprintf(stderr, "ocibench k8s collect: %s/plan.json: not an ocibench k8s plan\n",
                   f.plan_dir.c_str());
      return cli::kExitUsage;
    }
  }
  if (process::FindOnPath(f.kubectl).empty()) {
    std::fprintf(stderr,
                 "ocibench k8s collect: kubectl not found ('%s'): install it or give "
                 "--kubectl PATH\n",
                 f.kubectl.c_str());
    return cli::kExitUsage;
  }
  const std::string ns = plan.value("namespace", "ocibench");
  // One question first: without a cluster, say so once instead of once per Job.
  if (const auto r = Kubectl(f, "", {"get", "namespace", ns, "-o", "name"}); !r.ok()) {
    std::fprintf(stderr, "ocibench k8s collect: kubectl cannot read namespace %s: %s\n", ns.c_str(),
                 r.LastLine().c_str());
    return cli::kExitFailure;
  }
  std::map<std::string, JobOutcome> outcomes;
  std::map<std::string, json> nodes;
  for (const auto& j : plan.at("jobs")) {
    const std::string name = j.at("name"), node = j.at("node");
    JobOutcome o = JobState(Kubectl(f, ns, {"get", "job", name, "-o", "json"}));
    const auto logs = Kubectl(f, ns, {"logs", "job/" + name, "-c", "bench"});
    o.log = logs.ok() ? logs.out : "";
    if (!logs.ok() && o.status == "ok") {
      o.status = "failed";
      o.error = "kubectl logs: " + logs.LastLine();
    }
    outcomes[name] = o;
    if (!nodes.count(node)) {
      const auto r = Kubectl(f, "", {"get", "node", node, "-o", "json"});
      if (r.ok()) {
        json n = json::parse(r.out, nullptr, false);
        if (n.is_object()) nodes[node] = n;
      }
    }
  }
  const json cfg = plan.value("config", json::object());
  const fs::path out = !f.collect_out.empty()
                           ? fs::path(f.collect_out)
                           : fs::path(cfg.value("results", std::string("results"))) /
                                 ("fleet-" + run::UtcNow("%Y%m%dT%H%M%SZ"));
  for (const auto& line : WriteFleet(plan, outcomes, nodes, out, OCIBENCH_VERSION))
    std::printf("%s\n", line.c_str());
  std::printf("%s: `ocibench report %s`\n", out.c_str(), out.c_str());
  return cli::kExitOk;
}

std::function<int()> SetupK8s(CLI::App& app) {
  auto f = std::make_shared<Flags>();
  app.add_option("--config", f->config, "the shared TOML (as `ocibench run --config`)");
  app.add_option("--out", f->out,
                 "write objects.json and plan.json here (default results/k8s-<UTC>)");
  app.add_option("--handler", f->handlers,
                 "RUNTIME=HANDLER: the CRI handler of a runtime's RuntimeClass (default: runc, "
                 "crun, runsc, kata from the runtime's name); names a runtime to run");
  app.add_option("--nodes", f->nodes, "comma list of node names (kubernetes.io/hostname)");
  app.add_option("--runtimes", f->runtimes, "comma list (default: the config's runtimes)");
  app.add_option("--groups", f->groups, "comma list (default: the config's groups)");
  app.add_option("--repetitions", f->repetitions, "repetitions of each cell")
      ->check(CLI::Range(1, 1000));
  app.add_option("--namespace", f->ns, "namespace of the Jobs")->capture_default_str();
  app.add_option(
      "--bench-image", f->bench_image,
      "the bench image as the nodes can pull it (default localhost/ocibench-bench:latest)");
  app.add_option("--redis-image", f->redis_image,
                 "the redis image (default localhost/ocibench-redis:latest)");
  CLI::App* collect = app.add_subcommand(
      "collect", "Read the Jobs of PLAN_DIR back with kubectl into a fleet directory");
  collect->add_option("PLAN_DIR", f->plan_dir, "the directory `ocibench k8s` wrote")->required();
  collect->add_option("--out", f->collect_out, "fleet directory (default results/fleet-<UTC>)");
  collect->add_option("--kubectl", f->kubectl, "the kubectl binary")->capture_default_str();
  collect->add_option("--context", f->context, "kubectl context");
  return [f, collect]() -> int { return collect->parsed() ? Collect(*f) : Generate(*f); };
}

}  // namespace
}  // namespace ocibench::k8s

OCIBENCH_COMMAND(k8s,
                 "Write the matrix as Kubernetes RuntimeClasses and Jobs; `k8s collect` reads "
                 "their results back into a fleet directory",
                 ocibench::k8s::SetupK8s);
