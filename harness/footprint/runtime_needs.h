// What each kind of runtime needs besides its own binary: helper programs (shims, gofer, VMM)
// and kernel/hardware features. This is knowledge about the runtimes (from their docs and how
// they run here); whether the helpers and features exist is looked up on the host.
#pragma once

#include <string>
#include <vector>

namespace ocibench::footprint {

struct HelperSpec {
  std::string role;                     // "containerd shim", "gofer", "VMM", …
  std::vector<std::string> candidates;  // names on PATH or absolute paths; first found wins
  bool required = false;                // false: only for some uses (e.g. under containerd)
  std::string note;
};

struct FeatureNeed {
  std::string feature;  // harness/footprint/host_features.h names
  bool required = false;
  std::string why;
  bool used = true;  // false: the runtime does not use it even where the host has it
};

struct RuntimeNeeds {
  std::string kind;  // runc | crun | runsc | youki | containerd | kata | other
  std::vector<HelperSpec> helpers;
  std::vector<FeatureNeed> features;
};

// The kind from a runtime's name or binary ("kata-runtime" → kata, "runsc" → runsc, …).
std::string KindOf(const std::string& name);
// `platform` matters for runsc (kvm needs /dev/kvm).
RuntimeNeeds NeedsOf(const std::string& kind, const std::string& platform = "");

}  // namespace ocibench::footprint
