#include "workloads/probes/pathlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

#include "workloads/probes/tree.h"

namespace ocibench::probes {
namespace {

[[noreturn]] void Fail(const std::string& call, const std::string& path) {
  throw std::system_error(errno, std::generic_category(), call + " " + path);
}

bool IsDotOrDotDot(const char* n) {
  return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

}  // namespace

void MakePathlibTree(const std::string& dir, int num_files) {
  static const std::array<const char*, 4> kSuffixes = {".py", ".txt", ".tar.gz", ""};
  for (int i = 1; i <= num_files; i++) {
    const std::string path = dir + "/" + std::to_string(i) + kSuffixes[(i - 1) % 4];
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) Fail("open", path);
    if (write(fd, "benchmark", 9) != 9) {
      int e = errno;
      close(fd);
      errno = e;
      Fail("write", path);
    }
    close(fd);
  }
}

std::vector<std::string> ScanDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) Fail("opendir", dir);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = readdir(d)) {
    if (!IsDotOrDotDot(e->d_name)) names.emplace_back(e->d_name);
  }
  int e = errno;
  closedir(d);
  if (e != 0) {
    errno = e;
    Fail("readdir", dir);
  }
  return names;
}

std::vector<std::string> GlobNames(const std::string& dir, const std::string& pattern) {
  std::vector<std::string> out;
  for (auto& n : ScanDir(dir)) {
    if (fnmatch(pattern.c_str(), n.c_str(), FNM_PERIOD) == 0) out.push_back(std::move(n));
  }
  return out;
}

long StatEach(const std::string& dir, const std::vector<std::string>& names) {
  struct stat st;
  long ok = 0;
  std::string path;
  for (const auto& n : names) {
    path.assign(dir).append("/").append(n);
    if (stat(path.c_str(), &st) != 0) Fail("stat", path);
    ok++;
  }
  return ok;
}

PathlibCounts PathlibLoop(const std::string& dir) {
  PathlibCounts c;
  for (int round = 0; round < 2; round++) {
    auto all = ScanDir(dir);
    c.listed += static_cast<long>(all.size());
    c.stats += StatEach(dir, all);
    auto py = GlobNames(dir, "*.py");
    c.matched += static_cast<long>(py.size());
    c.stats += StatEach(dir, py);
  }
  return c;
}

const std::vector<std::string>& ImportSuffixes() {
  static const std::vector<std::string> kSuffixes = {".cpython-311-x86_64-linux-gnu.so", ".abi3.so",
                                                     ".so", ".py", ".pyc"};
  return kSuffixes;
}

ImportCounts ImportLike(const std::vector<std::string>& search_path, const std::string& module) {
  ImportCounts c;
  struct stat st;
  std::string path;
  for (const auto& dir : search_path) {
    for (const auto& suffix : ImportSuffixes()) {
      path.assign(dir).append("/").append(module).append(suffix);
      if (stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) Fail("stat", path);
        c.failed_lookups++;
        continue;
      }
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) Fail("open", path);
      char buf[4096];
      for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
          int e = errno;
          close(fd);
          errno = e;
          Fail("read", path);
        }
        if (n == 0) break;
        c.bytes_read += n;
      }
      close(fd);
      return c;
    }
  }
  errno = ENOENT;
  Fail("import (not found on the search path)", module);
}

}  // namespace ocibench::probes
