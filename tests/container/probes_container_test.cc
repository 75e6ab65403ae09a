// The probes inside the bench image under runc, crun and runsc: they run (fork+exec of
// /proc/self/exe included), record the container's scratch filesystem, and report getrusage
// fields the runtime does not fill in as absent (gVisor) rather than as 0.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "tests/container/test_util.h"

namespace ocibench {
namespace {

namespace fs = std::filesystem;

// (runtime, scratch kind): the harness points OCIBENCH_SCRATCH at /scratch in the bundle.
class ProbesTest : public ::testing::TestWithParam<std::tuple<std::string, oci::ScratchKind>> {
 protected:
  const std::string& runtime_name() const { return std::get<0>(GetParam()); }
  oci::ScratchKind kind() const { return std::get<1>(GetParam()); }
  void SetUp() override {
    runtime_ = oci::FindRuntime(runtime_name());
    const std::string why = test::WhyUnusable(runtime_);
    if (!why.empty()) GTEST_SKIP() << why;
  }
  oci::RuntimeSpec runtime_;
};

TEST_P(ProbesTest, ProbesRunAndMarkAbsentRusageFields) {
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const std::string id = test::UniqueId("probes-" + runtime_name());
  oci::BundleSpec spec = test::BenchSpec(results);
  spec.args = {
      "--benchmark_filter=^Probe_(sys_getpid_raw|fs_open_close|proc_fork_exec_wait|"
      "ctl_int_loop)",
      "--probes_min_time=0.01", "--benchmark_out=/results/out.json", "--benchmark_out_format=json"};
  spec.scratch.kind = kind();
  const oci::RunResult r = test::RunOnce(runtime_, id, spec, tmp.path());
  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  EXPECT_EQ(r.status.code, 0);

  std::ifstream in(results / "out.json");
  ASSERT_TRUE(in) << "no out.json";
  const auto j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(j.is_object()) << "out.json is not JSON";
  EXPECT_EQ(j["context"]["scratch_base"], oci::kScratchPath);
  const std::string fstype = j["context"].value("scratch_fstype", "");
  if (kind() == oci::ScratchKind::kTmpfs)
    EXPECT_EQ(fstype, "tmpfs");
  else
    EXPECT_FALSE(fstype.empty());
  std::cout << "[ INFO     ] " << runtime_name() << " scratch " << ocibench::ToString(kind())
            << ": fstype " << fstype << "\n";
  const std::string absent = j["context"].value("probes_rusage_absent", "");
  const bool gvisor = runtime_name() == "runsc";
  if (gvisor)
    EXPECT_NE(absent.find("minflt"), std::string::npos) << absent;
  else
    EXPECT_EQ(absent, "none");
  ASSERT_EQ(j["benchmarks"].size(), 4u);
  for (const auto& b : j["benchmarks"]) {
    SCOPED_TRACE(b.value("name", ""));
    EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    EXPECT_GT(b.value("real_time", 0.0), 0);
    EXPECT_TRUE(b.contains("utime_s"));
    // An absent field has no counter at all, never a 0.
    EXPECT_EQ(b.contains("minflt"), absent.find("minflt") == std::string::npos);
  }
  EXPECT_EQ(test::Leftovers(runtime_, id, spec.cgroups_path), "");
}

INSTANTIATE_TEST_SUITE_P(Runtimes, ProbesTest,
                         ::testing::Combine(::testing::Values("runc", "crun", "runsc"),
                                            ::testing::Values(oci::ScratchKind::kRootfs,
                                                              oci::ScratchKind::kTmpfs)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" +
                                  ocibench::ToString(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace ocibench
