// ParseStraceSummary: strace's -c table with the columns name, calls, errors.
#include "harness/profile/strace_summary.h"

#include <sstream>
#include <vector>

namespace ocibench::profile {
namespace {

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::uint64_t Number(const std::string& word, const std::string& line) {
  if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos)
    throw ProfileError("strace summary: '" + line + "' is not 'NAME CALLS [ERRORS]'");
  return std::stoull(word);
}

}  // namespace

std::map<std::string, SyscallCount> ParseStraceSummary(const std::string& text) {
  std::istringstream in(text);
  std::map<std::string, SyscallCount> out;
  bool header = false, total = false;
  for (std::string line; std::getline(in, line);) {
    const auto w = Words(line);
    if (w.empty() || line.starts_with("---")) continue;
    if (!header) {
      // strace may print other lines first (e.g. "strace: Process 12 attached").
      header = w.size() >= 2 && w[0] == "syscall" && w[1] == "calls";
      continue;
    }
    if (w.size() > 3) throw ProfileError("strace summary: '" + line + "' has too many columns");
    SyscallCount c{Number(w.size() > 1 ? w[1] : "", line), w.size() > 2 ? Number(w[2], line) : 0};
    if (w[0] == "total") {
      total = true;
      break;
    }
    out[w[0]].calls += c.calls;
    out[w[0]].errors += c.errors;
  }
  if (!header)
    throw ProfileError("strace summary: no 'syscall calls' header (not strace -c output)");
  if (!total) throw ProfileError("strace summary: no 'total' row (cut short)");
  return out;
}

}  // namespace ocibench::profile
