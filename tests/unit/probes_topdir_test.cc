// FS_TOPDIR_FL on a probe directory (workloads/probes/topdir): set and read back on ext4,
// refused quietly where the filesystem has no such flag, an error for a missing directory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include <system_error>

#include "workloads/probes/fd.h"
#include "workloads/probes/scratch.h"
#include "workloads/probes/topdir.h"

namespace ocibench::probes {
namespace {

int Flags(const std::string& dir) {
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  int flags = 0;
  if (!fd.ok() || ioctl(fd.get(), FS_IOC_GETFLAGS, &flags) != 0) return -1;
  return flags;
}

TEST(TopDir, SetOnExt4AndReadBack) {
  ScratchDir s(DefaultScratchBase());
  if (FsTypeName(s.path()) != "ext2/ext3/ext4")
    GTEST_SKIP() << DefaultScratchBase() << " is " << FsTypeName(s.path()) << ", not ext4";
  ASSERT_EQ(Flags(s.path()) & FS_TOPDIR_FL, 0);
  EXPECT_TRUE(SpreadSubdirectories(s.path()));
  EXPECT_NE(Flags(s.path()) & FS_TOPDIR_FL, 0);
  EXPECT_TRUE(SpreadSubdirectories(s.path()));  // already set: still true
}

TEST(TopDir, TmpfsRefusesQuietly) {
  if (FsTypeName("/dev/shm") != "tmpfs") GTEST_SKIP() << "/dev/shm is not a tmpfs here";
  ScratchDir s("/dev/shm");
  EXPECT_FALSE(SpreadSubdirectories(s.path()));
}

TEST(TopDir, MissingDirectoryIsAnErrorNamingIt) {
  try {
    SpreadSubdirectories("/nonexistent-ocibench-dir");
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-ocibench-dir"), std::string::npos);
  }
}

}  // namespace
}  // namespace ocibench::probes
