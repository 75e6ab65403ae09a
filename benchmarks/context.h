// Facts about the build and the process added to Google Benchmark's "context" block, so a
// result file says which codec versions and which environment produced it.
#pragma once

#include <string>

namespace ocibench::bench {
std::string BuildVersion();
void AddBuildContext();
}  // namespace ocibench::bench
