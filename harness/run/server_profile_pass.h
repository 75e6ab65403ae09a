// `ocibench run --profile` for the server groups (Redis, HTTP): the native server's system calls
// per unit of work, strace -f -c attached to it while the group's client sends A and then B
// units (docs/profile.md, "The servers"); written to profile/<group>/<benchmark>.json.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "harness/run/config.h"

namespace ocibench::run {

struct ServerProfileOutcome {
  std::vector<std::string> profiled;
  std::vector<std::pair<std::string, std::string>> skipped;  // benchmark, why
};

// Starts `g`'s server natively (servers/), and for each of its benchmarks in `bench` traces
// the server at two request counts; `fd_kind` is "host-socket" or "socket" (the run's network).
// Throws profile::MissingTracer when strace is absent; a benchmark that fails is skipped.
ServerProfileOutcome ProfileServerGroup(const std::filesystem::path& bench, const GroupDef& g,
                                        const std::filesystem::path& results_dir,
                                        const std::filesystem::path& work,
                                        const std::function<bool()>& stopped,
                                        const std::function<void(const std::string&)>& progress);

}  // namespace ocibench::run
