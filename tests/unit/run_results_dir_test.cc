// The results directory as a trust boundary: what a container leaves in /results is copied only
// when it is a plain file of bounded size (a link is not followed, a FIFO does not block), and a
// cell that runs again drops the rows it wrote before.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/run/results_dir.h"

namespace {
namespace fs = std::filesystem;
using namespace ocibench::run;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class UntrustedFile : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("ocibench-untrusted-" + std::to_string(::getpid()));
  fs::path from = dir / "work" / "out.json", to = dir / "results" / "bench" / "rep-1.json";
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir / "work");
  }
  void TearDown() override { fs::remove_all(dir); }
};

TEST_F(UntrustedFile, APlainFileIsCopied) {
  std::ofstream(from) << "{\"benchmarks\": []}";
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024), "");
  EXPECT_EQ(Read(to), "{\"benchmarks\": []}");
  EXPECT_FALSE(fs::is_symlink(to));
}

TEST_F(UntrustedFile, ALinkIsNotFollowed) {
  std::ofstream(dir / "secret") << "root:x:0:0";
  fs::create_symlink(dir / "secret", from);
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024), "out.json is a symbolic link: not taken");
  EXPECT_FALSE(fs::exists(to));
}

TEST_F(UntrustedFile, AFifoDoesNotBlock) {
  ASSERT_EQ(::mkfifo(from.c_str(), 0600), 0);
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024), "out.json is not a regular file: not taken");
  EXPECT_FALSE(fs::exists(to));
}

TEST_F(UntrustedFile, ADirectoryOrAHugeFileOrNothingIsNotTaken) {
  fs::create_directory(from);
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024), "out.json is not a regular file: not taken");
  fs::remove(from);
  std::ofstream(from) << std::string(2000, 'x');
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024),
            "out.json has 2000 bytes, more than the 1024 taken: not taken");
  fs::remove(from);
  EXPECT_EQ(TakeUntrustedFile(from, to, 1024), "out.json was not written");
  EXPECT_FALSE(fs::exists(to));
}

TEST(ResultsDirRows, ForgetRowsDropsOneCellsRowsOnly) {
  const fs::path dir =
      fs::temp_directory_path() / ("ocibench-forget-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    ResultsDir r = ResultsDir::Create(dir, {{"cells", nlohmann::json::array()}});
    r.AppendLifecycle("native,lzma,1,,,1.0,2.0,\n");
    r.AppendLifecycle("native,lzma,10,,,1.0,2.0,\n");
    r.AppendLifecycle("runc,lzma,1,1,2,3,4,5\n");
    r.AppendMemory("native,lzma,1,0.1,1,2,\nnative,lzma,1,0.2,1,2,\nrunc,lzma,1,0.1,1,2,3\n");
  }
  ResultsDir r = ResultsDir::Open(dir);  // as --resume does
  r.ForgetRows("native,lzma,1,");
  EXPECT_EQ(Read(dir / "lifecycle.csv"),
            std::string(kLifecycleHeader) + "native,lzma,10,,,1.0,2.0,\nrunc,lzma,1,1,2,3,4,5\n");
  EXPECT_EQ(Read(dir / "memory.csv"), std::string(kMemoryHeader) + "runc,lzma,1,0.1,1,2,3\n");
  fs::remove_all(dir);
}

}  // namespace
