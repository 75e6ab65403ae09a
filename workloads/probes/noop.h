// The bench binary as a tiny program for the fork+exec probes: `ocibench-bench --ocibench_noop`
// returns from main at once, before any flag parsing or benchmark registration.
// `--ocibench_noop <t0>` (t0 = CLOCK_MONOTONIC nanoseconds taken just before execve) also
// writes "<now - t0>\n" to stdout: the exec-to-main start-up time.
#pragma once

namespace ocibench::probes {

constexpr const char* kNoopFlag = "--ocibench_noop";

// True when argv asks for the no-op run.
bool IsNoopInvocation(int argc, char** argv);

// Does the no-op run; returns the exit code for main.
int RunNoop(int argc, char** argv);

// CLOCK_MONOTONIC in nanoseconds.
long long MonotonicNs();

}  // namespace ocibench::probes
