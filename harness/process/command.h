// Runs a short-lived helper command (umoci, cp, a runtime's state/kill/delete) with a timeout,
// capturing its output. Started with Spawn (spawn.h): no shell, arguments are never re-parsed.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ocibench::process {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or not started
  int signal = 0;
  bool timed_out = false;
  bool started = true;      // false: not found or exec failed (err: "NAME: could not start: …")
  std::string start_error;  // why it could not start, e.g. "No such file or directory"
  std::string out;
  std::string err;
  bool ok() const { return started && !timed_out && exit_code == 0; }
  // The last non-empty line of err (else of out): what a one-line error message quotes.
  std::string LastLine() const;
};

struct CommandOptions {
  std::chrono::milliseconds timeout = std::chrono::seconds(120);
  // Runs in the child between fork and exec; must be async-signal-safe (raw syscalls only).
  // Returns 0, or an errno to report as a failed start.
  std::function<int()> before_exec;
};

inline CommandOptions WithTimeout(std::chrono::milliseconds timeout) {
  CommandOptions o;
  o.timeout = timeout;
  return o;
}

// argv[0] is looked up on PATH when it has no '/'.
CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});

// "a b 'c d'" for messages and logs.
std::string ShellQuote(const std::vector<std::string>& argv);

// Absolute path of `name` on PATH ("" when absent); a name with '/' is returned if executable.
std::string FindOnPath(const std::string& name);

}  // namespace ocibench::process
