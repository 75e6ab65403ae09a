// Attribution: a native system-call profile × a runtime's added cost per call = the predicted
// slowdown, split by system call (docs/profile.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/profile/costs.h"
#include "harness/profile/strace_summary.h"

namespace ocibench::profile {

struct Contribution {
  std::string syscall;
  double calls = 0;
  double added_s = 0;  // calls × added cost
  std::string probe;
  bool fallback = false;
};

struct Prediction {
  std::string runtime;
  double native_s = 0;
  double predicted_s = 0;                   // native_s + Σ contributions
  std::vector<Contribution> contributions;  // largest |added_s| first
  std::vector<std::string> uncosted;        // system calls with neither a cost nor a fallback
  double Slowdown() const { return predicted_s / native_s; }
};

// `calls` per system call per unit of work (a whole run, an iteration) and native_s the native
// time of that same unit. Throws ProfileError when native_s is not positive.
Prediction Predict(const std::map<std::string, double>& calls, double native_s,
                   const RuntimeCosts& costs);

// The calls of a strace summary, per `units` units of work (1: the whole run).
std::map<std::string, double> CallsPer(const std::map<std::string, SyscallCount>& counts,
                                       double units = 1);

// The part of a measured slowdown that the prediction explains: (predicted − 1) / (measured −
// 1); nullopt when the measured slowdown is within 1% of none (nothing to explain).
std::optional<double> ExplainedFraction(double predicted_slowdown, double measured_slowdown);

}  // namespace ocibench::profile
