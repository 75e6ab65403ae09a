// The seam between the start-up and density loops and the runtime kinds: a StartupTarget
// starts one container (or native process) from nothing and removes it again, timed phase by
// phase, or starts one idle and keeps it (density). One implementation per kind:
// native_target.cc (fork+exec), oci_target.cc (harness/oci Container), shim_target.cc (ctr).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/run/discovery.h"
#include "harness/startup/startup_sample.h"

namespace ocibench::containerd {
class PrivateContainerd;
}

namespace ocibench::startup {

// What runs in the container.
enum class Workload {
  kBench,  // the bench image: ocibench-bench --ocibench_stamp (prints the clock, exits)
  kRedis,  // the redis image: redis-server on the host network, up to its first PONG
};
std::string ToString(Workload w);  // "bench" | "redis"

// What the OCI bundle leaves out, to measure what each part of ocibench's set-up costs
// (docs/startup.md, "ocibench's own cost"). kDefault is the bundle `ocibench run` makes.
enum class Variant {
  kDefault,      // seccomp profile, cgroup with CPU+memory limits, new netns, rootfs copied once
  kNoSeccomp,    // no seccomp profile
  kNoCgroup,     // no cgroupsPath and no limits (the runtime's default cgroup)
  kHostNetwork,  // no network namespace
  kFreshRootfs,  // a new bundle (rootfs copy) for every container, timed as bundle_ms
  kGivenBundle,  // --bundle DIR as it is (compare-startup)
};
std::string ToString(Variant v);
// "default", "no-seccomp", "no-cgroup", "host-network", "fresh-rootfs"; nullopt otherwise.
std::optional<Variant> ParseVariant(const std::string& text);

// What every target of one session shares.
struct TargetContext {
  std::string run_id;                  // names containers, cgroups and bundles
  std::filesystem::path images;        // OCI image layout
  std::filesystem::path bench;         // native ocibench-bench
  std::filesystem::path work;          // scratch files of this session (bundles live elsewhere)
  std::filesystem::path given_bundle;  // Variant::kGivenBundle
  double cpus = 2;
  std::uint64_t memory_bytes = std::uint64_t{4} << 30;
  std::chrono::milliseconds command_timeout = std::chrono::seconds(60);
  containerd::PrivateContainerd* containerd = nullptr;  // shim kind; null = unavailable
  std::string containerd_error;                         // why it is null
};

// One idle container kept by a density run; removed (killed, deleted) by its destructor.
class Kept {
 public:
  virtual ~Kept() = default;
  // The runtime's own processes for this container (sandbox, gofer, shim; not the workload).
  virtual std::vector<pid_t> RuntimePids() const = 0;
  // Time from ocibench's first command to the workload's stamp, in ms (-1 = not seen).
  virtual double StartedMs() const = 0;
};

class StartupTarget {
 public:
  virtual ~StartupTarget() = default;
  // From nothing to removed, timed. Never throws for a runtime's failure (sample.error).
  // `id` is unique in the session (k-th container).
  virtual StartupSample Once(const std::string& id) = 0;
  // One idle container (bench --ocibench_idle), started and kept. Throws std::runtime_error
  // with one line naming the runtime and what failed; a half-made container is removed first.
  virtual std::unique_ptr<Kept> StartIdle(const std::string& id) = 0;
  // The runtime's processes shared by every container (containerd's shims are per container;
  // for the shim kind this is containerd itself), for the density PSS.
  virtual std::vector<pid_t> SharedPids() const { return {}; }
};

// The target for `entry` (native, OCI or shim kind). `slot` tells parallel targets of one
// runtime apart (their bundles, cgroups and ports). Throws std::runtime_error (one line) when
// the combination cannot run (e.g. a variant on a kind without bundles).
std::unique_ptr<StartupTarget> MakeTarget(const run::RuntimeEntry& entry, Workload workload,
                                          Variant variant, const TargetContext& ctx, int slot = 0);

// Polls the workload's readiness for a redis server on 127.0.0.1:port for up to `timeout`;
// returns the time it first answered PING as ms since t0, or -1.
// `gone` (may be empty) says the server has exited: stop waiting at once.
double WaitForPong(int port, std::chrono::steady_clock::time_point t0,
                   std::chrono::milliseconds timeout, const std::function<bool()>& gone = {});

// ms from t0 to the stamp the workload printed (its CLOCK_REALTIME against t0_realtime_ns).
double StampMs(const std::string& output, std::int64_t t0_realtime_ns);

}  // namespace ocibench::startup
