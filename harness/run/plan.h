// The run plan: the configuration (flags over TOML, or a resumed run's own) checked once and
// resolved into what the rest of the harness receives read-only: the limits capped to the host,
// the groups, the runtimes, the paths of the bench binary and the images.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "harness/run/config.h"
#include "harness/run/discovery.h"

namespace ocibench::run {

struct RunPlan {
  RunConfig config;
  std::vector<RuntimeEntry> runtimes;
  std::vector<GroupDef> groups;
};

// Checks `config` (ConfigError: one line), fills in the defaults (seed from the clock, images and
// bench next to the ocibench binary, limits capped to the host unless resumed), resolves the
// groups and runtimes and checks the bench binary and every image the matrix will run.
RunPlan ResolvePlan(RunConfig config, bool resumed);

// run.json of a new run of `plan` (docs/results-format.md): every cell pending.
nlohmann::json NewRunDocument(const RunPlan& plan);

}  // namespace ocibench::run
