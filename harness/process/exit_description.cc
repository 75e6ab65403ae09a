// DescribeEnd: the only place that words how a process ended.
#include "harness/process/exit_description.h"

#include <sys/wait.h>

#include <cstring>

namespace ocibench::process {

ProcessEnd FromWaitStatus(int wait_status) {
  ProcessEnd e;
  e.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (WIFSIGNALED(wait_status)) e.signal = WTERMSIG(wait_status);
  return e;
}

std::string SignalName(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);  // glibc ≥ 2.32: "KILL"
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

std::string DescribeEnd(const std::string& name, const ProcessEnd& end) {
  std::string how;
  if (!end.started) {
    how = "could not start: " + (end.start_error.empty() ? "unknown error" : end.start_error);
  } else if (end.stopped) {
    how = "stopped (interrupted)";
  } else if (end.timed_out_after_s >= 0) {
    how = "timed out after " + std::to_string(end.timed_out_after_s) + " s (killed)";
  } else if (end.signal != 0) {
    how = "killed by signal " + std::to_string(end.signal) + " (" + SignalName(end.signal) + ")";
  } else if (end.exit_code != 0) {
    how = "exited with code " + std::to_string(end.exit_code);
  } else if (end.detail.empty()) {
    return "";
  } else {
    how = "exited with code 0";
  }
  return name + ": " + how + (end.detail.empty() ? "" : ": " + end.detail);
}

}  // namespace ocibench::process
