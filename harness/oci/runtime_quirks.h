// Internal to ocibench_oci: how each runtime kind is invoked on this host.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/oci/runtime.h"

namespace ocibench::oci::internal {

// "runc" | "crun" | "runsc" | "youki" | "other", from the binary's name.
std::string RuntimeKind(const RuntimeSpec& runtime);

// crun (1.8) refuses cgroup v1/hybrid hosts; in a private mount namespace with cgroup2 on
// /sys/fs/cgroup it runs (with --cgroup-manager=disabled; ocibench applies the limits in v1).
bool NeedsCgroup2Namespace(const RuntimeSpec& runtime);

// Global arguments for one invocation: the spec's + --root + host quirks. `config` is the
// bundle's config.json (runsc's --network follows its network namespace), or null.
std::vector<std::string> GlobalArgs(const RuntimeSpec& runtime, const nlohmann::json& config);

// The network namespace path in a config.json ("" = none given).
std::string NetnsPath(const nlohmann::json& config);

// runsc (at least up to 2022-12) refuses --network=sandbox when
// /proc/sys/net/core/rmem_default exists in the container's namespace, taking that as "the
// root network namespace"; since Linux 6.x the file exists in every namespace. True when that
// is the case for `netns_path`.
bool NetnsLooksLikeRoot(const std::string& netns_path);

// runsc's --platform value among `args`, or "" when not given.
std::string PlatformArg(const std::vector<std::string>& args);

// Enters a private mount namespace and mounts cgroup2 on /sys/fs/cgroup. Async-signal-safe
// (runs between fork and exec). Returns 0 or errno.
int EnterCgroup2Namespace();

std::filesystem::path RootDir(const RuntimeSpec& runtime);

}  // namespace ocibench::oci::internal
