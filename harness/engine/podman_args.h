// `podman run` command lines for one container of a cell: a private store's global flags, the
// OCI runtime podman drives, the cell's limits, network, mounts and ulimits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ocibench::engine {

// The network a container joins (podman --network): none (a fresh empty namespace, as the
// direct path's default), the host's, or an existing namespace (a CNI namespace on the bridge).
struct PodmanNetwork {
  enum class Kind { kNone, kHost, kNetns } kind = Kind::kNone;
  std::string netns_path;  // kNetns
};

// One `podman run --rm`.
struct PodmanRunSpec {
  std::string name;     // --name (the cell's container id)
  std::string runtime;  // absolute path of the OCI runtime (--runtime)
  // The runtime's global flags as podman passes them (--runtime-flag, without the leading
  // "--"); runsc's network flag is added from `network`.
  std::vector<std::string> runtime_flags;
  bool runsc = false;
  std::string image;               // image id in the private store
  std::string entrypoint;          // "" = the image's
  std::vector<std::string> args;   // after the image
  double cpus = 0;                 // --cpus (CFS quota)
  std::uint64_t memory_bytes = 0;  // --memory and --memory-swap (no swap, as the bundles)
  std::string cgroup_parent;       // the cell's cgroupsPath: conmon and libpod-<id> go below it
  PodmanNetwork network;
  std::vector<std::string> env;      // KEY=VALUE
  std::vector<std::string> volumes;  // -v host:container[:ro]
  std::vector<std::string> tmpfs;    // --tmpfs path[:options]
  bool read_only = false;            // --read-only (the server containers)
  std::string conmon_pidfile;        // where podman writes conmon's pid
  std::string cidfile;               // where podman writes the container's full id
};

// The host's hard limits as podman's --ulimit values: podman 4.3 asks for 1048576 open files
// (refused here: the hard limit is lower and there is no CAP_SYS_RESOURCE), so nofile is
// min(our hard RLIMIT_NOFILE, 1048576); nproc is min(our hard RLIMIT_NPROC, 32768) because
// podman itself lowers its RLIMIT_NPROC to 32768 at start (strace: setrlimit(RLIMIT_NPROC,
// 32*1024)) and a container cannot get more than podman's runtime process has.
std::vector<std::string> HostUlimits();

// The arguments after `podman <global flags>`: run --rm … image args.
std::vector<std::string> RunArgs(const PodmanRunSpec& spec);

// runsc's --network value for a podman network: none stays none; the host's and a given
// namespace are "host" (runsc 2022-12 takes any namespace with /proc/sys/net/core/rmem_default
// for the root namespace and refuses its default "sandbox" network there: the start fails with
// "cannot run with network enabled in root network namespace", podman's "exit status 128").
std::string RunscNetwork(const PodmanNetwork& network);

}  // namespace ocibench::engine
