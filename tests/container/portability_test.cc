// `ocibench portability` on this host: the foreign-architecture bench image fails under each
// runtime with the runtime's exec format error while no binfmt_misc handler is active, runs
// emulated by qemu-user-static slower than the native image, and binfmt_misc is left exactly as
// it was. Holds the ctest RESOURCE_LOCK binfmt.
#include "harness/footprint/portability.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/footprint/binfmt_guard.h"
#include "harness/oci/runtime.h"
#include "harness/process/command.h"
#include "tests/container/test_util.h"

namespace ocibench::footprint {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class PortabilityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string why = test::WhyUnusable(oci::FindRuntime(GetParam()));
    if (!why.empty()) GTEST_SKIP() << why;
    if (!std::filesystem::exists("/usr/lib/binfmt.d/qemu-aarch64.conf")) {
      GTEST_SKIP() << "qemu-user-static is not installed (scripts/install-deps)";
    }
  }
};

TEST_P(PortabilityTest, ExecFormatErrorWithoutEmulationSlowdownWithQemu) {
  PortabilityOptions o;
  o.image_layout = OCIBENCH_IMAGE_LAYOUT;
  o.runtimes = {GetParam()};
  o.benchmark_filter = "^LZMA_Compress/sdk/dict:22/";  // one pass: ~1 s natively
  o.timeout = std::chrono::seconds(240);
  const BinfmtState before = ReadBinfmtState();
  const PortabilityReport r = RunPortability(o);
  EXPECT_EQ(ReadBinfmtState(), before) << "binfmt_misc not restored: " << r.binfmt_after;
  EXPECT_TRUE(r.binfmt_restored);
  ASSERT_EQ(r.runtimes.size(), 1u);
  const RuntimePortability& p = r.runtimes[0];
  ASSERT_EQ(p.unusable, "");

  // 1. The runtime's own words, recorded verbatim.
  EXPECT_TRUE(p.no_emulation.attempted);
  EXPECT_FALSE(p.no_emulation.ok);
  EXPECT_NE(Lower(p.no_emulation.error_text).find("exec format error"), std::string::npos)
      << p.no_emulation.error_text << "\n"
      << p.no_emulation.message;

  // 2. Emulated: it runs, and costs more than the native image under the same runtime.
  ASSERT_TRUE(p.native.ok) << p.native.message;
  ASSERT_FALSE(p.emulation.empty())
      << "binfmt_misc: " << p.binfmt.message << " / " << p.binfmt.error_text
      << "\nqemu in container: " << p.qemu_in_container.message;
  ASSERT_EQ(p.workloads.size(), 1u);
  EXPECT_EQ(p.workloads[0].benchmark, "LZMA_Compress/sdk/dict:22");
  EXPECT_GT(p.workloads[0].native_ms, 0);
  EXPECT_GT(p.workloads[0].slowdown, 1.0) << p.workloads[0].emulated_ms << " ms emulated vs "
                                          << p.workloads[0].native_ms << " ms native";
  if (GetParam() == "runsc") {
    // gVisor's Sentry loads the ELF itself and never asks the host's binfmt_misc.
    EXPECT_FALSE(p.binfmt.ok);
    EXPECT_NE(Lower(p.binfmt.error_text).find("exec format error"), std::string::npos);
    EXPECT_EQ(p.emulation, "qemu in container");
  } else {
    EXPECT_EQ(p.emulation, "binfmt_misc");
  }
  EXPECT_EQ(test::Leftovers(oci::FindRuntime(GetParam()), "", kCgroupParent), "");
}

// binfmt_misc already set up (mounted, qemu-aarch64 registered and enabled, as after
// `containers/binfmt-qemu enable`): step 1 disables the handler for a while, step 2 uses it as it
// is, and afterwards it is exactly as found.
TEST(PortabilityBinfmtTest, ExistingHandlerIsDisabledForStepOneAndRestored) {
  const std::string why = test::WhyUnusable(oci::FindRuntime("runc"));
  if (!why.empty()) GTEST_SKIP() << why;
  BinfmtGuard outer;  // puts the machine back as it was before this test
  if (const std::string e = outer.EnableQemu("arm64"); !e.empty()) GTEST_SKIP() << e;
  const BinfmtState before = ReadBinfmtState();
  ASSERT_TRUE(HasEnabledHandler(before, "arm64"));
  PortabilityOptions o;
  o.image_layout = OCIBENCH_IMAGE_LAYOUT;
  o.runtimes = {"runc"};
  o.benchmark_filter = "^LZMA_Compress/sdk/dict:22/";
  const PortabilityReport r = RunPortability(o);
  EXPECT_EQ(ReadBinfmtState(), before);
  EXPECT_TRUE(r.binfmt_restored);
  ASSERT_EQ(r.binfmt_changes.size(), 2u);  // disabled for step 1, enabled again for step 2
  EXPECT_EQ(r.binfmt_changes[0], "disabled qemu-aarch64");
  EXPECT_EQ(r.binfmt_changes[1], "enabled qemu-aarch64");
  ASSERT_EQ(r.runtimes.size(), 1u);
  EXPECT_FALSE(r.runtimes[0].no_emulation.ok);
  EXPECT_NE(Lower(r.runtimes[0].no_emulation.error_text).find("exec format error"),
            std::string::npos);
  EXPECT_EQ(r.runtimes[0].emulation, "binfmt_misc");
}

INSTANTIATE_TEST_SUITE_P(Runtimes, PortabilityTest, ::testing::Values("runc", "crun", "runsc"),
                         [](const auto& info) { return info.param; });

TEST(PortabilityCommandTest, NoEmulationOnlyPrintsErrorsAndRestoresBinfmt) {
  const std::string why = test::WhyUnusable(oci::FindRuntime("runc"));
  if (!why.empty()) GTEST_SKIP() << why;
  const BinfmtState before = ReadBinfmtState();
  const process::CommandResult r =
      process::RunCommand({OCIBENCH_CLI, "portability", "--no-emulation-only", "--json",
                       "--image-layout", OCIBENCH_IMAGE_LAYOUT, "runc"});
  EXPECT_EQ(ReadBinfmtState(), before);
  ASSERT_TRUE(r.ok()) << r.LastLine();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["binfmt"]["restored"].get<bool>());
  const auto& rt = j["runtimes"][0];
  EXPECT_FALSE(rt["no_emulation"]["ok"].get<bool>());
  EXPECT_NE(Lower(rt["no_emulation"]["error_text"].get<std::string>()).find("exec format error"),
            std::string::npos);
  EXPECT_TRUE(rt["binfmt_misc"].is_null());  // step 2 not run
}

TEST(PortabilityCommandTest, MissingImageLayoutIsOneClearError) {
  const process::CommandResult r =
      process::RunCommand({OCIBENCH_CLI, "portability", "--image-layout", "/nonexistent/oci", "runc"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no OCI image layout at /nonexistent/oci"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ocibench::footprint
