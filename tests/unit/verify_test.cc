// harness/verify: the rounds' statistic (the same figures as benchmarks/paired-verdict), the
// verdict against ±20%, ABBA order, and what of a host tree the host bundle binds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/verify/host_bundle.h"
#include "harness/verify/rounds.h"

namespace ocibench::verify {
namespace {
namespace fs = std::filesystem;

TEST(VerifyRounds, SummariseMatchesPairedVerdict) {
  // printf 'x\t1\t1.0\nx\t1\t1.2\nx\t1\t1.1\n' | benchmarks/paired-verdict → 1.097 0.875-1.376
  const auto m = Summarise({1.0, 1.2, 1.1});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rounds, 3);
  EXPECT_NEAR(m->geomean, 1.097, 5e-4);
  EXPECT_NEAR(m->low, 0.875, 5e-4);
  EXPECT_NEAR(m->high, 1.376, 5e-4);
  EXPECT_FALSE(Summarise({}));
  const auto one = Summarise({2.0});
  EXPECT_EQ(one->low, 2.0);
  EXPECT_EQ(Judge(2.0, *one), Verdict::kCannotTell);  // one round: no spread, no verdict
}

TEST(VerifyRounds, JudgeAgainstTheBand) {
  const Measured tight{5, 10.0, 9.8, 10.2};
  EXPECT_EQ(Judge(10.5, tight), Verdict::kWithin);
  EXPECT_EQ(Judge(13.0, tight), Verdict::kOutside);  // 13 / 10.2 > 1.2
  EXPECT_EQ(Judge(7.0, tight), Verdict::kOutside);
  const Measured wide{3, 10.0, 7.0, 14.0};
  EXPECT_EQ(Judge(10.0, wide), Verdict::kCannotTell);  // 10/14 < 0.8 < 1.2 < 10/7
  EXPECT_EQ(ToString(Verdict::kWithin, 0.2), "within ±20%");
  EXPECT_EQ(ToString(Verdict::kCannotTell, 0.2), "cannot tell on this host");
}

TEST(VerifyRounds, RoundSlowdownIsTheRatioOfDifferences) {
  EXPECT_DOUBLE_EQ(*RoundSlowdown(1.0, 3.0, 2.0, 8.0), 3.0);
  EXPECT_FALSE(RoundSlowdown(1.0, 1.0, 2.0, 8.0));  // native did no measurable work
  EXPECT_FALSE(RoundSlowdown(1.0, 2.0, 8.0, 2.0));
  EXPECT_FALSE(RuntimeFirst(0));
  EXPECT_TRUE(RuntimeFirst(1));
}

TEST(VerifyHostBundle, BindsDirectoriesKeepsSymlinksSkipsTheKernelsOwn) {
  const fs::path root = fs::temp_directory_path() / ("verify-tree-" + std::to_string(::getpid()));
  fs::remove_all(root);
  for (const char* d : {"usr/bin", "etc", "proc", "tmp", "work"}) fs::create_directories(root / d);
  fs::create_symlink("usr/bin", root / "bin");
  std::ofstream(root / "file");
  const HostTree t = ReadHostTree(root);
  ASSERT_EQ(t.binds.size(), 3u);
  EXPECT_EQ(t.binds[0].container, "/etc");
  EXPECT_EQ(t.binds[1].container, "/usr");
  EXPECT_EQ(t.binds[2].container, "/work");
  EXPECT_TRUE(t.binds[0].readonly);
  ASSERT_EQ(t.symlinks.size(), 1u);
  EXPECT_EQ(t.symlinks[0], std::make_pair(std::string("bin"), std::string("usr/bin")));

  const fs::path bundle = root / "bundle";
  HostBundleSpec spec;
  spec.argv = {"/bin/ls", "-R"};
  spec.cwd = "/work/sub";
  spec.seccomp_profile = "unconfined";
  const auto config = MakeHostBundle(spec, bundle, t);
  EXPECT_EQ(config["root"]["readonly"], true);
  EXPECT_EQ(config["process"]["cwd"], "/work/sub");
  EXPECT_EQ(config["process"]["args"][0], "/bin/ls");
  EXPECT_TRUE(fs::is_symlink(bundle / "rootfs" / "bin"));
  EXPECT_TRUE(fs::is_directory(bundle / "rootfs" / "usr"));
  EXPECT_TRUE(fs::is_directory(bundle / "rootfs" / "proc"));
  spec.cwd = "/tmp/x";  // a fresh tmpfs in the container: the cwd falls back to /
  EXPECT_EQ(MakeHostBundle(spec, root / "bundle2", t)["process"]["cwd"], "/");
  fs::remove_all(root);
}

}  // namespace
}  // namespace ocibench::verify
