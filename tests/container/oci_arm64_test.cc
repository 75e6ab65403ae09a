// The arm64 images on this host: run under runc through qemu-user-static in binfmt_misc, and
// without a handler fail with the runtime's "exec format error", reported as such.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
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

// The arm64 apps image carries an arm64 start-up program with Debian's arm64 loader and
// libraries: every ELF file in it is aarch64, and the start-up and template benchmarks run
// under emulation (the program's "ready" line and exit status are checked on every pass).
TEST_F(Arm64Test, AppsImageIsAllArm64AndItsStartupProgramRuns) {
  footprint::BinfmtGuard binfmt;
  if (const std::string why = binfmt.EnableQemu("arm64"); !why.empty()) GTEST_SKIP() << why;
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  oci::BundleSpec spec = test::BenchSpec(results, "arm64");
  spec.image_ref = "apps";
  spec.args = {"--benchmark_filter=^Apps_(startup_exec|template_render)/", "--apps_min_time=0.01",
               "--benchmark_out=/results/out.json", "--benchmark_out_format=json"};
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "b");
  ASSERT_EQ(bundle.image.arch, "arm64");
  std::vector<std::string> elves;
  for (const auto& e : fs::recursive_directory_iterator(bundle.dir / "rootfs")) {
    if (!e.is_regular_file() || e.is_symlink()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    unsigned char h[20] = {};
    constexpr unsigned char kElf[] = {0x7f, 'E', 'L', 'F'};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h) || std::memcmp(h, kElf, 4) != 0) continue;
    const std::string rel = e.path().lexically_relative(bundle.dir / "rootfs").string();
    elves.push_back(rel);
    EXPECT_EQ(h[18] | h[19] << 8, 183) << rel << " is not aarch64 (EM_AARCH64 = 183)";
  }
  EXPECT_NE(std::find(elves.begin(), elves.end(), "ocibench-startup"), elves.end());
  EXPECT_GE(elves.size(), 7u);  // bench, start-up, loader, libc, libm, libz, libexpat
  oci::RunOptions options;
  options.timeout = 240s;
  const std::string id = test::UniqueId("arm64-apps");
  const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, options);
  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  std::ifstream out(results / "out.json");
  const auto j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(j.contains("benchmarks")) << "no JSON in " << results << "\n"
                                        << r.stdout_text << r.stderr_text;
  std::vector<std::string> names;
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b.value("name", "");
    names.push_back(name.substr(0, name.find('/')));
    EXPECT_GT(b.value("real_time", 0.0), 0) << name;
    if (names.back() == "Apps_template_render") {
      EXPECT_EQ(b.value("rows", 0.0), 1000) << name;
    } else {
      EXPECT_GT(b.value("total_ms", 0.0), 0) << name;  // the start-up program's exit
    }
    std::cout << "arm64 apps image: " << name << " " << b.value("real_time", 0.0) << " "
              << b.value("time_unit", "") << "\n";
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Apps_startup_exec", "Apps_template_render"}));
  EXPECT_EQ(test::Leftovers(runtime_, id, ""), "");
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
