// `ocibench k8s`'s objects (harness/k8s/k8s_objects.h): limits, node selectors, handlers, the
// server sidecar, names; the log markers and Kubernetes quantities of collect.
#include "harness/k8s/k8s_objects.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/k8s/k8s_collect.h"
#include "harness/k8s/log_markers.h"

namespace ocibench::k8s {
namespace {

using nlohmann::json;

K8sOptions Options() {
  K8sOptions o;
  o.config.runtimes = {"native", "runc", "runsc-ptrace"};
  o.config.groups = {"lzma", "redis", "http"};
  o.config.repetitions = 2;
  o.config.cpus = 1.5;
  o.config.memory_bytes = std::uint64_t{2} << 30;
  o.nodes = {"node-a", "pi4"};
  o.run_id = "0123456789ab";
  return o;
}

const json& Pod(const K8sJob& j) { return j.object["spec"]["template"]["spec"]; }

TEST(K8sPlan, AJobPerRuntimeNodeGroupAndRepetition) {
  const K8sPlan p = MakePlan(Options());
  // native and http cannot run in a pod: skipped, each with its reason.
  ASSERT_EQ(p.skipped.size(), 2u);
  EXPECT_TRUE(p.skipped[0].starts_with("native:")) << p.skipped[0];
  EXPECT_TRUE(p.skipped[1].starts_with("group http:")) << p.skipped[1];
  EXPECT_EQ(p.jobs.size(), 2u * 2 * 2 * 2);  // repetitions × nodes × groups × runtimes
  std::set<std::string> names, cells;
  for (const auto& j : p.jobs) {
    EXPECT_LE(j.name.size(), 63u);
    EXPECT_TRUE(IsDnsLabel(j.name)) << j.name;
    names.insert(j.name);
    cells.insert(j.runtime + "/" + j.node + "/" + j.group + "/" + std::to_string(j.repetition));
    EXPECT_EQ(j.object["metadata"]["namespace"], "ocibench");
    EXPECT_EQ(j.object["spec"]["backoffLimit"], 0);
    EXPECT_EQ(j.object["metadata"]["annotations"]["ocibench.io/node"], j.node);
  }
  EXPECT_EQ(names.size(), p.jobs.size());
  EXPECT_EQ(cells.size(), p.jobs.size());
}

TEST(K8sPlan, LimitsAreTheMatrixsAndRequestsEqualThem) {
  const K8sPlan p = MakePlan(Options());
  for (const auto& j : p.jobs) {
    const json& c = Pod(j)["containers"][0];
    EXPECT_EQ(c["resources"]["limits"]["cpu"], "1500m");
    EXPECT_EQ(c["resources"]["limits"]["memory"], "2147483648");
    EXPECT_EQ(c["resources"]["requests"], c["resources"]["limits"]);
  }
  EXPECT_EQ(CpuQuantity(2), "2");
  EXPECT_EQ(CpuQuantity(0.25), "250m");
}

TEST(K8sPlan, EachJobIsPinnedToItsNodeAndRuntimeClass) {
  const K8sPlan p = MakePlan(Options());
  std::map<std::string, std::string> handler;
  for (const auto& rc : p.runtime_classes) handler[rc["metadata"]["name"]] = rc["handler"];
  EXPECT_EQ(handler.at("ocibench-runc"), "runc");
  EXPECT_EQ(handler.at("ocibench-runsc-ptrace"), "runsc");
  for (const auto& j : p.jobs) {
    EXPECT_EQ(Pod(j)["nodeSelector"]["kubernetes.io/hostname"], j.node);
    EXPECT_EQ(Pod(j)["runtimeClassName"], "ocibench-" + j.runtime);
    EXPECT_EQ(Pod(j)["restartPolicy"], "Never");
  }
}

TEST(K8sPlan, HandlersFromTheFlagAndBadNamesRefused) {
  K8sOptions o = Options();
  o.handlers["runsc-ptrace"] = "runsc-ptrace";
  o.handlers["kata-qemu"] = "kata-qemu";  // --handler also names a runtime to run
  const K8sPlan p = MakePlan(o);
  std::map<std::string, std::string> handler;
  for (const auto& rc : p.runtime_classes) handler[rc["metadata"]["name"]] = rc["handler"];
  EXPECT_EQ(handler.at("ocibench-runsc-ptrace"), "runsc-ptrace");
  EXPECT_EQ(handler.at("ocibench-kata-qemu"), "kata-qemu");
  EXPECT_EQ(DefaultHandler("kata-clh"), "kata");
  EXPECT_EQ(DefaultHandler("containerd-runc"), "runc");

  o.handlers["runc"] = "Not_A_Label";
  try {
    MakePlan(o);
    FAIL() << "a bad handler name was accepted";
  } catch (const run::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--handler runc=Not_A_Label"), std::string::npos);
  }
}

TEST(K8sPlan, NoNodeOrNoRuntimeIsOneLine) {
  K8sOptions o = Options();
  o.nodes.clear();
  EXPECT_THROW(MakePlan(o), run::ConfigError);
  o = Options();
  o.nodes = {"Bad_Node"};
  EXPECT_THROW(MakePlan(o), run::ConfigError);
  o = Options();
  o.config.runtimes = {"native"};
  try {
    MakePlan(o);
    FAIL();
  } catch (const run::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no container runtime"), std::string::npos);
  }
}

TEST(K8sPlan, RedisRunsAsANativeSidecarOnThePodsLoopback) {
  const K8sPlan p = MakePlan(Options());
  int redis = 0;
  for (const auto& j : p.jobs) {
    const json& pod = Pod(j);
    const auto& args = pod["containers"][0]["args"];
    const bool has_server_arg =
        std::find(args.begin(), args.end(), "--redis_server=127.0.0.1:6379") != args.end();
    EXPECT_NE(std::find(args.begin(), args.end(), "--ocibench_print_json=/results/out.json"),
              args.end());
    if (j.group != "redis") {
      EXPECT_FALSE(pod.contains("initContainers"));
      EXPECT_FALSE(has_server_arg);
      continue;
    }
    redis++;
    EXPECT_TRUE(has_server_arg);
    const json& s = pod["initContainers"][0];
    EXPECT_EQ(s["restartPolicy"], "Always");
    EXPECT_EQ(s["startupProbe"]["tcpSocket"]["port"], 6379);
    EXPECT_EQ(s["resources"], pod["containers"][0]["resources"]);
  }
  EXPECT_EQ(redis, 8);
}

TEST(LogMarkers, TheJsonBetweenTheLastPairOfMarkers) {
  const std::string log =
      "warning on stderr\n--- ocibench-json begin ---\n{\"a\": 1}\n"
      "--- ocibench-json end ---\n";
  EXPECT_EQ(ExtractBenchJson(log).json.value_or(""), "{\"a\": 1}");
  const auto none = ExtractBenchJson("Segmentation fault\n");
  EXPECT_FALSE(none.json);
  EXPECT_NE(none.error.find("did not finish"), std::string::npos);
  const auto cut = ExtractBenchJson("--- ocibench-json begin ---\n{\"a\":");
  EXPECT_FALSE(cut.json);
  EXPECT_NE(cut.error.find("cut short"), std::string::npos);
}

TEST(Quantities, KubernetesSuffixes) {
  EXPECT_EQ(ParseQuantity("16318712Ki").value(), 16318712.0 * 1024);
  EXPECT_EQ(ParseQuantity("2").value(), 2);
  EXPECT_DOUBLE_EQ(ParseQuantity("1500m").value(), 1.5);
  EXPECT_FALSE(ParseQuantity("2 cores"));
  EXPECT_FALSE(ParseQuantity(""));
}

}  // namespace
}  // namespace ocibench::k8s
