// An OCI bundle that runs a host program on the host's own files, for `ocibench profile
// --verify`: an empty read-only rootfs holding the host's top-level symlinks (/bin → usr/bin, …),
// every other top-level directory of / bind-mounted read-only (rbind), and the bundles' usual
// fresh /proc, /dev, /sys and tmpfs /tmp (oci::MakeRuntimeConfig). Nothing is mounted on the
// host: every mount lives in the container's mount namespace and goes with it.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/oci/bundle.h"

namespace ocibench::verify {

// Top-level entries of / that the container gets fresh instead of the host's.
inline const std::vector<std::string> kNotFromHost = {"proc", "sys", "dev",
                                                      "tmp",  "run", "lost+found"};

struct HostTree {
  std::vector<oci::BindMount> binds;                          // /X → /X, read-only
  std::vector<std::pair<std::string, std::string>> symlinks;  // name → target
};
// What of `root` the container sees (its top-level directories and symlinks, by name).
HostTree ReadHostTree(const std::filesystem::path& root = "/");

struct HostBundleSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // KEY=VALUE (the host's environment)
  std::filesystem::path cwd;     // the host's; "/" when it is not in a bound directory
  std::string cgroups_path;
  std::string seccomp_profile = "default";  // the runtime entry's (oci/seccomp_profile.h)
};

// Writes `dir`/config.json and `dir`/rootfs (mode 0700 bundle). Throws oci::BundleError.
nlohmann::json MakeHostBundle(const HostBundleSpec& spec, const std::filesystem::path& dir,
                              const HostTree& tree);

}  // namespace ocibench::verify
