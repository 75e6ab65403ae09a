// A profile per unit of work (an iteration, a request): the command run at two sizes, A and B
// units, both traced and timed; per unit = (at B − at A) ÷ (B − A), so start-up, fixtures and
// Google Benchmark's own calibration cancel out.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "harness/profile/strace_summary.h"

namespace ocibench::profile {

struct PerUnit {
  std::map<std::string, double> calls;  // per unit; calls that do not grow with the size drop out
  double native_s = 0;                  // per unit, from the untraced runs' medians
  std::uint64_t total_calls_a = 0, total_calls_b = 0;
};

// `argv` with every "{n}" inside an argument replaced by the size. Throws UsageError when no
// argument holds "{n}" or when b <= a.
std::vector<std::string> WithUnits(const std::vector<std::string>& argv, long n);

// Calls per unit: (calls at b − calls at a) ÷ (b − a) per system call, those above 0 only (the
// start-up, fixtures and the benchmark library's own calls cancel).
std::map<std::string, double> CallsPerUnit(const std::map<std::string, SyscallCount>& at_a,
                                           const std::map<std::string, SyscallCount>& at_b, long a,
                                           long b);

// Throws ProfileError when a run fails, or when the native time does not grow with the size
// (the units are not what the command does).
PerUnit ProfilePerUnit(const std::vector<std::string>& argv, long a, long b, int runs,
                       std::chrono::seconds timeout);

// Benchmark `name` (base name) in a results directory: native's median real time over its
// repetitions, and each runtime's median ÷ native's (its measured slowdown). native_s 0 and no
// slowdowns when absent.
struct Measured {
  double native_s = 0;
  std::map<std::string, double> slowdowns;
};
Measured MeasuredSlowdowns(const std::string& results_dir, const std::string& name);
// The same per request, from the benchmark's "rps" counter: native_s = 1 / native's median
// requests/s, each runtime's slowdown = native's median rps ÷ its own (Redis, HTTP).
Measured MeasuredPerRequest(const std::string& results_dir, const std::string& name);

}  // namespace ocibench::profile
