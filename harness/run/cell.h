// One cell of the matrix: one runtime × one group × one repetition, run through the launcher
// of its runtime's kind and recorded (benchmark JSON, memory and lifecycle rows, log).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/oci/bundle.h"
#include "harness/run/cell_recorder.h"
#include "harness/run/config.h"
#include "harness/run/discovery.h"
#include "harness/run/launcher.h"
#include "harness/run/memory_sampler.h"
#include "harness/run/results_dir.h"

namespace ocibench::containerd {
class PrivateContainerd;
}
namespace ocibench::net {
class CniNetns;
}

namespace ocibench::run {

// Where ocibench run keeps bundles and runtime state (`ocibench gc` cleans them).
inline constexpr const char* kBundleRoot = "/var/tmp/ocibench/run-bundles";
inline constexpr const char* kStateRoot = "/run/ocibench-run";

// What every cell of a run shares (read-only while cells run).
// The Redis password's file for the client, in the cell's work directory (its /results).
inline constexpr const char* kRedisPasswordFile = "redis-password";

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
  // Whom the bench image runs as (its config's User): a container cell's work directory (its
  // /results) and bind scratch are given to this user, mode 0700.
  oci::ImageUser bench_user;
};

struct CellSpec {
  int index = 0;
  std::string runtime;
  std::string group;
  int repetition = 0;
};

struct CellOutcome {
  CellStatus status = CellStatus::kPending;
  std::string error;
  std::string file;  // bench/<runtime>/<group>/rep-<k>.json, or ""
  std::optional<Placement> placement;
  nlohmann::json scratch;
  double duration_s = 0;
};

// A cell while it runs: what the launchers read (names, limits, paths) and write (recorder,
// sampler).
struct CellRun {
  CellRun(const RunContext& ctx, const CellSpec& spec, const RuntimeEntry& rt,
          const GroupDef& group, bool warmup);
  ~CellRun();

  const RunContext& ctx;
  const CellSpec& spec;
  const RuntimeEntry& rt;
  const GroupDef& group;
  bool warmup;
  std::string tag;             // cell-<index> | warmup-<runtime>
  std::filesystem::path work;  // per-cell scratch space inside the results dir (removed after)
  std::string cgroup;          // cgroupsPath of the main workload; others add -server/-client
  std::string id;              // container id; others add -server/-client
  std::string prefix;          // "runtime,group,rep," of the CSV rows
  Placement placement = Placement::kNative;
  nlohmann::json scratch;  // {"kind", "fstype"} as run.json records it
  bool redis_password =
      false;  // the client reads the server's password from work/kRedisPasswordFile
  CellRecorder recorder;
  std::unique_ptr<MemorySampler> sampler;
  // The server's and the client's namespaces on the CNI bridge (replaceable for tests).
  std::function<std::pair<NetworkChoice, NetworkChoice>()> bridge_namespaces;

  bool stopping() const { return ctx.stop->load(); }
  // The cell's one timeout (--timeout; 120 s for a warm-up) and what is left of it: every
  // command a cell runs (create, start, the workload, ctr, a server's readiness) gets at most
  // Remaining(); only the clean-up after it passed gets kCleanupTimeout of its own.
  std::chrono::milliseconds Timeout() const;
  std::chrono::milliseconds Remaining() const;
  static constexpr std::chrono::seconds kCleanupTimeout{30};
  // "WHO: timed out after <Timeout()> s (killed)", the one wording of a cell's timeout.
  std::string TimedOut(const std::string& who) const;
  std::chrono::steady_clock::time_point deadline;
  // The bench binary's arguments: output JSON at out_json, the context tags, the group's own
  // flags and --<server>_server=ADDRESS when `server` is not empty (warm-up: list only).
  std::vector<std::string> BenchArgs(const std::string& out_json, const std::string& server) const;
  // Starts the memory sampler (ocibench's own processes in not_runtime are excluded from the
  // first sample on); `interrupt` is called from its thread once a stop is requested.
  void StartSampler(std::vector<pid_t> not_runtime, std::function<void()> interrupt);
  std::vector<std::unique_ptr<net::CniNetns>> netns;  // made by bridge_namespaces
};

// Runs the cell and records its files. warmup: run the bench binary once with
// --benchmark_list_tests, record nothing.
CellOutcome RunCell(const RunContext& ctx, const CellSpec& cell, const RuntimeEntry& runtime,
                    const GroupDef& group, bool warmup = false);

// The launcher of a runtime's kind.
std::unique_ptr<Launcher> MakeLauncher(const RunContext& ctx, const RuntimeEntry& runtime);

// The benchmark names `filter` selects in `bench` (run natively with --benchmark_list_tests).
std::vector<std::string> ListBenchmarks(const std::filesystem::path& bench, const GroupDef& group);

}  // namespace ocibench::run
