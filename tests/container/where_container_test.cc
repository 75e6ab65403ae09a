// ocibench-bench's where_* context (workloads/sysinfo) under runc, crun and runsc, with the
// bundle's 1 CPU / 1 GiB limits and the default seccomp profile, and natively: the binary says
// where it ran without the harness's tags.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "tests/container/test_util.h"

namespace ocibench {
namespace {

namespace fs = std::filesystem;

const char* const kProbeArgs[] = {"--benchmark_filter=^Probe_sys_getpid_raw/",
                                  "--probes_min_time=0.01", "--benchmark_out_format=json"};

nlohmann::json ReadContext(const fs::path& file) {
  std::ifstream in(file);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  return j.is_object() && j.contains("context") ? j["context"] : nlohmann::json();
}

void Print(const std::string& where, const nlohmann::json& c) {
  for (const auto& [k, v] : c.items())
    if (k.starts_with("where_"))
      std::cout << "[ INFO     ] " << where << " " << k << "=" << v << "\n";
}

// `field` is `expected`, or (where allowed) absent and named with its reason in
// where_unreadable: never another value.
void ExpectValueOrUnreadable(const nlohmann::json& c, const std::string& field,
                             const std::string& expected, bool may_be_unreadable) {
  const std::string unreadable = c.value("where_unreadable", "");
  if (may_be_unreadable && !c.contains(field)) {
    EXPECT_NE(unreadable.find(field + ": "), std::string::npos) << unreadable;
    return;
  }
  EXPECT_EQ(c.value(field, ""), expected) << field << "; where_unreadable: " << unreadable;
}

class WhereTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WhereTest, ContextSaysContainerSandboxLimitsAndSeccomp) {
  const oci::RuntimeSpec runtime = oci::FindRuntime(GetParam());
  if (const std::string why = test::WhyUnusable(runtime); !why.empty()) GTEST_SKIP() << why;
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const std::string id = test::UniqueId("where-" + GetParam());
  oci::BundleSpec spec = test::BenchSpec(results);  // cpus 1, memory 1 GiB, seccomp on
  spec.args.assign(std::begin(kProbeArgs), std::end(kProbeArgs));
  spec.args.push_back("--benchmark_out=/results/out.json");
  const oci::RunResult r = test::RunOnce(runtime, id, spec, tmp.path());
  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  const nlohmann::json c = ReadContext(results / "out.json");
  ASSERT_TRUE(c.is_object()) << "no context in out.json";
  Print(GetParam(), c);
  const bool gvisor = GetParam() == "runsc";
  EXPECT_EQ(c.value("where_container", ""), "yes");
  EXPECT_EQ(c.value("where_sandbox", ""), gvisor ? "gvisor" : "none");
  // runsc applies a bundle's seccomp profile only with --oci-seccomp (not passed), and its
  // /proc/self/status has no NoNewPrivs line.
  EXPECT_EQ(c.value("where_seccomp", ""), gvisor ? "disabled" : "filter");
  ExpectValueOrUnreadable(c, "where_no_new_privs", "1", /*may_be_unreadable=*/gvisor);
  // gVisor mounts no cgroupfs inside (empty /proc/self/cgroup); crun on a v1/hybrid host gets
  // its limits through v1 from outside while it sees only a controller-less cgroup2 mount.
  const bool limits_hidden = gvisor || GetParam() == "crun";
  ExpectValueOrUnreadable(c, "where_cgroup_cpus", "1", limits_hidden);
  ExpectValueOrUnreadable(c, "where_cgroup_memory_bytes", std::to_string(*spec.memory_bytes),
                          limits_hidden);
  EXPECT_EQ(test::Leftovers(runtime, id, spec.cgroups_path), "");
}

INSTANTIATE_TEST_SUITE_P(Runtimes, WhereTest, ::testing::Values("runc", "crun", "runsc"));

// seccomp = "unconfined" (issue 14): the bundle has no filter, and the binary sees none.
class WhereUnconfinedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WhereUnconfinedTest, UnconfinedBundleRunsWithoutAFilter) {
  const oci::RuntimeSpec runtime = oci::FindRuntime(GetParam());
  if (const std::string why = test::WhyUnusable(runtime); !why.empty()) GTEST_SKIP() << why;
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const std::string id = test::UniqueId("where-unconfined-" + GetParam());
  oci::BundleSpec spec = test::BenchSpec(results);
  spec.seccomp_profile = "unconfined";
  spec.args.assign(std::begin(kProbeArgs), std::end(kProbeArgs));
  spec.args.push_back("--benchmark_out=/results/out.json");
  const oci::RunResult r = test::RunOnce(runtime, id, spec, tmp.path());
  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  const nlohmann::json c = ReadContext(results / "out.json");
  ASSERT_TRUE(c.is_object()) << "no context in out.json";
  EXPECT_EQ(c.value("where_seccomp", ""), "disabled");
  EXPECT_EQ(test::Leftovers(runtime, id, spec.cgroups_path), "");
}

INSTANTIATE_TEST_SUITE_P(Runtimes, WhereUnconfinedTest, ::testing::Values("runc", "crun"));

TEST(WhereNative, ContextSaysNoContainerNoSandbox) {
  test::TempDir tmp;
  std::string cmd = OCIBENCH_BENCH;
  for (const char* a : kProbeArgs) cmd += std::string(" ") + a;
  cmd += " --benchmark_out=" + (tmp.path() / "out.json").string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const nlohmann::json c = ReadContext(tmp.path() / "out.json");
  ASSERT_TRUE(c.is_object()) << "no context in out.json";
  Print("native", c);
  EXPECT_EQ(c.value("where_container", ""), "no");
  EXPECT_EQ(c.value("where_sandbox", ""), "none");
  EXPECT_FALSE(c.value("where_kernel", "").empty());
}

}  // namespace
}  // namespace ocibench
