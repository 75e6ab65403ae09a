// `ocibench portability`: runs the foreign-architecture variant of the bench image (arm64 on an
// x86-64 host, amd64 on arm64) under each runtime
//   1. without emulation (every binfmt_misc handler for that architecture disabled): records the
//      runtime's own error text (the embedded study's Table 4.2);
//   2. with Debian's qemu-user-static registered in binfmt_misc: records whether it runs and,
//      for a short set of benchmarks, the slowdown against the native-architecture image under
//      the same runtime and limits. A runtime that loads binaries itself (gVisor's Sentry never
//      consults the host's binfmt_misc) is retried with qemu placed in the container as the
//      entrypoint's interpreter, and says so.
// binfmt_misc is put back exactly as it was (BinfmtGuard), and the output says what changed.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ocibench::footprint {

// Every container's cgroup is <kCgroupParent>/<container id> (removed afterwards).
inline constexpr const char* kCgroupParent = "/ocibench-portability";

struct PortabilityOptions {
  std::filesystem::path image_layout = "build/images/oci";
  std::string image_ref = "bench";
  std::vector<std::string> runtimes = {"runc", "crun", "runsc"};
  std::string foreign_arch;  // "" = arm64 on amd64 hosts, amd64 elsewhere
  // The short set: one pass each of the cheapest LZMA benchmarks (7-Zip's dictionary 2^22).
  std::string benchmark_filter = "^LZMA_(Compress|Decompress)/(sdk|xz)/dict:22/";
  int lzma_passes = 1;
  int repetitions = 1;  // native/emulated pairs per runtime; the medians are compared
  bool emulate = true;  // false: step 1 only (binfmt_misc handlers still disabled meanwhile)
  bool explicit_qemu_fallback = true;
  double cpus = 1;  // CPU limit of every container (same for native and emulated)
  std::chrono::seconds timeout{900};
  std::filesystem::path work_dir = "/var/tmp/ocibench/portability";
  std::function<void(const std::string&)> log;  // progress lines (stderr in the CLI)
  // Polled before each container: true = skip the remaining runs (Ctrl-C); binfmt_misc is
  // restored and what was measured is reported.
  std::function<bool()> stop_requested;
};

// One container run.
struct Attempt {
  bool attempted = false;
  bool ok = false;
  std::string arch;
  std::string method;       // "none" | "binfmt_misc" | "qemu in container" | "native"
  std::string error_text;   // the runtime's own words (the line naming the failure)
  std::string message;      // ocibench's one-line explanation
  std::string stderr_tail;  // last lines of what the runtime and container wrote
  double wall_ms = 0;       // create → exit
  std::map<std::string, double> benchmark_ms;  // real_time per benchmark (median of runs_ms)
  std::map<std::string, std::vector<double>> runs_ms;  // every repetition
};

struct WorkloadSlowdown {
  std::string benchmark;  // without Google Benchmark's /iterations:N/…/real_time suffixes
  double native_ms = 0;
  double emulated_ms = 0;
  double slowdown = 0;  // emulated / native
};

struct RuntimePortability {
  std::string runtime;
  std::string version;
  std::string unusable;  // "" = tested; else why not (the rest is empty)
  Attempt no_emulation;
  Attempt binfmt;
  Attempt qemu_in_container;  // only when the binfmt run failed with exec format error
  Attempt native;
  std::string emulation;  // the method that worked ("" = none)
  std::vector<WorkloadSlowdown> workloads;
};

struct PortabilityReport {
  std::string host_arch;
  std::string foreign_arch;
  std::string image;  // layout:ref
  std::string qemu;   // qemu-user-static version line
  std::string benchmark_filter;
  double cpus = 1;
  int repetitions = 1;
  std::string binfmt_before;
  std::vector<std::string> binfmt_changes;
  std::string binfmt_after;
  bool binfmt_restored = false;
  std::vector<RuntimePortability> runtimes;
};

// Throws std::runtime_error (one line) when nothing can run: no image layout, no foreign or
// native image in it, not root. Runtime failures land in the report.
PortabilityReport RunPortability(const PortabilityOptions& options);

nlohmann::json PortabilityJson(const PortabilityReport& report);
std::string PortabilityTable(const PortabilityReport& report);

// The line of a runtime's output that names an exec failure ("exec format error", any case),
// else the last non-empty line. For the error column.
std::string ErrorLine(const std::string& text);

}  // namespace ocibench::footprint
