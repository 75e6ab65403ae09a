// Kernel and hardware features a runtime may need, and whether this host has them.
#pragma once

#include <string>
#include <vector>

namespace ocibench::footprint {

// Feature names used by the needs table (runtime_needs.h) and the JSON output.
inline constexpr const char* kKvm = "kvm";                 // /dev/kvm usable (hardware virt.)
inline constexpr const char* kVhostVsock = "vhost-vsock";  // /dev/vhost-vsock (Kata agent)
inline constexpr const char* kBinfmtMisc = "binfmt_misc";  // foreign-architecture images
inline constexpr const char* kCgroupV2 = "cgroup v2";      // unified hierarchy
inline constexpr const char* kCgroups = "cgroups";         // any hierarchy (v1 or v2)
inline constexpr const char* kUserNamespaces = "user namespaces";
inline constexpr const char* kSeccomp = "seccomp";

struct HostFeature {
  std::string name;
  bool present = false;
  std::string detail;  // what was looked at, e.g. "/dev/kvm: crw------- openable"
};

std::vector<HostFeature> DetectHostFeatures();
const HostFeature* FindFeature(const std::vector<HostFeature>& features, const std::string& name);

}  // namespace ocibench::footprint
