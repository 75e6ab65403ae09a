// What runs share on the host and no single run owns: the runtimes' state directories under
// /run/ocibench-run, the CNI bridge (ocibench0) and its IPAM directory. A run cannot remove
// them when it ends while another run may be using them, so the last one to end does, and
// `ocibench gc` does when no run is alive.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace ocibench::run {

// Removes (or, with dry_run, only lists) the shared state when no run is alive (`live` empty)
// and nothing of ours still uses it: empty runtime state directories, the bridge and the IPAM
// directory when no ocibench network namespace is left, and /run/ocibench-run itself when
// empty. Returns one line per thing, e.g. "bridge ocibench0". Never throws.
std::vector<std::string> TidySharedState(bool dry_run, const std::set<std::string>& live);

}  // namespace ocibench::run
