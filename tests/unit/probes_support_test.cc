// Scratch directories, getrusage fields, the CPU controls and the no-op flag.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <system_error>

#include "workloads/probes/ctl.h"
#include "workloads/probes/fd.h"
#include "workloads/probes/noop.h"
#include "workloads/probes/rusage.h"
#include "workloads/probes/scratch.h"
#include "workloads/probes/tree.h"

namespace ocibench::probes {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0;
}

TEST(Scratch, FreshDirectoryIsRemovedWithItsContents) {
  std::string path;
  {
    ScratchDir s(DefaultScratchBase());
    path = s.path();
    EXPECT_TRUE(path.starts_with(DefaultScratchBase() + "/ocibench-probes-")) << path;
    MakeNestedPath(path, 3);
    MakeEmptyFiles(path, 5);
    ASSERT_TRUE(Exists(path + "/d/d/d/f"));
  }
  EXPECT_FALSE(Exists(path));
}

TEST(Scratch, MissingBaseIsAnErrorNamingIt) {
  try {
    ScratchDir s("/nonexistent-ocibench-base");
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-ocibench-base"), std::string::npos);
  }
}

TEST(Scratch, ScopedDirIsRemovedUnlessReleased) {
  ScratchDir s(DefaultScratchBase());
  {
    ScopedDir d(s.path() + "/a");
    WriteFile(d.path() + "/f", 10);
  }
  EXPECT_FALSE(Exists(s.path() + "/a"));
  {
    ScopedDir d(s.path() + "/b");
    d.Release();
  }
  EXPECT_TRUE(Exists(s.path() + "/b"));
}

TEST(Scratch, FsTypeNamesKnownFilesystems) {
  EXPECT_EQ(FsTypeName("/proc"), "proc");
  EXPECT_FALSE(FsTypeName(DefaultScratchBase()).empty());
  EXPECT_THROW(FsTypeName("/nonexistent-ocibench-path"), std::system_error);
}

TEST(Rusage, DeltaSubtractsEveryField) {
  Usage a{2.5, 1.5, 10, 3, 7, 4}, b{1.0, 0.5, 4, 1, 2, 1};
  Usage d = a - b;
  EXPECT_DOUBLE_EQ(d.utime_s, 1.5);
  EXPECT_DOUBLE_EQ(d.stime_s, 1.0);
  EXPECT_EQ(d.minflt, 6);
  EXPECT_EQ(d.majflt, 2);
  EXPECT_EQ(d.nvcsw, 5);
  EXPECT_EQ(d.nivcsw, 3);
}

TEST(Rusage, LinuxFillsInEveryField) {
  // The unit tests run on a real Linux kernel, which counts all of them.
  UsageFields f = DetectUsageFields();
  EXPECT_TRUE(f.cpu_time);
  EXPECT_TRUE(f.minflt);
  EXPECT_TRUE(f.nvcsw);
  EXPECT_TRUE(f.majflt);
  EXPECT_TRUE(f.nivcsw);
  EXPECT_EQ(AbsentFieldNames(f), "");
}

TEST(Rusage, AbsentFieldsAreNamed) {
  UsageFields gvisor_like;
  gvisor_like.cpu_time = true;
  gvisor_like.nvcsw = true;
  EXPECT_EQ(AbsentFieldNames(gvisor_like), "minflt,majflt,nivcsw");
  EXPECT_EQ(AbsentFieldNames(UsageFields{}), "utime,stime,minflt,majflt,nvcsw,nivcsw");
}

TEST(Ctl, ParseSumAddsTheGeneratedNumbers) {
  EXPECT_EQ(ParseSum(MakeParseInput(1000)), 999LL * 1000 / 2);
  EXPECT_EQ(ParseSum("1,2\n30"), 33);
  EXPECT_EQ(ParseSum("1,x"), -1);
}

TEST(Ctl, IntLoopIsDeterministicAndMoves) {
  EXPECT_EQ(IntLoop(42, 1000), IntLoop(42, 1000));
  EXPECT_NE(IntLoop(42, 1000), IntLoop(42, 999));
  EXPECT_NE(IntLoop(0, 10), 0u);
}

TEST(Noop, OnlyTheFirstArgumentCounts) {
  char a0[] = "ocibench-bench", flag[] = "--ocibench_noop", other[] = "--x";
  char* yes[] = {a0, flag, nullptr};
  char* no[] = {a0, other, flag, nullptr};
  EXPECT_TRUE(IsNoopInvocation(2, yes));
  EXPECT_FALSE(IsNoopInvocation(3, no));
  EXPECT_FALSE(IsNoopInvocation(1, yes));
  EXPECT_EQ(RunNoop(2, yes), 0);
}

TEST(Fd, ReadFullStopsAtEndOfFile) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd rd(p[0]), wr(p[1]);
  ASSERT_TRUE(WriteFull(wr.get(), "abcd", 4));
  wr.Reset();
  char buf[8];
  EXPECT_TRUE(ReadFull(rd.get(), buf, 3));
  EXPECT_EQ(std::string(buf, 3), "abc");
  EXPECT_FALSE(ReadFull(rd.get(), buf, 2));  // only "d" left
  EXPECT_EQ(errno, 0);
}

TEST(Fd, WriteToAClosedPipeFailsWithEpipeInsteadOfKilling) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd rd(p[0]), wr(p[1]);
  rd.Reset();
  {
    ScopedIgnoreSigpipe guard;
    EXPECT_FALSE(WriteFull(wr.get(), "x", 1));
    EXPECT_EQ(errno, EPIPE);
  }
  struct sigaction now {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &now), 0);
  EXPECT_EQ(now.sa_handler, SIG_DFL);  // restored
}

}  // namespace
}  // namespace ocibench::probes
