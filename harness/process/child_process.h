// A long-running server process (redis-server, nginx) that never outlives its owner: it runs in
// its own process group, gets SIGKILL when the thread that started it dies (PR_SET_PDEATHSIG),
// and is stopped (SIGTERM, then SIGKILL to the whole group) when the object is destroyed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace ocibench::process {

class ChildProcess {
 public:
  // Starts argv (argv[0] looked up on PATH) with stdin from /dev/null and stdout+stderr
  // appended to log_path. Throws std::runtime_error when it cannot be started (e.g. not
  // installed): "NAME: could not start: <why>".
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // False once the process has exited (reaps it); then ExitDescription() says how.
  bool Running();
  // "NAME: exited with code 1: <detail>" (DescribeEnd, exit_description.h).
  std::string ExitDescription(const std::string& name, const std::string& detail = "") const;
  // SIGTERM to the process group, up to `grace` to exit, then SIGKILL. Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // SIGKILL now (a server dying mid-run, for tests).
  void Kill();

 private:
  void Reap(bool block);
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// A directory under $TMPDIR (or /tmp) removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice for port 0). A server
// started on it can still lose a race; the launchers retry with a new port.
int FreeLoopbackPort();

// The last `n` non-empty lines of a (log) file joined by " | ", for one-line error messages.
std::string LastLine(const std::string& path, int n = 1);

}  // namespace ocibench::process
