// NewRunId, RunLease (flock on <results>/.lock and kLeaseDir/<id>), LiveRuns.
#include "harness/run/run_lease.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

#include "harness/process/proc.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// Opens (creating) `file` and takes an exclusive lock without waiting: the fd, or -1 with the
// pid the holder wrote into it.
int TryLock(const fs::path& file, pid_t* holder) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: {}", file.string(), std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
      // the pid is for messages only
    }
    return fd;
  }
  *holder = 0;
  try {
    *holder = std::stoi(process::ReadSmallFile(file));
  } catch (const std::exception&) {
  }
  ::close(fd);
  return -1;
}

}  // namespace

std::string NewRunId() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> hex(0, 15);
  std::string id;
  for (int i = 0; i < 12; ++i) id += "0123456789abcdef"[hex(rd)];
  return id;
}

RunLease::RunLease(const fs::path& results_dir, const std::string& id) {
  pid_t holder = 0;
  dir_fd_ = TryLock(results_dir / ".lock", &holder);
  if (dir_fd_ < 0)
    throw std::runtime_error(
        fmt::format("{} is in use by ocibench run pid {}", results_dir.string(), holder));
  fs::create_directories(kLeaseDir);
  lease_ = fs::path(kLeaseDir) / id;
  lease_fd_ = TryLock(lease_, &holder);
  if (lease_fd_ < 0) {
    ::close(dir_fd_);
    throw std::runtime_error(fmt::format("run id {} is in use by ocibench run pid {}", id, holder));
  }
}

RunLease::~RunLease() {
  std::error_code ec;
  if (lease_fd_ >= 0) {
    fs::remove(lease_, ec);  // while still locked: no one can take a half-removed lease
    ::close(lease_fd_);
  }
  if (dir_fd_ >= 0) ::close(dir_fd_);
  ::rmdir(kLeaseDir);
}

std::set<std::string> LiveRuns(bool dry_run) {
  std::set<std::string> live;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kLeaseDir, ec)) {
    pid_t holder = 0;
    const int fd = TryLock(e.path(), &holder);
    if (fd < 0) {
      live.insert(e.path().filename().string());
      continue;
    }
    if (!dry_run) fs::remove(e.path(), ec);  // its run is gone
    ::close(fd);
  }
  return live;
}

bool OwnedByLiveRun(const std::string& name, const std::set<std::string>& live) {
  return std::any_of(live.begin(), live.end(),
                     [&](const std::string& id) { return name.find(id) != std::string::npos; });
}

}  // namespace ocibench::run
