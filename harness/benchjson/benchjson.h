// Google Benchmark's JSON (--benchmark_format=json), read in one place: whether a cell's output
// is valid, its iteration entries, each benchmark's primary metric and which way is better
// (docs/results-format.md, "Metrics and their direction"), user counters, times in ms.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ocibench::benchjson {

// A file or document that is not what Google Benchmark writes: one line.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Which way is better for a metric.
enum class Direction { kHigherIsBetter, kLowerIsBetter };
std::string ToString(Direction d);  // "higher" | "lower"

// Direction of a user counter by its name: *_per_second, *_MIPS, *_KiBps, rps → higher;
// lat_*_us, *_ms, *_ns, *_us → lower. Other counters (ratios, counts per op) have none.
std::optional<Direction> CounterDirection(std::string_view counter);

// The primary metric of a benchmark entry, by the entry's name: LZMA_* → counter rating_MIPS,
// Redis_* → rps, HTTP_Download* → bytes_per_second (all higher is better); everything else →
// real_time in its time_unit (lower is better); Apps_* (docs/apps.md) too: each one's time per
// pass (Apps_startup_exec: manual time, spawn to first output).
struct Primary {
  std::string metric;  // a counter name or "real_time"
  std::string unit;    // "MIPS", "req/s", "B/s", or the time unit ("ns" when absent)
  Direction direction = Direction::kLowerIsBetter;
  double value = 0;
};
// nullopt when the entry lacks the counter (or real_time) its name calls for.
std::optional<Primary> PrimaryMetric(const nlohmann::json& entry);

// The file parsed. Throws Error "FILE: cannot read (missing or not readable)" or
// "FILE: not valid JSON (why)".
nlohmann::json ReadFile(const std::filesystem::path& file);

// "" when `file` is valid benchmark output (parses, has a context, at least one benchmark, and
// no entry with error_occurred); else one line saying what is wrong (the first error entry's
// "NAME: MESSAGE").
std::string CheckFile(const std::filesystem::path& file);

// The "iteration" entries of a document in order, aggregates (run_type other than iteration)
// left out, and failed entries (error_occurred) too unless `keep_failed`. The pointers point
// into `doc`. Throws Error "not Google Benchmark JSON (no "benchmarks" array)" or "a benchmark
// entry is not an object" (the caller adds the file).
std::vector<const nlohmann::json*> Iterations(const nlohmann::json& doc, bool keep_failed = false);
// An entry with "error_occurred": true: a failure, not data.
bool Failed(const nlohmann::json& entry);

// The benchmark name without how Google Benchmark ran it ("/iterations:3", "/min_time:0.020",
// "/process_time", "/real_time", "/manual_time"); "/threads:N" stays.
std::string BaseName(const std::string& name);

// Every user counter of an entry (the numeric fields that Google Benchmark does not define).
std::map<std::string, double> Counters(const nlohmann::json& entry);

// real_time in milliseconds (time_unit "ns" when absent, real_time 0 when absent); nullopt when
// time_unit is none of ns, us, ms, s.
std::optional<double> RealTimeMs(const nlohmann::json& entry);

}  // namespace ocibench::benchjson
