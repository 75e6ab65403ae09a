// A private podman store for one cell of `ocibench run`: its own --root (images, containers),
// --runroot and --tmpdir (state, events), vfs storage, cgroupfs and the file events backend, so
// nothing of the host's podman is read or changed. The cell's images are pulled into it from
// the OCI layout; destroying it removes its containers, mounts and directories.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "harness/engine/podman_args.h"

namespace ocibench::engine {

// Per store: images and containers under kPodmanRootDir/<key>, state (runroot <key>/r: podman
// refuses a runroot longer than 50 characters) and events under kPodmanStateDir/<key> (key =
// "<run id>-<short cell tag>": `ocibench gc` tells a live run's by its id).
inline constexpr const char* kPodmanRootDir = "/var/tmp/ocibench/podman";
inline constexpr const char* kPodmanStateDir = "/run/ocibench-run/podman";

// "" when podman can be used here; else one line saying why not (missing binary, no conmon).
std::string PodmanUnusable();
// "podman 4.3.1" (first line of `podman --version`), or "".
std::string PodmanVersion();

class PodmanStore {
 public:
  // Makes the directories (removing a stale store of the same key). Throws std::runtime_error.
  explicit PodmanStore(const std::string& key);
  ~PodmanStore();  // removes every container, unmounts what is left, removes the directories
  PodmanStore(const PodmanStore&) = delete;
  PodmanStore& operator=(const PodmanStore&) = delete;

  // `podman pull oci:<layout>:<tag>` into the store; returns the image id. Throws
  // std::runtime_error with podman's last line.
  std::string Pull(const std::filesystem::path& layout, const std::string& tag);
  // The full argv of a `podman run` in this store (global flags, runtime flags, RunArgs).
  std::vector<std::string> RunArgv(const PodmanRunSpec& spec) const;
  // The full argv of any other podman command in this store.
  std::vector<std::string> Argv(const std::vector<std::string>& args) const;
  // `podman rm --force --time 0 NAME` (after podman was killed before its --rm clean-up).
  void Remove(const std::string& name) const;
  // A file of ocibench's own in the store's state directory (pid and id files podman writes).
  std::filesystem::path StateFile(const std::string& name) const { return state_ / name; }
  // podman's events log (JSON lines) of this store.
  std::filesystem::path EventsFile() const { return state_ / "tmp" / "events" / "events.log"; }

 private:
  std::filesystem::path root_, state_;
};

// What a killed run left: stores whose key holds no id in `live` get their containers removed
// (podman rm -af in that store), their mounts detached and their directories removed; then any
// runc/crun/runsc container in the runtime's default root (podman passes none) whose bundle
// lies in a store not of a live run is deleted, also when the store's directories are gone.
// Returns one line per store ("podman store <dir>") and per such container ("runc container
// <id> (/run/runc, bundle <dir>)").
std::vector<std::string> CleanupPodmanLeftovers(bool dry_run, const std::set<std::string>& live);

}  // namespace ocibench::engine
