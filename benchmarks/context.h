// Facts about the build and the process added to Google Benchmark's "context" block, so a
// result file says which codec versions and which environment produced it, also when the
// harness did not run it.
#pragma once

#include <string>

namespace ocibench::bench {
std::string BuildVersion();
void AddBuildContext();  // also AddWhereContext()
// where_* (workloads/sysinfo): where the binary runs as it sees it, so a file run by hand under
// any engine says so; an unreadable field is absent and named with its reason in
// where_unreadable ("none" when every field was read).
void AddWhereContext();
}  // namespace ocibench::bench
