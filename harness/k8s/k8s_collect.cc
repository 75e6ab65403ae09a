// Writing the fleet layout from the Jobs' logs (k8s_collect.h).
#include "harness/k8s/k8s_collect.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "harness/k8s/log_markers.h"
#include "harness/process/atomic_file.h"
#include "harness/run/host_info.h"

namespace ocibench::k8s {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A node's run id: the plan's id mixed with the node name, so that two nodes' directories are
// two runs (the report flags two hosts with one id as a copy).
std::string NodeRunId(const std::string& run_id, const std::string& node) {
  const std::size_t h = std::hash<std::string>{}(run_id + "/" + node);
  return fmt::format("{:012x}", h & 0xffffffffffffULL);
}

}  // namespace

std::optional<double> ParseQuantity(const std::string& q) {
  if (q.empty()) return std::nullopt;
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(q, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string suffix = q.substr(used);
  static const std::map<std::string, double> kScale = {{"", 1},
                                                       {"m", 1e-3},
                                                       {"k", 1e3},
                                                       {"M", 1e6},
                                                       {"G", 1e9},
                                                       {"T", 1e12},
                                                       {"Ki", 1024.0},
                                                       {"Mi", 1048576.0},
                                                       {"Gi", 1073741824.0},
                                                       {"Ti", 1099511627776.0}};
  const auto it = kScale.find(suffix);
  if (it == kScale.end()) return std::nullopt;
  return v * it->second;
}

json HostFacts(const std::string& node, const json* n, const json& ctx) {
  json h = {{"hostname", node}, {"cgroup_mode", nullptr}};
  auto ctx_str = [&](const char* k) {
    return ctx.is_object() && ctx.contains(k) && ctx[k].is_string() ? ctx[k] : json();
  };
  h["cpu_model"] = ctx_str("where_cpu_model");
  h["kernel"] = ctx_str("where_kernel");
  if (n && n->is_object()) {
    const json st = n->value("status", json::object());
    const json info = st.value("nodeInfo", json::object());
    if (info.contains("kernelVersion")) h["kernel"] = info["kernelVersion"];
    if (info.contains("osImage")) h["os"] = info["osImage"];
    if (info.contains("architecture")) h["arch"] = info["architecture"];
    if (info.contains("containerRuntimeVersion"))
      h["container_runtime"] = info["containerRuntimeVersion"];
    if (info.contains("kubeletVersion")) h["kubelet"] = info["kubeletVersion"];
    const json cap = st.value("capacity", json::object());
    if (auto c = ParseQuantity(cap.value("cpu", ""))) h["cpus"] = *c;
    if (auto m = ParseQuantity(cap.value("memory", ""))) h["mem_bytes"] = *m;
  }
  if (!h.contains("arch")) {
    const json a = ctx_str("where_arch");
    if (a.is_string())
      h["arch"] = a == "x86_64" ? "amd64" : a == "aarch64" ? "arm64" : a.get<std::string>();
  }
  return h;
}

std::vector<std::string> WriteFleet(const json& plan,
                                    const std::map<std::string, JobOutcome>& outcomes,
                                    const std::map<std::string, json>& nodes, const fs::path& out,
                                    const std::string& version) {
  const std::string run_id = plan.value("run_id", "");
  const json config = plan.value("config", json::object());
  std::vector<std::string> node_names;
  for (const auto& j : plan.at("jobs"))
    if (std::find(node_names.begin(), node_names.end(), j.at("node")) == node_names.end())
      node_names.push_back(j.at("node"));
  json fleet_hosts = json::array();
  std::vector<std::string> lines;
  for (const auto& node : node_names) {
    const fs::path dir = out / node;
    json cells = json::array();
    std::string log;
    json context;
    std::vector<std::string> runtimes_seen;
    int ok = 0, total = 0;
    for (const auto& j : plan.at("jobs")) {
      if (j.at("node") != node) continue;
      total++;
      const std::string name = j.at("name"), rt = j.at("runtime"), group = j.at("group");
      const int rep = j.at("repetition");
      const std::string file = fmt::format("bench/{}/{}/rep-{}.json", rt, group, rep);
      json cell = {{"index", j.at("index")}, {"runtime", rt},       {"group", group},
                   {"repetition", rep},      {"status", "pending"}, {"error", nullptr},
                   {"file", nullptr},        {"job", name}};
      const auto it = outcomes.find(name);
      if (it == outcomes.end()) {
        cell["error"] = "not collected";
      } else {
        const JobOutcome& o = it->second;
        log += "== job " + name + " (" + rt + " " + group + " rep " + std::to_string(rep) + ")\n" +
               o.log + (o.log.ends_with("\n") || o.log.empty() ? "" : "\n");
        cell["status"] = o.status;
        if (!o.error.empty()) cell["error"] = o.error;
        if (o.status == "ok") {
          const ExtractedJson e = ExtractBenchJson(o.log);
          json doc;
          std::string why = e.error;
          if (e.json) {
            doc = json::parse(*e.json, nullptr, false);
            if (doc.is_discarded() || !doc.is_object() || !doc.contains("benchmarks"))
              why = "the text between the markers is not Google Benchmark JSON";
          }
          if (!why.empty()) {
            cell["status"] = "failed";
            cell["error"] = why;
          } else {
            process::WriteFileAtomic(dir / file, doc.dump(2) + "\n");
            cell["file"] = file;
            if (context.is_null()) context = doc.value("context", json::object());
            ok++;
          }
        }
      }
      if (std::find(runtimes_seen.begin(), runtimes_seen.end(), rt) == runtimes_seen.end())
        runtimes_seen.push_back(rt);
      cells.push_back(cell);
    }
    const auto n = nodes.find(node);
    const json* node_obj = n == nodes.end() ? nullptr : &n->second;
    json runtimes = json::array();
    for (const auto& rc : plan.value("runtimes", json::array())) {
      if (std::find(runtimes_seen.begin(), runtimes_seen.end(), rc.at("runtime")) ==
          runtimes_seen.end())
        continue;
      json r = {{"name", rc.at("runtime")},
                {"kind", "k8s"},
                {"runtime_class", rc.at("runtime_class")},
                {"handler", rc.at("handler")}};
      if (node_obj)
        r["version"] = node_obj->value("status", json::object())
                           .value("nodeInfo", json::object())
                           .value("containerRuntimeVersion", "");
      runtimes.push_back(r);
    }
    json run = {
        {"format", 1},
        {"id", NodeRunId(run_id, node)},
        {"ocibench_version", version},
        {"started", nullptr},
        {"finished", run::UtcNow()},
        {"repetitions", config.value("repetitions", 0)},
        {"limits",
         {{"cpus", config.value("cpus", 0.0)}, {"memory_bytes", config.value("memory_bytes", 0)}}},
        {"host", HostFacts(node, node_obj, context)},
        {"config", config},
        {"runtimes", runtimes},
        {"groups", config.value("groups", json::array())},
        {"cells", cells},
        {"k8s", {{"run_id", run_id}, {"namespace", plan.value("namespace", "")}, {"node", node}}}};
    process::WriteFileAtomic(dir / "log.txt", log);
    process::WriteFileAtomic(dir / "run.json", run.dump(2) + "\n");
    const std::string status = ok == total ? "ok" : ok > 0 ? "partial" : "failed";
    json reason = nullptr;
    if (status != "ok")
      reason = fmt::format("{} of {} cells did not end ok (run.json)", total - ok, total);
    if (!node_obj)
      reason = (reason.is_null() ? "" : reason.get<std::string>() + "; ") +
               std::string("node facts not read (kubectl get node failed)");
    fleet_hosts.push_back({{"name", node}, {"status", status}, {"reason", reason}, {"dir", node}});
    lines.push_back(fmt::format("{}: {} ({}/{} cells ok)", node, status, ok, total));
  }
  std::string cfg = config.value("config_file", "");
  process::WriteFileAtomic(out / "fleet.json",
                           json{{"kind", "ocibench-fleet"},
                                {"created_utc", run::UtcNow()},
                                {"config", cfg.empty() ? "" : fs::path(cfg).filename().string()},
                                {"source", "ocibench k8s collect"},
                                {"hosts", fleet_hosts}}
                                   .dump(2) +
                               "\n");
  return lines;
}

}  // namespace ocibench::k8s
