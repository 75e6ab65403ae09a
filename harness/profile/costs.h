// The added cost of one system call per runtime, from a results directory's probes (or a costs
// CSV written from one): runtime's median probe time − native's, per system call of the probe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::profile {

struct SyscallCost {
  std::string syscall;
  double added_ns = 0;    // per call, runtime − native (negative: faster than native, noise)
  std::string probe;      // where it comes from
  bool fallback = false;  // no probe of its own: the base trap cost (kFallbackProbe)
};

struct RuntimeCosts {
  std::string runtime;
  std::map<std::string, SyscallCost> by_syscall;  // the table's system calls that were measured
  std::optional<SyscallCost> fallback;            // kFallbackProbe's cost, when measured
  std::vector<std::string> missing;               // the table's probes this runtime lacks
  // One call's cost: its own, else (NAME@socket) NAME's own, else the fallback (marked so),
  // else nullopt.
  std::optional<SyscallCost> For(const std::string& syscall) const;
};

// Every non-native runtime of the results directory that has probe results; median real time
// of each probe over its repetitions, native's the baseline. Throws ProfileError when the
// directory has no native probe results (nothing to subtract).
std::vector<RuntimeCosts> CostsFromResults(const std::filesystem::path& dir);

// "runtime,syscall,added_ns,probe,basis" (basis probe|fallback; syscall "*" is the fallback
// row). ParseCostsCsv throws ProfileError naming the line that does not parse.
std::string CostsCsv(const std::vector<RuntimeCosts>& costs);
std::vector<RuntimeCosts> ParseCostsCsv(const std::string& text);

}  // namespace ocibench::profile
