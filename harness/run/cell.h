// One cell of the matrix: one runtime × one group × one repetition, run and recorded.
#pragma once

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/run/config.h"
#include "harness/run/discovery.h"
#include "harness/run/results.h"

namespace ocibench::containerd {
class PrivateContainerd;
}

namespace ocibench::run {

// Where ocibench run keeps bundles and runtime state (`ocibench gc` cleans them).
inline constexpr const char* kBundleRoot = "/var/tmp/ocibench/run-bundles";
inline constexpr const char* kStateRoot = "/run/ocibench-run";

struct RunContext {
  RunConfig config;
  std::string run_id;  // the results directory's name
  std::filesystem::path images;
  std::filesystem::path bench;
  ResultsDir* results = nullptr;
  std::atomic<bool>* stop = nullptr;
  // For shim runtimes: the run's private containerd, or why there is none (their cells fail
  // with that line).
  containerd::PrivateContainerd* containerd = nullptr;
  std::string containerd_error;
};

struct CellSpec {
  int index = 0;
  std::string runtime;
  std::string group;
  int repetition = 0;
};

struct CellOutcome {
  std::string status;  // ok | failed | timeout | skipped | pending (interrupted: run again)
  std::string error;
  std::string file;  // bench/<runtime>/<group>/rep-<k>.json, or ""
  std::string placement;
  nlohmann::json scratch;
  double duration_s = 0;
};

// Runs the cell and records its files (benchmark JSON, memory and lifecycle rows, log).
// warmup: run the group's binary once with --benchmark_list_tests, record nothing.
CellOutcome RunCell(const RunContext& ctx, const CellSpec& cell, const RuntimeEntry& runtime,
                    const GroupDef& group, bool warmup = false);

// Checks a Google Benchmark JSON: "" when valid with at least one benchmark and no error;
// else one line saying what is wrong.
std::string CheckBenchJson(const std::filesystem::path& file);

// The benchmark names `filter` selects in `bench` (run natively with --benchmark_list_tests).
std::vector<std::string> ListBenchmarks(const std::filesystem::path& bench, const GroupDef& group);

}  // namespace ocibench::run
