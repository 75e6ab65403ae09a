// The pathlib port and the import-like search: files made, matched and stat'ed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "workloads/probes/pathlib.h"
#include "workloads/probes/scratch.h"
#include "workloads/probes/tree.h"

namespace ocibench::probes {
namespace {

class PathlibTest : public ::testing::Test {
 protected:
  ScratchDir scratch_{DefaultScratchBase()};
  const std::string& dir() const { return scratch_.path(); }
};

TEST_F(PathlibTest, TreeHasBmPathlibNamesAndContent) {
  MakePathlibTree(dir());
  auto names = ScanDir(dir());
  ASSERT_EQ(names.size(), 2000u);
  std::sort(names.begin(), names.end());
  for (const char* n : {"1.py", "2.txt", "3.tar.gz", "4", "5.py", "2000"})
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), n)) << n;
  std::ifstream f(dir() + "/1.py");
  std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "benchmark");
}

TEST_F(PathlibTest, GlobMatchesOneSuffixAndSkipsHiddenFiles) {
  MakePathlibTree(dir(), 40);
  WriteFile(dir() + "/.hidden.py", 1);
  EXPECT_EQ(GlobNames(dir(), "*.py").size(), 10u);
  EXPECT_EQ(GlobNames(dir(), "*.tar.gz").size(), 10u);
  EXPECT_EQ(GlobNames(dir(), "*.gz").size(), 10u);
  EXPECT_EQ(GlobNames(dir(), "*").size(), 40u);  // not .hidden.py
  EXPECT_EQ(GlobNames(dir(), ".*").size(), 1u);
  EXPECT_TRUE(GlobNames(dir(), "*.rs").empty());
}

TEST_F(PathlibTest, OneLoopListsMatchesAndStatsLikeBmPathlib) {
  MakePathlibTree(dir());
  PathlibCounts c = PathlibLoop(dir());
  EXPECT_EQ(c.listed, 4000);
  EXPECT_EQ(c.matched, 1000);
  EXPECT_EQ(c.stats, 5000);
}

TEST_F(PathlibTest, StatEachThrowsNamingTheMissingPath) {
  try {
    StatEach(dir(), {"nope"});
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOENT);
    EXPECT_NE(std::string(e.what()).find(dir() + "/nope"), std::string::npos) << e.what();
  }
}

TEST_F(PathlibTest, ImportLikeFailsAlongThePathThenReadsTheModule) {
  std::vector<std::string> path;
  for (int i = 0; i < 3; i++) {
    path.push_back(dir() + "/p" + std::to_string(i));
    ASSERT_EQ(mkdir(path.back().c_str(), 0755), 0);
  }
  WriteFile(path[1] + "/mod.py", 1234);
  WriteFile(path[2] + "/mod.so", 10);  // later on the path: never reached
  ImportCounts c = ImportLike(path, "mod");
  const long suffixes = static_cast<long>(ImportSuffixes().size());
  // All suffixes fail in p0; in p1 the three extension-module suffixes fail before ".py".
  EXPECT_EQ(c.failed_lookups, suffixes + 3);
  EXPECT_EQ(c.bytes_read, 1234);
  EXPECT_THROW(ImportLike(path, "absent"), std::system_error);
}

TEST_F(PathlibTest, CountDirEntriesSeesEveryFileWhateverTheBufferSize) {
  MakeEmptyFiles(dir(), 100);
  EXPECT_EQ(CountDirEntries(dir()), 102);       // plus "." and ".."
  EXPECT_EQ(CountDirEntries(dir(), 256), 102);  // many getdents64 calls
  EXPECT_THROW(CountDirEntries(dir() + "/missing"), std::system_error);
}

TEST_F(PathlibTest, NestedPathHasTheRequestedDepth) {
  const std::string p = MakeNestedPath(dir(), 3);
  EXPECT_EQ(p, dir() + "/d/d/d/f");
  struct stat st;
  EXPECT_EQ(stat(p.c_str(), &st), 0);
  EXPECT_EQ(MakeNestedPath(dir(), 0), dir() + "/f");
  EXPECT_EQ(MakeNestedPath(dir(), 4), dir() + "/d/d/d/d/f");  // reuses existing levels
}

}  // namespace
}  // namespace ocibench::probes
