// `ocibench k8s` through the real CLI: the objects it writes validated offline against the
// Kubernetes API (harness/k8s/validate_objects.py, python3-kubernetes' models), bad input, and
// collect's half that needs no cluster: a Job's own arguments run by the real ocibench-bench,
// its output (stdout and stderr, as `kubectl logs` gives them) written into a fleet directory
// that `ocibench report` reads. No cluster runs here: kubectl itself is exercised only as far
// as "no server".
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/k8s/k8s_collect.h"
#include "harness/k8s/k8s_objects.h"
#include "tests/integration/run_command.h"

namespace fs = std::filesystem;
using nlohmann::json;
using ocibench::testing::RunCommand;

namespace {

const std::string kCli = OCIBENCH_CLI_PATH;
const std::string kBench = OCIBENCH_BENCH_PATH;
const std::string kPython = OCIBENCH_SYSTEM_PYTHON3;
const std::string kValidate = OCIBENCH_K8S_VALIDATE;

std::string Read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class K8s : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() / ("k8s-test-" + std::to_string(getpid()));
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }
  // exit code, stdout; stderr in `err`
  int Sh(const std::string& cmd, std::string* out, std::string* err) {
    const auto r = RunCommand(cmd + " 2>" + (tmp_ / "err").string());
    *out = r.out;
    *err = Read(tmp_ / "err");
    return r.exit_code;
  }
  int Validate(const fs::path& objects, std::string* out) {
    std::string err;
    const int code = Sh(kPython + " " + kValidate + " " + objects.string(), out, &err);
    *out += err;
    return code;
  }
  fs::path tmp_;
};

TEST_F(K8s, GeneratedObjectsAreValidKubernetesObjects) {
  std::string out, err;
  const fs::path dir = tmp_ / "plan";
  ASSERT_EQ(Sh(kCli +
                   " k8s --nodes node-a,pi4 --runtimes native,runc,runsc-ptrace "
                   "--groups lzma,probes,redis,http --repetitions 2 --out " +
                   dir.string(),
               &out, &err),
            0)
      << err;
  EXPECT_NE(err.find("skipped native:"), std::string::npos) << err;
  EXPECT_NE(err.find("skipped group http:"), std::string::npos) << err;
  EXPECT_NE(out.find("2 RuntimeClass(es), 24 Job(s)"), std::string::npos) << out;
  const json list = json::parse(Read(dir / "objects.json"));
  EXPECT_EQ(list["items"].size(), 1u + 2 + 24);
  const json plan = json::parse(Read(dir / "plan.json"));
  EXPECT_EQ(plan["jobs"].size(), 24u);

  std::string v;
  const int code = Validate(dir / "objects.json", &v);
  if (code == 77) GTEST_SKIP() << "python3-kubernetes is not installed: " << v;
  EXPECT_EQ(code, 0) << v;
  EXPECT_NE(v.find("27 object(s), 0 problem(s)"), std::string::npos) << v;
}

