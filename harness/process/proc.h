// /proc walks: the processes of the host, a process's command line, state and parent, and the
// tree under a process. Every read tolerates a process that exits meanwhile (empty results).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::process {

// A file read whole ("" when it cannot be read); for /proc and /sys files, whose size is 0.
std::string ReadSmallFile(const std::filesystem::path& path);

// The pids in /proc, ascending.
std::vector<pid_t> ListPids();

// argv of `pid` (/proc/<pid>/cmdline); empty for a kernel thread or a process that is gone.
std::vector<std::string> Cmdline(pid_t pid);

// State letter and parent from /proc/<pid>/stat (the comm may contain spaces and ')').
struct ProcStat {
  char state = '?';  // R, S, D, Z, …
  pid_t ppid = 0;
};
std::optional<ProcStat> ReadStat(pid_t pid);

// True when `pid` has exited but is not reaped yet.
bool IsZombie(pid_t pid);

// The parent of every process.
std::map<pid_t, pid_t> ParentMap();

// Every process under `root` (children, their children, …), not `root` itself.
std::vector<pid_t> Descendants(pid_t root);

}  // namespace ocibench::process
