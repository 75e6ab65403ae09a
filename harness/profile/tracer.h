// Runs a command natively under strace -f -c (its system-call counts) and untraced (its time).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/profile/strace_summary.h"

namespace ocibench::profile {

// A tracer that is not installed: the caller exits 2 (a usage error: nothing ran).
struct MissingTracer : UsageError {
  using UsageError::UsageError;
};

struct TracedRun {
  std::map<std::string, SyscallCount> counts;  // every thread and child (strace -f)
  std::uint64_t total_calls = 0;
};

// strace -f -c of `argv`. Throws MissingTracer when strace is absent, ProfileError with the
// command's exit status when it fails (no partial profile), or when the summary does not parse.
TracedRun TraceCommand(const std::vector<std::string>& argv, std::chrono::seconds timeout);

// strace -f -c attached to the running process `pid` (e.g. a server) while `during` runs: what
// pid and its threads did meanwhile. Throws MissingTracer, or ProfileError when strace cannot
// attach or its summary does not parse; an exception out of `during` detaches first.
TracedRun TraceAttached(pid_t pid, const std::function<void()>& during);

// Wall seconds of `runs` untraced runs of `argv` (each must exit 0, else ProfileError).
std::vector<double> TimeCommand(const std::vector<std::string>& argv, int runs,
                                std::chrono::seconds timeout);

}  // namespace ocibench::profile
