#include "workloads/probes/tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace ocibench::probes {
namespace {

[[noreturn]] void Fail(const std::string& call, const std::string& path) {
  throw std::system_error(errno, std::generic_category(), call + " " + path);
}

}  // namespace

void WriteFile(const std::string& path, std::size_t size) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Fail("open", path);
  std::vector<char> buf(size < 65536 ? size : 65536, 'x');
  std::size_t left = size;
  while (left > 0) {
    ssize_t n = write(fd, buf.data(), left < buf.size() ? left : buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      errno = e;
      Fail("write", path);
    }
    left -= static_cast<std::size_t>(n);
  }
  if (close(fd) != 0) Fail("close", path);
}

std::string MakeNestedPath(const std::string& base, int depth) {
  std::string p = base;
  for (int i = 0; i < depth; i++) {
    p += "/d";
    if (mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) Fail("mkdir", p);
  }
  p += "/f";
  WriteFile(p, 0);
  return p;
}

void MakeEmptyFiles(const std::string& dir, int count) {
  for (int i = 0; i < count; i++) WriteFile(dir + "/e" + std::to_string(i), 0);
}

long CountDirEntries(const std::string& dir, std::size_t buf_size) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) Fail("open", dir);
  std::vector<char> buf(buf_size);
  long entries = 0;
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf.data(), buf.size());
    if (n < 0) {
      int e = errno;
      close(fd);
      errno = e;
      Fail("getdents64", dir);
    }
    if (n == 0) break;
    // struct linux_dirent64: d_ino(8) d_off(8) d_reclen(2) d_type(1) d_name[]
    for (long off = 0; off < n;) {
      unsigned short reclen;
      __builtin_memcpy(&reclen, buf.data() + off + 16, sizeof reclen);
      off += reclen;
      entries++;
    }
  }
  close(fd);
  return entries;
}

}  // namespace ocibench::probes
