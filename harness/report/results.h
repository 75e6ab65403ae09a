// Loads a results directory as docs/results-format.md describes it: run.json, the Google
// Benchmark JSON of every finished cell, memory.csv and lifecycle.csv. Reads nothing else.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/report/stats.h"

namespace ocibench::report {

// A file that is missing or not what the contract says: one line naming the file.
struct ResultsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A runtime as run.json lists it (not run/'s runtime definition).
struct RunRuntime {
  std::string name;
  std::string kind;  // native | oci | shim | engine
  std::string path;
  std::string version;
  std::string platform;
  std::vector<std::string> args;
  std::string over{};  // kind engine: the runtime it runs (run.json's "runtime")
};

// A matrix cell as run.json records it (not run/'s cell that runs it).
struct CellRecord {
  int index = 0;
  std::string runtime;
  std::string group;
  int repetition = 0;
  std::string status;  // as written: a CellStatus name (Parse<CellStatus>)
  std::string error;
  std::string file;  // relative to the results directory
  std::optional<double> duration_s;
};

struct RunInfo {
  nlohmann::json raw;  // run.json as read (host, limits, config, images are shown from it)
  std::vector<RunRuntime> runtimes;
  std::vector<std::string> groups;
  std::vector<CellRecord> cells;
  std::optional<std::uint64_t> seed;
};

// One benchmark result (a Google Benchmark "iteration" entry) of one cell.
struct BenchEntry {
  std::string runtime;
  std::string group;
  int repetition = 0;
  std::string name;    // Google Benchmark name, e.g. LZMA_Compress/sdk/dict:22
  std::string metric;  // primary metric (benchjson::PrimaryMetric): a counter or "real_time"
  std::string unit;    // "MIPS", "req/s", "B/s", or the time unit ("ns", "ms", ...)
  Direction direction = Direction::kLowerIsBetter;
  double value = 0;                        // the primary metric
  std::map<std::string, double> counters;  // every user counter of the entry
};

struct MemorySample {
  std::string runtime;
  std::string group;
  int repetition = 0;
  double t_s = 0;
  std::optional<double> host_used_bytes;
  std::optional<double> cgroup_bytes;
  std::optional<double> runtime_pss_bytes;
};

struct LifecycleRow {
  std::string runtime;
  std::string group;
  int repetition = 0;
  std::optional<double> create_ms, start_ms, first_output_ms, total_ms, delete_ms;
};

struct Results {
  std::filesystem::path dir;
  RunInfo run;
  std::vector<BenchEntry> entries;
  std::vector<MemorySample> memory;     // empty when memory.csv is absent
  std::vector<LifecycleRow> lifecycle;  // empty when lifecycle.csv is absent
  // Things a reader should know that did not stop the report: failed cells, benchmark entries
  // with error_occurred, a missing optional file.
  std::vector<std::string> notes;
  // Google Benchmark "context" of the first file read per runtime (library versions, CPU).
  std::map<std::string, nlohmann::json> contexts;
  // Optional: `ocibench footprint --out DIR/footprint.json`, `ocibench portability --out
  // DIR/portability.json` (docs/results-format.md); null when absent.
  nlohmann::json footprint;
  nlohmann::json portability;
};

// Throws ResultsError naming the file for a missing run.json, a cell marked ok whose file is
// missing, or any file that does not parse.
Results LoadResults(const std::filesystem::path& dir);

// Google Benchmark JSON of one cell → its entries (exposed for tests). Throws ResultsError.
std::vector<BenchEntry> ParseBenchmarkJson(const nlohmann::json& doc, const std::string& file,
                                           const CellRecord& cell, std::vector<std::string>* notes);

}  // namespace ocibench::report
