// `ocibench compare BASE NEW`: per benchmark and runtime, the change from BASE to NEW, its
// significance (Mann–Whitney U over the repetitions, bootstrap CI of the ratio of medians) and
// a verdict against a tolerance, with per-metric overrides from TOML (like Kata's
// checkmetrics). A significant regression past tolerance makes the command exit 1.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/document.h"
#include "harness/report/results.h"

namespace ocibench::report {

// One override: benchmarks whose name matches `name` (a glob, fnmatch) and, if given, whose
// runtime matches `runtime`, get `tolerance`. The first matching override wins.
struct ToleranceOverride {
  std::string name;
  std::string runtime;  // "" = any
  double tolerance = 0.05;
};

struct CompareOptions {
  double tolerance = 0.05;  // a fraction: 0.05 = 5 %
  double alpha = 0.05;
  std::uint64_t seed = 42;
  int resamples = 2000;
  std::vector<ToleranceOverride> overrides;
  double ToleranceFor(const std::string& name, const std::string& runtime) const;
};

// "5%", "5 %", "0.05" → 0.05. Throws std::invalid_argument with a clear message.
double ParseTolerance(const std::string& text);

// Reads `tolerance`, `alpha` and [[metric]] tables (name, runtime, tolerance) from a TOML file
// into `options`. Throws std::runtime_error naming the file and the key.
void LoadCompareConfig(const std::filesystem::path& file, CompareOptions* options);

enum class Verdict { kRegression, kImprovement, kWithinTolerance, kNotSignificant, kMissing };
std::string ToString(Verdict v);

struct CompareRow {
  std::string group, name, runtime, metric, unit;
  Direction direction = Direction::kLowerIsBetter;
  std::size_t n_base = 0, n_new = 0;
  double base_median = 0, new_median = 0;
  double change = 0;       // (new − base) / base of the metric itself
  double perf_change = 0;  // direction-aware: speed ratio − 1 (> 0 better, < 0 worse)
  Interval speed_ci;       // 95 % CI of the speed ratio new vs base
  double p = 1;
  double tolerance = 0;
  Verdict verdict = Verdict::kMissing;
};

struct Comparison {
  std::vector<CompareRow> rows;
  int regressions = 0;
  int improvements = 0;
  std::vector<std::string> notes;
};

Comparison Compare(const Results& base, const Results& next, const CompareOptions& options);

// The host facts (run.json "host": hostname, arch, CPU model, cores, memory, kernel, OS, cgroup
// mode) that differ between BASE and NEW, one "key A → B" each; empty on the same host.
std::vector<std::string> HostDifferences(const Results& base, const Results& next);

// Why the two directories cannot be compared as two runs ("" when they can): the same directory
// or the same run id.
std::string SameRun(const Results& base, const Results& next);
// The cells (runtime, group, repetition) that ended ok in BASE and failed or timed out in NEW:
// one line each, "runtime group rep K: failed in NEW (ok in BASE): <NEW's error>".
std::vector<std::string> CellsLost(const Results& base, const Results& next);

// The comparison as a Document: a verdict line and the table (regressions first).
Document CompareDocument(const Results& base, const Results& next, const Comparison& c,
                         const CompareOptions& options);

}  // namespace ocibench::report
