// A private containerd for the containerd shim v2 runtimes of `ocibench run` (containerd-runc =
// io.containerd.runc.v2, kata = io.containerd.kata.v2, any [runtime.NAME] shim = "..."): its own
// root, state and socket, a config generated for it, started for the duration of one run and
// stopped with everything it started (containers, shims, mounts, directories) when the object
// is destroyed. No system containerd service is used or touched. Cells run through `ctr run`.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/process/child_process.h"

namespace ocibench::containerd {

// Per run: /run/ocibench-run/containerd/<run>/{containerd.sock,state,fifo,config.toml,…}.
inline constexpr const char* kContainerdDir = "/run/ocibench-run/containerd";
// Per run: content store and snapshots (/var/tmp/ocibench/containerd/<run>).
inline constexpr const char* kContainerdRootDir = "/var/tmp/ocibench/containerd";
// The containerd namespace of every ocibench container (the runc shim keeps runc's state in
// /run/containerd/runc/<namespace>).
inline constexpr const char* kContainerdNamespace = "ocibench-run";
// The images of the OCI layout are imported as <base>:<tag> (bench, redis, nginx).
inline constexpr const char* kContainerdImageBase = "docker.io/ocibench/ocibench";

// "io.containerd.runc.v2" → "containerd-shim-runc-v2"; "" when not of the form io.containerd.X.vN.
std::string ShimBinaryName(const std::string& shim);

// One `ctr run --rm`: the process's full argv (ctr replaces the image's entrypoint).
struct CtrRunSpec {
  std::string shim;       // --runtime
  std::string image_tag;  // bench | redis | nginx
  std::string id;
  std::vector<std::string> args;
  double cpus = 0;                  // --cpus (CFS quota)
  std::uint64_t memory_bytes = 0;   // --memory-limit
  std::string cgroup;               // --cgroup (cgroupsPath), e.g. /ocibench-run/<run>/cell-3
  bool host_network = false;        // --net-host; else a new, empty network namespace
  std::string netns_path;           // --with-ns network:<path> (a CNI namespace)
  std::vector<std::string> env;     // KEY=VALUE
  std::vector<std::string> mounts;  // --mount values
  // A directory to use as the root filesystem instead of image_tag (`--rootfs`, read-only),
  // and the process's working directory (`--cwd`): ocibench profile --verify's host bundle.
  std::string rootfs;
  std::string cwd;
};

class PrivateContainerd {
 public:
  // Starts containerd (found on PATH) and waits until it answers. Throws std::runtime_error
  // with one line naming what failed (and the last line of containerd's log).
  explicit PrivateContainerd(const std::string& run_id);
  ~PrivateContainerd();  // never throws
  PrivateContainerd(const PrivateContainerd&) = delete;
  PrivateContainerd& operator=(const PrivateContainerd&) = delete;

  // Imports every image of the OCI layout (a tar of it) as kContainerdImageBase:<tag>.
  // Throws std::runtime_error.
  void Import(const std::filesystem::path& layout);

  // `ctr --address … --namespace … <args>`.
  std::vector<std::string> Ctr(const std::vector<std::string>& args) const;
  std::vector<std::string> RunArgv(const CtrRunSpec& spec) const;
  // Kills the container's task (SIGKILL), deletes task and container (with its snapshot).
  // Best effort, for containers a failed or interrupted `ctr run --rm` left.
  void RemoveContainer(const std::string& id) const;
  // The shim processes serving this containerd (`containerd-shim-* … -address <socket>`).
  std::vector<pid_t> ShimPids() const;

  const std::string& address() const { return address_; }
  const std::string& version() const { return version_; }
  pid_t pid() const { return process_ ? process_->pid() : 0; }

 private:
  void Shutdown() noexcept;
  std::filesystem::path dir_, root_;
  std::string address_, ctr_, version_;
  bool has_seccomp_flag_ = false, has_fifo_dir_flag_ = false;
  std::unique_ptr<process::ChildProcess> process_;
};

// `ocibench gc`: kills the containerd and shims of runs killed with SIGKILL, unmounts their
// rootfs mounts, removes their directories (and runc's state of our namespace). Returns one
// line per thing found; removes nothing when dry_run.
// `live`: ids of runs still alive, whose containerd is left alone.
std::vector<std::string> CleanupContainerdLeftovers(bool dry_run,
                                                    const std::set<std::string>& live = {});

// Checks that `ctr run` knows the flags ocibench needs; "" or one line saying what is missing.
std::string CheckCtrRunFlags(const std::string& ctr);

}  // namespace ocibench::containerd
