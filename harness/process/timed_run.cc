// RunTimed: Spawn (joining the cgroups before exec); poll the output pipe until EOF and exit.
#include "harness/process/timed_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/process/exit_description.h"
#include "harness/process/spawn.h"

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
  const std::string name = argv.at(0).substr(argv[0].rfind('/') + 1);
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  SpawnOptions o;
  o.argv = argv;
  o.env = extra_env;
  o.stdout_fd = pipefd[1];
  o.stderr_fd = pipefd[1];
  o.own_process_group = true;
  o.before_exec = [&cgroup_procs] { return JoinCgroups(cgroup_procs); };
  const auto t0 = std::chrono::steady_clock::now();
  const Spawned child = Spawn(o);
  ::close(pipefd[1]);
  if (!child.ok()) {
    ::close(pipefd[0]);
    ProcessEnd end;
    end.started = false;
    end.start_error = (child.in_before_exec ? "cannot join its cgroup: " : "") + child.message;
    r.error = DescribeEnd(name, end);
    return r;
  }
  const pid_t pid = child.pid;
  r.started = true;
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
  ProcessEnd end = FromWaitStatus(st);
  r.exit_code = end.exit_code;
  r.signal = end.signal;
  end.stopped = r.stopped;
  if (r.timed_out) end.timed_out_after_s = static_cast<int>(timeout.count() / 1000);
  if (!r.stopped && !r.timed_out && end.signal == 0 && end.exit_code != 0) {
    std::string last = r.output;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    end.detail = last.substr(last.rfind('\n') + 1);
  }
  r.error = DescribeEnd(name, end);
  return r;
}

}  // namespace ocibench::process
