// The flags `ocibench startup` and `ocibench density` share (runtimes, limits, paths, output),
// and the comma lists they take.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "harness/run/config.h"

namespace ocibench::startup {

struct CommonFlags {
  std::string config;  // TOML: [runtime.NAME] entries (and any `ocibench run` key it sets)
  std::string runtimes;
  double cpus = 2;
  std::string memory = "4GiB";
  int timeout_s = 60;
  std::string images, bench, results = "results", out;
  bool quiet = false, json = false;
};

void AddCommonFlags(CLI::App& sub, CommonFlags& f);

// The run::RunConfig of the flags (throws run::ConfigError naming a bad value).
run::RunConfig ToRunConfig(const CommonFlags& f);

// "1,2,4" → {1, 2, 4}: positive integers, at most `max` each. Throws run::ConfigError naming
// `flag` and the bad item.
std::vector<int> ParseCounts(const std::string& flag, const std::string& text, int max);

// "a,b" → {"a", "b"} (empty items dropped).
std::vector<std::string> SplitList(const std::string& text);

}  // namespace ocibench::startup
