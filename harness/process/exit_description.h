// How a process ended, in one wording for every message of ocibench:
//   "NAME: exited with code N[: detail]"          "NAME: killed by signal N (SIGKILL)[: detail]"
//   "NAME: timed out after N s (killed)[: detail]" "NAME: could not start: <why>[: detail]"
//   "NAME: stopped (interrupted)"
// NAME is whatever names the process for the reader ("runc", "runc create cell-3",
// "redis-server did not start on 127.0.0.1:6379"); detail is usually its last stderr line.
#pragma once

#include <string>

namespace ocibench::process {

struct ProcessEnd {
  bool started = true;         // false: it never ran (exec or setup failed); start_error says why
  std::string start_error;     // e.g. "No such file or directory"
  int exit_code = 0;           // when it exited normally
  int signal = 0;              // the signal that ended it, 0 = none
  int timed_out_after_s = -1;  // >= 0: killed because it ran this long
  bool stopped = false;        // killed because a stop was requested (Ctrl-C)
  std::string detail;          // appended as ": detail" (e.g. the last stderr line)
};

// A ProcessEnd from waitpid's status word.
ProcessEnd FromWaitStatus(int wait_status);

// The one line; "" for a clean exit (code 0, no signal, no timeout) without detail.
std::string DescribeEnd(const std::string& name, const ProcessEnd& end);

// "SIGKILL" for 9; "signal 64" for a number without a name.
std::string SignalName(int signal);

}  // namespace ocibench::process
