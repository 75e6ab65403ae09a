// harness/process/install_paths: a build tree is found by its CMakeCache.txt, else the
// installed layout under the prefix (the one cmake/Packaging.cmake installs).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "harness/process/install_paths.h"

namespace ocibench::process {
namespace {
namespace fs = std::filesystem;

class InstallPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ocibench-install-paths-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(InstallPathsTest, BuildTreeWhenCMakeCacheIsBesideTheBinaryDirectory) {
  fs::create_directories(root_ / "build/harness");
  std::ofstream(root_ / "build/CMakeCache.txt") << "\n";
  const InstallPaths p = FindInstallPaths(root_ / "build/harness");
  EXPECT_TRUE(p.build_tree);
  EXPECT_EQ(p.bench, root_ / "build/benchmarks/ocibench-bench");
  EXPECT_EQ(p.images, root_ / "build/images/oci");
  EXPECT_EQ(p.reference.filename(), "reference");
}

TEST_F(InstallPathsTest, InstalledLayoutUnderThePrefixOtherwise) {
  fs::create_directories(root_ / "usr/bin");
  const InstallPaths p = FindInstallPaths(root_ / "usr/bin");
  EXPECT_FALSE(p.build_tree);
  EXPECT_EQ(p.bench, root_ / "usr/libexec/ocibench/ocibench-bench");
  EXPECT_EQ(p.images, root_ / "usr/share/ocibench/images/oci");
  EXPECT_EQ(p.reference, root_ / "usr/share/ocibench/reference");
}

TEST(InstallPaths, ThisTestRunsFromTheBuildTree) {
  // tests/unit/<binary>: one level deeper than harness/, so it is not a build tree's harness dir.
  EXPECT_FALSE(SelfExeDir().empty());
  EXPECT_TRUE(fs::exists(SelfExeDir().parent_path().parent_path() / "CMakeCache.txt"));
}

}  // namespace
}  // namespace ocibench::process
