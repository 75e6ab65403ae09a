// OCI image layout → OCI runtime bundle (rootfs via `umoci unpack` + a generated config.json).
//
//   ocibench::oci::BundleSpec spec;
//   spec.image_layout = "build/images/oci";   // written by containers/build-images
//   spec.image_ref = "bench";                 // tag in the layout
//   spec.args = {"--benchmark_filter=LZMA", "--benchmark_out=/results/x.json"};
//   spec.results_dir = "/tmp/out";            // bind-mounted rw at /results
//   ocibench::oci::Bundle b = ocibench::oci::MakeBundle(spec, "/tmp/bundle-1");
//   ... run it with harness/oci/runtime.h, then RemoveBundle(b.dir).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/vocabulary/vocabulary.h"

namespace ocibench::oci {

// Paths inside the container that the probes and the harness agree on.
inline constexpr const char* kResultsPath = "/results";         // results_dir is mounted here (rw)
inline constexpr const char* kScratchPath = "/scratch";         // the scratch directory
inline constexpr const char* kScratchEnv = "OCIBENCH_SCRATCH";  // = kScratchPath
inline constexpr const char* kScratchKindEnv = "OCIBENCH_SCRATCH_KIND";  // rootfs|tmpfs|bind

// Where the scratch directory lives. kRootfs: a directory of the container's own root
// filesystem (this makes the rootfs writable: a read-only rootfs would defeat it); kTmpfs: a
// tmpfs of tmpfs_size; kBind: host_dir bind-mounted rw.
using ocibench::ScratchKind;  // harness/vocabulary: names "rootfs", "tmpfs", "bind"
struct Scratch {
  ScratchKind kind = ScratchKind::kRootfs;
  std::filesystem::path host_dir;   // kBind only; must exist
  std::string tmpfs_size = "512m";  // kTmpfs only (mount option size=)
};

// kNone: a fresh, empty network namespace (loopback only). kHost: the host's namespace.
// kNetns: join the namespace at netns_path (e.g. /var/run/netns/<name> made by CNI).
enum class NetworkMode { kNone, kHost, kNetns };
struct Network {
  NetworkMode mode = NetworkMode::kNone;
  std::filesystem::path netns_path;  // kNetns only
};
std::string ToString(NetworkMode mode);  // "none" | "host" | "netns"

struct BindMount {
  std::filesystem::path host;
  std::string container;  // absolute path inside the container
  bool readonly = true;
};

// POSIX rlimit as the runtime-spec names it ("RLIMIT_NOFILE"). Values above this process's
// hard limit are clamped to it (without CAP_SYS_RESOURCE the runtime could not raise them);
// each clamp is reported in Bundle::notes.
struct Rlimit {
  std::string type;
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

struct BundleSpec {
  // Image: an OCI image layout directory, a tag in it, and the architecture to pick from a
  // multi-arch index ("amd64", "arm64"; empty = this host's).
  std::filesystem::path image_layout;
  std::string image_ref = "bench";
  std::string arch;

  // Process: the image's Entrypoint followed by `args` (when `args` is empty, the image's Cmd,
  // as docker does). `env` (KEY=VALUE) is added after the image's Env and overrides it.
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string hostname = "ocibench";

  // Limits. Unset = unlimited. cpus becomes a CFS quota (cpus × 100 ms per 100 ms).
  std::optional<double> cpus;
  std::optional<std::uint64_t> memory_bytes;
  // Empty: the runtime's default cgroup. Else a path like "/ocibench/<run>/<cell>" (cgroupsPath).
  std::string cgroups_path;

  // Mounts. results_dir (host, must exist) → kResultsPath rw; empty = no results mount.
  std::filesystem::path results_dir;
  Scratch scratch;
  std::vector<BindMount> binds;
  Network network;

  // Security: the common defaults (docker's), each of which can be turned off.
  bool readonly_rootfs = true;  // ignored (rootfs writable) when scratch.kind == kRootfs
  bool no_new_privileges = true;
  bool seccomp = true;  // false: unconfined (no linux.seccomp)
  // Which profile when seccomp is on: a ResolveSeccomp choice ("default" = Docker's default
  // profile, "containers-common", "unconfined", a path; harness/oci/seccomp_profile.h).
  std::string seccomp_profile = "default";
  // Replaces the default rlimits (RLIMIT_NOFILE 1048576 clamped to the hard limit).
  std::optional<std::vector<Rlimit>> rlimits;

  // Unpacked root filesystems are cached per image manifest digest here and copied into each
  // bundle (umoci unpack is the slow part). Empty = unpack every time.
  std::filesystem::path rootfs_cache = "/var/tmp/ocibench/rootfs";
};

// What an image's config says (the part that matters for a bundle).
struct ImageConfig {
  std::string manifest_digest;  // "sha256:…" of the per-arch manifest
  std::string arch;             // "amd64", "arm64", …
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
};

struct Bundle {
  std::filesystem::path dir;       // holds config.json and rootfs/
  ImageConfig image;               // what was unpacked (digest + arch go into run.json)
  nlohmann::json config;           // the config.json written
  std::vector<std::string> notes;  // host adaptations made, e.g. "RLIMIT_NOFILE clamped to 524288"
};

// One clear line naming the thing that failed and what to do.
struct BundleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "amd64", "arm64", … for this process's architecture (GOARCH names, as OCI uses).
std::string HostArch();

// Reads index.json of `layout`, resolves `ref` (a tag pointing at a manifest, or at an image
// index from which the `arch` manifest is picked) and returns the image's config.
ImageConfig ReadImageConfig(const std::filesystem::path& layout, const std::string& ref,
                            const std::string& arch);

// The numeric user an image's processes run as (its config's User, "uid[:gid]"; empty = root).
// Throws BundleError for a name that is not numeric.
struct ImageUser {
  unsigned uid = 0, gid = 0;
};
ImageUser ParseImageUser(const ImageConfig& image);

// Makes a directory the container writes (its scratch, the results mount) the container user's
// own: chown uid:gid, mode 0700, so no other local user can read or write into it. Throws
// BundleError naming the directory.
void GiveToContainerUser(const std::filesystem::path& dir, const ImageUser& user);

// The runtime-spec config.json for `spec` and an image (pure; used by MakeBundle). `notes`
// receives host adaptations (rlimit clamps, memory swap limit not available, …).
nlohmann::json MakeRuntimeConfig(const BundleSpec& spec, const ImageConfig& image,
                                 std::vector<std::string>* notes = nullptr);

// Creates `dir` (must not exist or be empty, made mode 0700) with rootfs/ (umoci unpack) and
// config.json; the directories the container writes (rootfs/scratch, spec.results_dir, a bind
// scratch) are given to the image's user (GiveToContainerUser).
// Throws BundleError.
Bundle MakeBundle(const BundleSpec& spec, const std::filesystem::path& dir);

// Removes a bundle directory made by MakeBundle (no-op if it does not exist).
void RemoveBundle(const std::filesystem::path& dir);

}  // namespace ocibench::oci
