// Runs a process the way the containers' workloads run, but on the host: in a LimitCgroup,
// its own process group, output captured, time to first output and total time measured, a
// timeout, and a stop request (Ctrl-C) honoured.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ocibench::process {

struct TimedRunResult {
  bool started = false;
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  bool stopped = false;  // killed because a stop was requested
  double first_output_ms = -1;
  double total_ms = 0;
  std::string output;  // stdout+stderr, the last 256 KiB
  std::string error;   // "" = exited 0; else one line
};

TimedRunResult RunTimed(const std::vector<std::string>& argv,
                        const std::vector<std::string>& cgroup_procs,
                        const std::vector<std::string>& extra_env,
                        std::chrono::milliseconds timeout, const std::atomic<bool>& stop,
                        const std::function<void(pid_t)>& on_started = {});

}  // namespace ocibench::process
