// The shim around `create` (like conmon or containerd's shim): a forked child subreaper, so the
// container's init (runc/crun) or sandbox (runsc) is re-parented to it when `create` exits and
// the shim can wait for it and report its exit status through a pipe.
//
// Hand-written fork rather than process::Spawn: the shim runs code (no exec) and forks the
// runtime itself, and only async-signal-safe calls are allowed in it (ocibench has threads).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/oci/container_impl.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/proc.h"

namespace ocibench::oci {
namespace {

void WriteRecord(int fd, int kind, int value) {
  const ShimRecord r{kind, value};
  (void)!::write(fd, &r, sizeof r);
}

}  // namespace

namespace internal {

pid_t ReadPidFile(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  pid_t pid = 0;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pid = pid * 10 + (buf[i] - '0');
  return pid > 0 ? pid : -1;
}

double MsSince(ContainerClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(ContainerClock::now() - t0).count();
}

}  // namespace internal

void Container::Impl::StartShim(const std::vector<std::string>& argv,
                                const std::vector<std::string>& procs_files) {
  int out[2], err[2], status[2];
  if (::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) || ::pipe2(status, O_CLOEXEC)) {
    throw RuntimeError(std::string("pipe: ") + strerror(errno));
  }
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<const char*> cprocs;
  for (const auto& p : procs_files) cprocs.push_back(p.c_str());
  const std::string pid_path = pid_file.string();
  const bool ns = cgroup2_ns;

  t0 = ContainerClock::now();
  const pid_t child = ::fork();
  if (child < 0) throw RuntimeError(std::string("fork: ") + strerror(errno));
  if (child == 0) {
    // The shim: async-signal-safe calls only from here on.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t c = ::fork();
    if (c == 0) {
      const int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      for (const char* p : cprocs) {
        const int fd = ::open(p, O_WRONLY);
        if (fd >= 0) (void)!::write(fd, "0", 1), ::close(fd);
      }
      int e = ns ? internal::EnterCgroup2Namespace() : 0;
      if (e == 0) {
        ::execv(cargv[0], cargv.data());
        e = errno;
      }
      const char* msg = "ocibench: cannot start the runtime: ";
      (void)!::write(2, msg, strlen(msg));
      (void)!::write(2, strerror(e), strlen(strerror(e)));
      (void)!::write(2, "\n", 1);
      ::_exit(127);
    }
    // Keep only the status pipe: an inherited write end of another container's output pipe
    // would keep that container's reader from seeing EOF.
    if (status[1] > 3) ::close_range(3, static_cast<unsigned>(status[1]) - 1, 0);
    ::close_range(static_cast<unsigned>(status[1]) + 1, ~0U, 0);
    int st = 0;
    while (::waitpid(c, &st, 0) < 0 && errno == EINTR) {
    }
    WriteRecord(status[1], kCreateDone, st);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ::_exit(0);
    const pid_t init = internal::ReadPidFile(pid_path.c_str());
    bool seen = false;
    while (true) {
      const pid_t p = ::waitpid(-1, &st, __WALL);
      if (p < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (p == init) {
        WriteRecord(status[1], kInitExited, st);
        seen = true;
      }
    }
    if (!seen) WriteRecord(status[1], kInitUnknown, init < 0 ? ENOENT : ECHILD);
    ::_exit(0);
  }
  shim = child;
  ::close(out[1]);
  ::close(err[1]);
  ::close(status[1]);
  status_fd = status[0];
  StartReader(out[0], err[0]);
}

bool Container::Impl::NextRecord(ShimRecord* r, ContainerClock::time_point deadline) {
  if (status_fd < 0) return false;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ContainerClock::now());
    pollfd p{status_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = ::read(status_fd, r, sizeof *r);
    if (n == static_cast<ssize_t>(sizeof *r)) return true;
    if (n < 0 && errno == EINTR) continue;
    ::close(status_fd);  // the shim is gone
    status_fd = -1;
    return false;
  }
}

void Container::Impl::ReapShim(std::chrono::milliseconds grace) {
  if (shim <= 0) return;
  const auto deadline = ContainerClock::now() + grace;
  int st = 0;
  // Woken when the shim exits (a pidfd is readable then) rather than by the 10 ms polling below
  // alone, which cost up to 10 ms per container (docs/startup.md).
  if (const int pfd = static_cast<int>(::syscall(SYS_pidfd_open, shim, 0)); pfd >= 0) {
    pollfd p{pfd, POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(grace.count())) < 0 && errno == EINTR) {
    }
    ::close(pfd);
  }
  while (::waitpid(shim, &st, WNOHANG) == 0) {
    if (ContainerClock::now() > deadline) {
      // Kill what is under the shim and let the shim reap it (killing the shim first would
      // leave the zombies to init); then the shim, if it still has not ended.
      for (pid_t p : process::Descendants(shim)) ::kill(p, SIGKILL);
      for (int i = 0; i < 200 && ::waitpid(shim, &st, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (::kill(shim, 0) == 0 && ::waitpid(shim, &st, WNOHANG) == 0) {
        ::kill(shim, SIGKILL);
        ::waitpid(shim, &st, 0);
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  shim = -1;
}

}  // namespace ocibench::oci
