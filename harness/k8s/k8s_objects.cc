// RuntimeClasses and Jobs of the matrix (k8s_objects.h).
#include "harness/k8s/k8s_objects.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "harness/vocabulary/vocabulary.h"

namespace ocibench::k8s {

using nlohmann::json;
using run::ConfigError;

namespace {

constexpr const char* kResults = "/results";
constexpr const char* kScratch = "/scratch";
constexpr int kRedisPort = 6379;

// A runtime's RuntimeClass name: ocibench runtime names allow '_' and capitals, object names
// do not.
std::string ClassName(const std::string& runtime) {
  std::string s = "ocibench-" + runtime;
  for (auto& c : s) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return s;
}

json Labels(const K8sOptions& o, int index) {
  return {{"app.kubernetes.io/name", "ocibench"},
          {"app.kubernetes.io/managed-by", "ocibench"},
          {"ocibench.io/run", o.run_id},
          {"ocibench.io/cell", std::to_string(index)}};
}

// The bench's arguments, as run/cell.cc passes them to a container, plus the markers' flag.
std::vector<std::string> BenchArgs(const run::GroupDef& g, const std::string& runtime, int rep,
                                   const std::string& node) {
  const std::string out = std::string(kResults) + "/out.json";
  std::vector<std::string> a = {"--benchmark_filter=" + g.filter, "--benchmark_out=" + out,
                                "--benchmark_out_format=json", "--benchmark_format=console"};
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"ocibench_runtime", runtime},
           {"ocibench_group", g.name},
           {"ocibench_repetition", std::to_string(rep)},
           {"ocibench_placement", g.server == Server::kNone ? "" : "pod"},
           {"ocibench_node", node}})
    a.push_back("--benchmark_context=" + k + "=" + v);
  a.insert(a.end(), g.args.begin(), g.args.end());
  if (g.server == Server::kRedis)
    a.push_back(fmt::format("--redis_server=127.0.0.1:{}", kRedisPort));
  a.push_back("--ocibench_print_json=" + out);
  return a;
}

json Resources(const run::RunConfig& c) {
  // requests = limits: the Guaranteed QoS class, so the kubelet neither overcommits the node
  // nor lets the pod burst past the matrix's limits.
  const json q = {{"cpu", CpuQuantity(c.cpus)}, {"memory", std::to_string(c.memory_bytes)}};
  return {{"limits", q}, {"requests", q}};
}

json MakeJob(const K8sOptions& o, const run::GroupDef& g, const std::string& runtime,
             const std::string& node, int rep, int index, const std::string& name) {
  const run::RunConfig& c = o.config;
  const ScratchKind scratch = c.scratch;
  json bench = {{"name", "bench"},
                {"image", o.bench_image},
                {"imagePullPolicy", "IfNotPresent"},
                {"args", BenchArgs(g, runtime, rep, node)},
                {"resources", Resources(c)},
                {"volumeMounts", json::array({{{"name", "results"}, {"mountPath", kResults}}})}};
  json volumes = json::array({{{"name", "results"}, {"emptyDir", json::object()}}});
  if (scratch == ScratchKind::kRootfs) {
    bench["env"] = json::array({{{"name", "OCIBENCH_SCRATCH"}, {"value", "/tmp"}},
                                {{"name", "OCIBENCH_SCRATCH_KIND"}, {"value", "rootfs"}}});
  } else {
    // tmpfs: an emptyDir in memory; bind: an emptyDir on the node's disk (the kubelet's
    // directory, the nearest a pod has to a host directory).
    bench["env"] = json::array({{{"name", "OCIBENCH_SCRATCH"}, {"value", kScratch}},
                                {{"name", "OCIBENCH_SCRATCH_KIND"}, {"value", ToString(scratch)}}});
    bench["volumeMounts"].push_back({{"name", "scratch"}, {"mountPath", kScratch}});
    json ed = json::object();
    if (scratch == ScratchKind::kTmpfs) ed["medium"] = "Memory";
    volumes.push_back({{"name", "scratch"}, {"emptyDir", ed}});
  }
  json pod = {{"restartPolicy", "Never"},
              {"runtimeClassName", ClassName(runtime)},
              {"nodeSelector", {{"kubernetes.io/hostname", node}}},
              {"enableServiceLinks", false},
              {"automountServiceAccountToken", false},
              {"containers", json::array({bench})},
              {"volumes", volumes}};
  if (g.server == Server::kRedis) {
    // The server as a native sidecar (an init container with restartPolicy Always, Kubernetes
    // ≥ 1.29): it shares the pod's loopback with the bench, the bench starts once the port
    // answers, and the Job completes when the bench ends.
    pod["initContainers"] =
        json::array({{{"name", "server"},
                      {"image", o.redis_image},
                      {"imagePullPolicy", "IfNotPresent"},
                      {"restartPolicy", "Always"},
                      {"args", {"--port", std::to_string(kRedisPort), "--bind", "127.0.0.1"}},
                      {"resources", Resources(c)},
                      {"startupProbe",
                       {{"tcpSocket", {{"port", kRedisPort}}},
                        {"periodSeconds", 1},
                        {"failureThreshold", 60}}}}});
  }
  json annotations = {{"ocibench.io/runtime", runtime},
                      {"ocibench.io/node", node},
                      {"ocibench.io/group", g.name},
                      {"ocibench.io/repetition", std::to_string(rep)}};
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata",
           {{"name", name},
            {"namespace", o.ns},
            {"labels", Labels(o, index)},
            {"annotations", annotations}}},
          {"spec",
           {{"backoffLimit", 0},  // a failed cell is a result, not something to retry
            {"activeDeadlineSeconds", c.timeout_s},
            {"template", {{"metadata", {{"labels", Labels(o, index)}}}, {"spec", pod}}}}}};
}

}  // namespace

