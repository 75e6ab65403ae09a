// Parses the summary table that `strace -f -c -U name,calls,errors` writes: system-call counts.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace ocibench::profile {

// One clear line naming what is wrong (a missing tracer, a failed command, a bad file).
struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Bad flags or a missing tool: nothing ran (exit 2).
struct UsageError : ProfileError {
  using ProfileError::ProfileError;
};

struct SyscallCount {
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
};

// system call name → counts. Throws ProfileError when the text is not such a table (no header,
// a row that does not parse, or no "total" row: a summary cut short is never taken as whole).
std::map<std::string, SyscallCount> ParseStraceSummary(const std::string& text);

}  // namespace ocibench::profile
