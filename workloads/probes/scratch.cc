#include "workloads/probes/scratch.h"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace ocibench::probes {

std::string DefaultScratchBase() {
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

std::string FsTypeName(const std::string& path) {
  struct statfs s;
  if (statfs(path.c_str(), &s) != 0)
    throw std::system_error(errno, std::generic_category(), "statfs " + path);
  // Magic numbers from linux/magic.h, plus a few that header does not carry.
  switch (static_cast<unsigned long>(s.f_type)) {
    case TMPFS_MAGIC:
      return "tmpfs";
    case EXT4_SUPER_MAGIC:
      return "ext2/ext3/ext4";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlayfs";
    case V9FS_MAGIC:
      return "9p";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case NFS_SUPER_MAGIC:
      return "nfs";
    case PROC_SUPER_MAGIC:
      return "proc";
    case SYSFS_MAGIC:
      return "sysfs";
    case RAMFS_MAGIC:
      return "ramfs";
    case SQUASHFS_MAGIC:
      return "squashfs";
    case 0x65735546UL:
      return "fuse";  // also virtiofs (Kata's default shared fs)
    case 0x2fc12fc1UL:
      return "zfs";
    case 0x6a656a63UL:
      return "fakeowner";  // Docker Desktop's bind mounts
    default:
      break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(s.f_type));
  return buf;
}

bool RemoveTree(const std::string& path) noexcept {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  return !ec;
}

ScratchDir::ScratchDir(const std::string& base) {
  std::string tmpl = base + "/ocibench-probes-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp in scratch base " + base);
  path_ = buf.data();
}

ScratchDir::~ScratchDir() { RemoveTree(path_); }

ScopedDir::ScopedDir(std::string path) : path_(std::move(path)) {
  RemoveTree(path_);
  if (mkdir(path_.c_str(), 0755) != 0)
    throw std::system_error(errno, std::generic_category(), "mkdir " + path_);
}

}  // namespace ocibench::probes
