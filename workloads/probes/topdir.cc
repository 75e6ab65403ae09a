// FS_TOPDIR_FL on a directory (workloads/probes/topdir.h).
#include "workloads/probes/topdir.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <system_error>

#include "workloads/probes/fd.h"

namespace ocibench::probes {

bool SpreadSubdirectories(const std::string& dir) {
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.ok()) throw std::system_error(errno, std::generic_category(), "open " + dir);
  int flags = 0;  // the ioctls take an int, whatever <linux/fs.h> says (e2fsprogs does the same)
  if (ioctl(fd.get(), FS_IOC_GETFLAGS, &flags) != 0) return false;
  if (flags & FS_TOPDIR_FL) return true;
  flags |= FS_TOPDIR_FL;
  return ioctl(fd.get(), FS_IOC_SETFLAGS, &flags) == 0;
}

}  // namespace ocibench::probes