TEST_F(K8s, TheValidatorRejectsWhatTheApiWould) {
  std::string out, err;
  const fs::path dir = tmp_ / "plan";
  ASSERT_EQ(Sh(kCli + " k8s --nodes n1 --runtimes runc --groups lzma --repetitions 1 --out " +
                   dir.string(),
               &out, &err),
            0)
      << err;
  json list = json::parse(Read(dir / "objects.json"));
  json& job = list["items"][2];
  ASSERT_EQ(job["kind"], "Job");
  job["spec"]["template"]["spec"]["nodeSelectr"] = {{"kubernetes.io/hostname", "n1"}};
  job["spec"]["backoffLimit"] = "0";
  job["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {{"cpu", "1"}};
  list["items"][1]["handler"] = nullptr;  // RuntimeClass.handler is required
  std::ofstream(dir / "broken.json") << list.dump(2);
  std::string v;
  const int code = Validate(dir / "broken.json", &v);
  if (code == 77) GTEST_SKIP() << "python3-kubernetes is not installed: " << v;
  EXPECT_EQ(code, 1) << v;
  EXPECT_NE(v.find("nodeSelectr: not a field of the Kubernetes API"), std::string::npos) << v;
  EXPECT_NE(v.find("backoffLimit: '0' comes back as 0 (wrong type)"), std::string::npos) << v;
  EXPECT_NE(v.find("resources.limit: not a field"), std::string::npos) << v;
  EXPECT_NE(v.find("RuntimeClass ocibench-runc"), std::string::npos) << v;
}

TEST_F(K8s, BadInputIsOneLineAndExit2) {
  std::string out, err;
  EXPECT_EQ(Sh(kCli + " k8s --runtimes runc --out " + (tmp_ / "x").string(), &out, &err), 2);
  EXPECT_NE(err.find("--nodes"), std::string::npos) << err;
  EXPECT_EQ(Sh(kCli + " k8s --nodes n1 --handler runc --out " + (tmp_ / "x").string(), &out, &err),
            2);
  EXPECT_NE(err.find("--handler 'runc': use RUNTIME=HANDLER"), std::string::npos) << err;
  EXPECT_EQ(Sh(kCli + " k8s collect " + tmp_.string(), &out, &err), 2);
  EXPECT_NE(err.find("plan.json: cannot read"), std::string::npos) << err;

  ASSERT_EQ(
      Sh(kCli + " k8s --nodes n1 --runtimes runc --groups lzma --out " + (tmp_ / "p").string(),
         &out, &err),
      0);
  EXPECT_EQ(Sh(kCli + " k8s collect " + (tmp_ / "p").string() + " --kubectl /nonexistent/kubectl",
               &out, &err),
            2);
  EXPECT_NE(err.find("kubectl not found"), std::string::npos) << err;
  // The real kubectl (not a Debian package; absent on a fresh machine) with no cluster.
  const auto kubectl = RunCommand("command -v kubectl");
  if (kubectl.exit_code != 0) GTEST_SKIP() << "no kubectl on PATH for the no-cluster check";
  EXPECT_EQ(Sh("KUBECONFIG=" + (tmp_ / "none").string() + " " + kCli + " k8s collect " +
                   (tmp_ / "p").string() + " --out " + (tmp_ / "fleet").string(),
               &out, &err),
            1);
  EXPECT_NE(err.find("kubectl cannot read namespace ocibench"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(tmp_ / "fleet")) << "nothing written without a cluster";
}

TEST_F(K8s, AJobsOwnArgumentsRunAndTheirLogBecomesAFleet) {
  ocibench::k8s::K8sOptions o;
  o.config.runtimes = {"runc"};
  o.config.groups = {"probes"};
  // Two clock probes, as a [group.probes] filter in TOML would narrow it: a second, not twenty.
  o.config.group_defs["probes"] = {.name = "probes",
                                   .filter = "^Probe_sys_clock_gettime_",
                                   .args = {"--probes_min_time=0.02"},
                                   .server = {}};
  o.config.repetitions = 1;
  o.nodes = {"n1"};
  o.run_id = "00000000abcd";
  const auto plan = ocibench::k8s::MakePlan(o);
  ASSERT_EQ(plan.jobs.size(), 1u);
  // The container's args as the Job has them, /results pointing at a directory here.
  std::string cmd = "OCIBENCH_SCRATCH=" + tmp_.string() + " OCIBENCH_SCRATCH_KIND=rootfs " + kBench;
  for (std::string a : plan.jobs[0].object["spec"]["template"]["spec"]["containers"][0]["args"]) {
    if (const auto at = a.find("=/results/"); at != std::string::npos)
      a = a.substr(0, at + 1) + tmp_.string() + a.substr(at + 9);
    cmd += " '" + a + "'";
  }
  const auto r = RunCommand(cmd + " 2>&1");  // kubectl logs interleaves both streams
  ASSERT_EQ(r.exit_code, 0) << r.out;

  std::map<std::string, ocibench::k8s::JobOutcome> outcomes;
  outcomes[plan.jobs[0].name] = {"ok", "", r.out};
  const fs::path fleet = tmp_ / "fleet";
  const auto lines = ocibench::k8s::WriteFleet(plan.PlanJson(o.config), outcomes, {}, fleet, "t");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "n1: ok (1/1 cells ok)");
  const json bench = json::parse(Read(fleet / "n1/bench/runc/probes/rep-1.json"));
  EXPECT_EQ(bench["context"]["ocibench_node"], "n1");
  EXPECT_FALSE(bench["benchmarks"].empty());

  std::string out, err;
  ASSERT_EQ(Sh(kCli + " report " + fleet.string(), &out, &err), 0) << err;
  EXPECT_TRUE(fs::exists(fleet / "report_fleet_hosts.csv"));
  const json fj = json::parse(Read(fleet / "fleet.json"));
  EXPECT_EQ(fj["hosts"][0]["status"], "ok");
}

}  // namespace
