// The arm64 images on this host: run under runc through qemu-user-static in binfmt_misc, and
// without a handler fail with the runtime's "exec format error", reported as such.
#include <gtest/gtest.h>

#include <vector>

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

// The arm64 server images carry Debian's arm64 binaries with their whole library closure: each
// starts under emulation. nginx checks its config (exit 0); redis-server with `--port 0`
// initialises completely (its startup log) and then exits 1, having nothing to listen on.
TEST_F(Arm64Test, ServerImagesStartUnderRuncWithQemuBinfmt) {
  footprint::BinfmtGuard binfmt;
  if (const std::string why = binfmt.EnableQemu("arm64"); !why.empty()) GTEST_SKIP() << why;
  struct Case {
    std::string image;
    std::vector<std::string> args;
    int exit_code;
    std::vector<std::string> output;
  };
  const std::vector<Case> cases = {
      {"nginx", {"-t", "-c", "/etc/nginx/nginx.conf"}, 0, {"test is successful"}},
      {"redis", {"--port", "0"}, 1, {"Redis version=", "Configured to not listen anywhere"}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.image);
    test::TempDir tmp;
    oci::BundleSpec spec;
    spec.image_layout = OCIBENCH_IMAGE_LAYOUT;
    spec.image_ref = c.image;
    spec.arch = "arm64";
    spec.args = c.args;
    const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "b");
    ASSERT_EQ(bundle.image.arch, "arm64");
    oci::RunOptions options;
    options.timeout = 120s;
    const std::string id = test::UniqueId("arm64-" + c.image);
    const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, options);
    const std::string output = r.stdout_text + r.stderr_text;
    EXPECT_EQ(r.status.code, c.exit_code) << r.error << "\n" << output;
    for (const auto& line : c.output) EXPECT_NE(output.find(line), std::string::npos) << output;
    EXPECT_EQ(test::Leftovers(runtime_, id, ""), "");
  }
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
