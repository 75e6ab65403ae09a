// The density run: N idle containers (bench --ocibench_idle) started and kept per runtime for
// each N, stopped early with a clear line when MemAvailable would fall under a floor; memory per
// container from MemAvailable (page cache dropped), the runtime's own PSS per container, the
// time to start the N-th; then every container removed. Rows go to density.csv.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/startup/session.h"

namespace ocibench::startup {

struct DensityOptions {
  std::vector<int> counts = {1, 10, 50, 100};
  std::uint64_t floor_bytes = 0;  // 0 = max(1 GiB, 10% of MemTotal)
  bool drop_caches = true;
};

inline constexpr const char* kDensityHeader =
    "runtime,n,started,mem_available_before_bytes,mem_available_after_bytes,"
    "mem_per_container_bytes,runtime_pss_per_container_bytes,first_start_ms,nth_start_ms,"
    "teardown_ms,status,error\n";

// The floor a density run keeps MemAvailable above.
std::uint64_t DefaultFloor();

// True when starting one more container may push MemAvailable under the floor: `available`
// now, `per_container` the largest step seen so far (a first container is assumed to take
// 64 MiB), with twice that as margin.
bool WouldCrossFloor(std::uint64_t available, std::uint64_t per_container, std::uint64_t floor);

struct DensityOutcome {
  int failed = 0;  // rows that did not end ok
  bool complete = true;
};

DensityOutcome RunDensity(Session& session, const DensityOptions& options);

}  // namespace ocibench::startup
