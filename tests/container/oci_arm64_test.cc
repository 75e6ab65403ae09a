// The arm64 bench image on this host: runs under runc through qemu-user-static in binfmt_misc,
// and without a handler fails with the runtime's "exec format error", reported as such.
#include <gtest/gtest.h>

#include "harness/footprint/binfmt_guard.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "tests/container/test_util.h"

namespace ocibench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Arm64Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (oci::HostArch() == "arm64") GTEST_SKIP() << "the host is arm64: nothing to emulate";
    runtime_ = oci::FindRuntime("runc");
    const std::string why = test::WhyUnusable(runtime_);
    if (!why.empty()) GTEST_SKIP() << why;
  }
  oci::RuntimeSpec runtime_;
};

TEST_F(Arm64Test, BenchImageRunsUnderRuncWithQemuBinfmt) {
  footprint::BinfmtGuard binfmt;
  if (const std::string why = binfmt.EnableQemu("arm64"); !why.empty()) GTEST_SKIP() << why;
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const oci::Bundle bundle = oci::MakeBundle(test::BenchSpec(results, "arm64"), tmp.path() / "b");
  ASSERT_EQ(bundle.image.arch, "arm64");
  oci::RunOptions options;
  options.timeout = 240s;
  const oci::RunResult r = oci::Run(runtime_, test::UniqueId("arm64"), bundle.dir, options);
  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  EXPECT_EQ(test::CheckBenchmarkJson(results / "out.json"), "");
}

TEST_F(Arm64Test, BenchImageWithoutBinfmtFailsWithExecFormatError) {
  footprint::BinfmtGuard binfmt;
  if (const std::string why = binfmt.DisableHandlers("arm64"); !why.empty()) GTEST_SKIP() << why;
  test::TempDir tmp;
  const oci::Bundle bundle = oci::MakeBundle(test::BenchSpec("", "arm64"), tmp.path() / "b");
  const std::string id = test::UniqueId("arm64-noexec");
  const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, {});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("exec format error"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("arm64"), std::string::npos) << r.error;
  EXPECT_EQ(test::Leftovers(runtime_, id, ""), "");
}

}  // namespace
}  // namespace ocibench