std::string DefaultHandler(const std::string& runtime) {
  if (runtime == "containerd-runc") return "runc";
  for (const char* p : {"runsc", "kata"})
    if (runtime == p || runtime.starts_with(std::string(p) + "-")) return p;
  return runtime;
}

std::string CpuQuantity(double cpus) {
  const long milli = std::lround(cpus * 1000);
  return milli % 1000 == 0 ? std::to_string(milli / 1000) : std::to_string(milli) + "m";
}

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

std::string NewRunId() {
  std::random_device rd;
  std::string id;
  for (int i = 0; i < 12; i++) id += "0123456789abcdef"[rd() % 16];
  return id;
}

K8sPlan MakePlan(const K8sOptions& o) {
  if (o.nodes.empty())
    throw ConfigError("--nodes: name at least one node (its kubernetes.io/hostname label)");
  for (const auto& n : o.nodes)
    if (!IsDnsLabel(n))
      throw ConfigError("--nodes '" + n +
                        "': not a node hostname label (lowercase letters, digits, '-', ≤ 63)");
  if (!IsDnsLabel(o.ns)) throw ConfigError("--namespace '" + o.ns + "': not a DNS-1123 label");
  std::vector<std::string> runtimes = o.config.runtimes;
  for (const auto& [rt, h] : o.handlers)
    if (std::find(runtimes.begin(), runtimes.end(), rt) == runtimes.end()) runtimes.push_back(rt);
  K8sPlan p;
  p.run_id = o.run_id;
  p.ns = o.ns;
  p.ns_object = {
      {"apiVersion", "v1"},
      {"kind", "Namespace"},
      {"metadata", {{"name", o.ns}, {"labels", {{"app.kubernetes.io/name", "ocibench"}}}}}};
  std::vector<std::string> usable;
  for (const auto& rt : runtimes) {
    if (rt == "native") {
      p.skipped.push_back(
          "native: a pod always has a runtime; measure each node's native with `ocibench run "
          "--runtimes native` there (the fleet playbook) for the ratios to native");
      continue;
    }
    if (!run::ValidName(rt)) throw ConfigError("runtime '" + rt + "': not a valid runtime name");
    const auto it = o.handlers.find(rt);
    const std::string handler = it != o.handlers.end() ? it->second : DefaultHandler(rt);
    if (!IsDnsLabel(handler))
      throw ConfigError(
          "--handler " + rt + "=" + handler +
          ": a CRI handler name is a DNS-1123 label (lowercase letters, digits, '-')");
    if (!IsDnsLabel(ClassName(rt)))
      throw ConfigError("runtime '" + rt + "': its RuntimeClass name '" + ClassName(rt) +
                        "' is longer than 63 characters");
    p.runtime_classes.push_back({{"apiVersion", "node.k8s.io/v1"},
                                 {"kind", "RuntimeClass"},
                                 {"metadata",
                                  {{"name", ClassName(rt)},
                                   {"labels", {{"app.kubernetes.io/name", "ocibench"}}},
                                   {"annotations", {{"ocibench.io/runtime", rt}}}}},
                                 {"handler", handler}});
    usable.push_back(rt);
  }
  if (usable.empty())
    throw ConfigError(
        "no container runtime to run: name them in the config (runtimes = [...]) or with "
        "--handler RUNTIME=HANDLER");
  std::vector<run::GroupDef> groups;
  for (auto& g : run::ResolveGroups(o.config)) {
    if (g.server == Server::kHttp) {
      p.skipped.push_back(
          "group " + g.name +
          ": nginx serves files ocibench writes on the host (up to 16 MB, past a ConfigMap's "
          "1 MiB); not run on Kubernetes in this version");
      continue;
    }
    groups.push_back(g);
  }
  int index = 0;
  // Repetitions outermost, as `ocibench run` interleaves them, so drift spreads over runtimes.
  for (int rep = 1; rep <= o.config.repetitions; rep++)
    for (const auto& node : o.nodes)
      for (const auto& g : groups)
        for (const auto& rt : usable) {
          K8sJob j{.index = index,
                   .name = fmt::format("ocibench-{}-{}", o.run_id, index),
                   .runtime = rt,
                   .node = node,
                   .group = g.name,
                   .repetition = rep,
                   .object = {}};
          j.object = MakeJob(o, g, rt, node, rep, index, j.name);
          p.jobs.push_back(std::move(j));
          index++;
        }
  return p;
}

json K8sPlan::ObjectList() const {
  json items = json::array({ns_object});
  for (const auto& rc : runtime_classes) items.push_back(rc);
  for (const auto& j : jobs) items.push_back(j.object);
  return {{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
}

json K8sPlan::PlanJson(const run::RunConfig& config) const {
  json jobs_j = json::array();
  for (const auto& j : jobs)
    jobs_j.push_back({{"index", j.index},
                      {"name", j.name},
                      {"runtime", j.runtime},
                      {"node", j.node},
                      {"group", j.group},
                      {"repetition", j.repetition}});
  json classes = json::array();
  for (const auto& rc : runtime_classes)
    classes.push_back({{"runtime", rc["metadata"]["annotations"]["ocibench.io/runtime"]},
                       {"runtime_class", rc["metadata"]["name"]},
                       {"handler", rc["handler"]}});
  return {{"kind", "ocibench-k8s-plan"},
          {"format", 1},
          {"run_id", run_id},
          {"namespace", ns},
          {"config", run::ToJson(config)},
          {"runtimes", classes},
          {"jobs", jobs_j},
          {"skipped", skipped}};
}

}  // namespace ocibench::k8s
