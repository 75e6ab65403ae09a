// The host's memory as a density run watches it: MemAvailable, dropping the page cache, PSS.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::startup {

// MemAvailable / MemTotal from /proc/meminfo in bytes (0 when unreadable).
std::uint64_t MemAvailableBytes();
std::uint64_t MemTotalBytes();

// sync + echo 3 > /proc/sys/vm/drop_caches, so page cache does not count as used. "" or why not.
std::string DropCaches();

// Sum of PSS (smaps_rollup) of `pids`; processes that are gone count 0.
std::uint64_t PssSum(const std::vector<pid_t>& pids);

}  // namespace ocibench::startup
