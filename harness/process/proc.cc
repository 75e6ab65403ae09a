// /proc readers; one parser of /proc/<pid>/stat.
#include "harness/process/proc.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ocibench::process {
namespace fs = std::filesystem;

std::string ReadSmallFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<pid_t> ListPids() {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string n = e.path().filename();
    if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos)
      out.push_back(std::stoi(n));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Cmdline(pid_t pid) {
  std::istringstream in(ReadSmallFile("/proc/" + std::to_string(pid) + "/cmdline"));
  std::vector<std::string> out;
  for (std::string arg; std::getline(in, arg, '\0');) out.push_back(arg);
  return out;
}

std::optional<ProcStat> ReadStat(pid_t pid) {
  const std::string s = ReadSmallFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = s.rfind(')');  // "pid (comm) S ppid …"
  if (close == std::string::npos) return std::nullopt;
  std::istringstream f(s.substr(close + 1));
  ProcStat st;
  if (!(f >> st.state >> st.ppid)) return std::nullopt;
  return st;
}

bool IsZombie(pid_t pid) {
  const auto st = ReadStat(pid);
  return st && st->state == 'Z';
}

std::map<pid_t, pid_t> ParentMap() {
  std::map<pid_t, pid_t> out;
  for (pid_t pid : ListPids()) {
    if (const auto st = ReadStat(pid)) out[pid] = st->ppid;
  }
  return out;
}

std::vector<pid_t> Descendants(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  for (const auto& [pid, ppid] : ParentMap()) children.emplace(ppid, pid);
  std::vector<pid_t> out, todo = {root};
  while (!todo.empty()) {
    const pid_t p = todo.back();
    todo.pop_back();
    const auto [from, to] = children.equal_range(p);
    for (auto it = from; it != to; ++it) {
      out.push_back(it->second);
      todo.push_back(it->second);
    }
  }
  return out;
}

}  // namespace ocibench::process
