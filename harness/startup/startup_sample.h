// One container's (or native process's) start-up, phase by phase, as a row of startup.csv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ocibench::startup {

// Wall-clock milliseconds from the moment ocibench begins `create` (t0). A phase the kind does
// not have (native has no create; `ctr run` creates, starts and deletes in one command) is -1.
struct StartupSample {
  std::string runtime, variant, workload;
  std::string mode = "sequential";  // sequential | concurrent
  int workers = 1;
  int index = 0;
  double bundle_ms = -1;    // making the bundle (variant fresh-rootfs only)
  double create_ms = -1;    // the runtime's `create`
  double start_ms = -1;     // the runtime's `start`
  double workload_ms = -1;  // t0 → the workload's own stamp (bench) or first PONG (redis)
  double exit_ms = -1;      // t0 → the process's exit seen (bench), or stop requested (redis)
  double delete_ms = -1;    // the runtime's `delete`
  double total_ms = -1;     // t0 → everything removed
  std::string error;        // "" = ok; else one line
  bool ok() const { return error.empty(); }
};

inline constexpr const char* kStartupHeader =
    "runtime,variant,workload,mode,workers,index,bundle_ms,create_ms,start_ms,workload_ms,"
    "exit_ms,delete_ms,total_ms,status,error\n";

std::string CsvRow(const StartupSample& s);

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string CsvField(const std::string& text);

// "ocibench-stamp <ns>" (benchmarks/main.cc --ocibench_stamp) in `output`: CLOCK_REALTIME in
// nanoseconds inside the container; nullopt when absent.
std::optional<std::int64_t> ParseStamp(const std::string& output);

// CLOCK_REALTIME in nanoseconds now (the host's side of the stamp).
std::int64_t RealtimeNs();

}  // namespace ocibench::startup
