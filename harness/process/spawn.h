// Spawn: the one fork+exec of ocibench. No shell; argv[0] is looked up on PATH (FindOnPath)
// before the fork, so the child runs only async-signal-safe calls between fork and exec. A
// failed exec (or before_exec hook) is reported back through a close-on-exec pipe.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace ocibench::process {

inline constexpr int kDevNull = -1;  // a SpawnOptions fd: /dev/null

struct SpawnOptions {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // KEY=VALUE added to (or, with !inherit_env, the whole) env
  bool inherit_env = true;
  // The child's stdin, stdout, stderr: a descriptor to dup2 (e.g. a pipe's end), or kDevNull.
  int stdin_fd = kDevNull;
  int stdout_fd = kDevNull;
  int stderr_fd = kDevNull;
  bool own_process_group = false;  // setpgid(0, 0): killable as a group with kill(-pid, …)
  int death_signal = 0;            // PR_SET_PDEATHSIG: sent when the spawning thread dies
  // Runs in the child just before exec; must be async-signal-safe (raw syscalls only).
  // Returns 0, or an errno to report as a failed start.
  std::function<int()> before_exec;
};

struct Spawned {
  pid_t pid = -1;               // > 0 when the program runs; the caller waits for it
  bool in_before_exec = false;  // the failure came from before_exec
  int error = 0;                // errno of the failed step (0 = started)
  std::string message;          // "" or why it could not start, e.g. "No such file or directory"
  bool ok() const { return pid > 0; }
};

// Never throws for a program that cannot be started: that is in the result (and the child,
// if any, has been reaped).
Spawned Spawn(const SpawnOptions& options);

}  // namespace ocibench::process
