// RunTimed: fork, join the cgroups, exec; poll the output pipe until EOF and exit.
#include "harness/process/timed_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/process/command.h"

namespace ocibench::process {
namespace {

// Joins the cgroups (async-signal-safe; between fork and exec). Returns 0 or errno.
int JoinCgroups(const std::vector<std::string>& procs_files) {
  for (const auto& f : procs_files) {
    const int fd = ::open(f.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const bool ok = ::write(fd, "0", 1) == 1;
    const int err = errno;
    ::close(fd);
    if (!ok) return err;
  }
  return 0;
}

}  // namespace

TimedRunResult RunTimed(const std::vector<std::string>& argv,
                        const std::vector<std::string>& cgroup_procs,
                        const std::vector<std::string>& extra_env,
                        std::chrono::milliseconds timeout, const std::atomic<bool>& stop,
                        const std::function<void(pid_t)>& on_started) {
  TimedRunResult r;
  const std::string exe = process::FindOnPath(argv.at(0));
  if (exe.empty()) {
    r.error = argv[0] + ": not found or not executable";
    return r;
  }
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> cenv;
  for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {  // async-signal-safe only
    ::setpgid(0, 0);
    if (JoinCgroups(cgroup_procs) != 0) ::_exit(126);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::execve(exe.c_str(), cargv.data(), cenv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  if (pid < 0) {
    ::close(pipefd[0]);
    r.error = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  r.started = true;
  ::setpgid(pid, pid);
  if (on_started) on_started(pid);
  auto ms_since = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  bool killed = false;
  char buf[65536];
  for (;;) {
    pollfd p{pipefd[0], POLLIN, 0};
    const int n = ::poll(&p, 1, 100);
    if (n > 0) {
      const ssize_t got = ::read(pipefd[0], buf, sizeof buf);
      if (got > 0) {
        if (r.first_output_ms < 0) r.first_output_ms = ms_since();
        r.output.append(buf, static_cast<std::size_t>(got));
        if (r.output.size() > (256u << 10)) r.output.erase(0, r.output.size() - (256u << 10));
        continue;
      }
      if (got == 0) break;  // EOF: every writer (the process group) is gone
      if (errno != EINTR) break;
    }
    if (!killed && (stop.load() || ms_since() > static_cast<double>(timeout.count()))) {
      r.stopped = stop.load();
      r.timed_out = !r.stopped;
      ::kill(-pid, SIGKILL);
      killed = true;
    }
  }
  ::close(pipefd[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (!killed) ::kill(-pid, SIGKILL);  // anything the process left behind in its group
  r.total_ms = ms_since();
  if (WIFEXITED(st)) r.exit_code = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
  const std::string name = argv[0].substr(argv[0].rfind('/') + 1);
  if (r.stopped)
    r.error = name + ": stopped (interrupted)";
  else if (r.timed_out)
    r.error = name + ": timed out after " + std::to_string(timeout.count() / 1000) + " s (killed)";
  else if (r.exit_code == 126)
    r.error = name + ": could not join its cgroup";
  else if (r.exit_code == 127)
    r.error = name + ": could not be executed";
  else if (r.signal)
    r.error = name + ": killed by signal " + std::to_string(r.signal);
  else if (r.exit_code != 0) {
    std::string last = r.output;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    last = last.substr(last.rfind('\n') + 1);
    r.error = name + ": exited with code " + std::to_string(r.exit_code) +
              (last.empty() ? "" : ": " + last);
  }
  return r;
}

}  // namespace ocibench::process
