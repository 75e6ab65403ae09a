// Spawn: resolve, fork, set up the child's descriptors, group, death signal and hook, exec.
#include "harness/process/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/process/command.h"

namespace ocibench::process {
namespace {

struct ChildFailure {
  int in_before_exec;
  int error;
};

Spawned Failed(int error, bool in_before_exec = false) {
  Spawned s;
  s.error = error;
  s.in_before_exec = in_before_exec;
  s.message = std::strerror(error);
  return s;
}

}  // namespace

Spawned Spawn(const SpawnOptions& o) {
  if (o.argv.empty()) {
    Spawned s;
    s.error = EINVAL;
    s.message = "empty command";
    return s;
  }
  const std::string exe = FindOnPath(o.argv[0]);
  if (exe.empty()) return Failed(ENOENT);
  std::vector<char*> cargv;
  for (const auto& a : o.argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<std::string> env;
  if (o.inherit_env) {
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
  }
  env.insert(env.end(), o.env.begin(), o.env.end());
  std::vector<char*> cenv;
  for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  int status[2];  // the child's ChildFailure; closed by a successful exec
  if (::pipe2(status, O_CLOEXEC) != 0) return Failed(errno);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(status[0]);
    ::close(status[1]);
    return Failed(e);
  }
  if (pid == 0) {  // async-signal-safe calls only from here on
    if (o.own_process_group) ::setpgid(0, 0);
    if (o.death_signal != 0) {
      ::prctl(PR_SET_PDEATHSIG, o.death_signal);
      if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    }
    const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const int fds[3] = {o.stdin_fd, o.stdout_fd, o.stderr_fd};
    for (int target = 0; target < 3; ++target) {
      const int fd = fds[target] == kDevNull ? devnull : fds[target];
      if (fd >= 0) ::dup2(fd, target);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ChildFailure f{1, o.before_exec ? o.before_exec() : 0};
    if (f.error == 0) {
      f.in_before_exec = 0;
      ::execve(exe.c_str(), cargv.data(), cenv.data());
      f.error = errno;
    }
    (void)!::write(status[1], &f, sizeof f);
    ::_exit(127);
  }
  ::close(status[1]);
  if (o.own_process_group) ::setpgid(pid, pid);  // also set here: no race with a kill(-pid)
  ChildFailure f{};
  ssize_t n;
  do n = ::read(status[0], &f, sizeof f);
  while (n < 0 && errno == EINTR);
  ::close(status[0]);
  if (n == static_cast<ssize_t>(sizeof f)) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return Failed(f.error, f.in_before_exec != 0);
  }
  Spawned s;
  s.pid = pid;
  return s;
}

}  // namespace ocibench::process
