// `ocibench run --profile`: after the timed cells, a native system-call profile per benchmark
// (strace -f -c, harness/profile/) written to profile/<group>/<benchmark>.json; nothing timed
// is ever traced (docs/profile.md, docs/results-format.md).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "harness/run/config.h"

namespace ocibench::run {

struct ProfilePassOptions {
  // Each benchmark runs traced at exactly `a` and `b` iterations (--fixed_iterations; LZMA at 1
  // and 3); per iteration = (calls at b − calls at a) ÷ (b − a), so start-up and fixtures cancel.
  long a = 2, b = 102;
  std::chrono::seconds timeout{300};  // each traced run
};

struct ProfilePassOutcome {
  int profiled = 0;
  std::vector<std::pair<std::string, std::string>> skipped;  // benchmark, why
  bool interrupted = false;
  std::string error;  // the pass could not run at all (no strace): one line
};

// Profiles every benchmark of `groups` in `bench` natively; writes profile/pass.json (what was
// profiled, skipped and why) beside the per-benchmark files. A server group's server is traced
// natively per request (server_profile_pass.h); other benchmarks whose iteration count cannot
// be fixed from the command line (not Probe_, LZMA_, Apps_) are skipped, saying so.
ProfilePassOutcome RunProfilePass(const std::filesystem::path& bench,
                                  const std::vector<GroupDef>& groups,
                                  const std::filesystem::path& results_dir,
                                  const std::atomic<bool>& stop, const ProfilePassOptions& o,
                                  const std::function<void(const std::string&)>& progress);

}  // namespace ocibench::run
