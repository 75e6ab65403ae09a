// A benchmark's native system-call profile as stored in a results directory:
// profile/<group>/<benchmark>.json (docs/results-format.md), written by `ocibench profile
// --save` and read by the report's "Why" section.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/profile/syscall_probes.h"

namespace ocibench::profile {

struct BenchmarkProfile {
  std::string benchmark;  // base name, as in the results' bench JSON
  std::string group;
  std::string unit = "iteration";       // what `calls` are per
  FdKind fd_kind = FdKind::kFile;       // socket: reads/writes are costed by socket probes
  std::map<std::string, double> calls;  // per unit
  std::string tracer = "strace -f -c";
  std::vector<std::string> command;  // what was traced
  std::string method;                // how per unit was found, e.g. "--units 5:20"
};

// The file's path in a results directory: <dir>/profile/<group>/<benchmark>.json, '/' in the
// benchmark's name (its arguments) written as '_'.
std::filesystem::path ProfilePath(const std::filesystem::path& results_dir,
                                  const std::string& group, const std::string& benchmark);

// Atomic write (NAME.tmp, then rename). Throws ProfileError when it cannot write.
void WriteProfile(const std::filesystem::path& results_dir, const BenchmarkProfile& p);

// Every profile/<group>/*.json of the directory, by benchmark name. A file that does not parse
// (or lacks benchmark/calls) is skipped and its path and reason added to `bad`.
std::vector<BenchmarkProfile> ReadProfiles(const std::filesystem::path& results_dir,
                                           std::vector<std::string>* bad);

// The group whose native bench results hold `benchmark` ("" when none does).
std::string GroupOf(const std::filesystem::path& results_dir, const std::string& benchmark);

}  // namespace ocibench::profile
