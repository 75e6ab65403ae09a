// WriteFileAtomic and MoveFileAtomic: the one way ocibench replaces a file it keeps.
#include "harness/process/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ocibench::process {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void Fail(const std::string& what, const fs::path& p) {
  throw std::runtime_error("cannot " + what + " " + p.string() + ": " + std::strerror(errno));
}

void FsyncPath(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) Fail("open", p);
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void WriteFileAtomic(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Fail("write", tmp);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      Fail("write", tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) Fail("write", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) Fail("rename into", path);
  FsyncPath(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

void MoveFileAtomic(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  FsyncPath(from, O_RDONLY);
  if (::rename(from.c_str(), to.c_str()) != 0) Fail("rename into", to);
  FsyncPath(to.parent_path(), O_RDONLY | O_DIRECTORY);
}

}  // namespace ocibench::process
