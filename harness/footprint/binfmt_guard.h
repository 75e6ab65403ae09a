// Changes binfmt_misc (host-wide!) for a while and puts it back exactly as it was: whether it is
// mounted, its own enabled flag, which handlers exist and whether each is enabled. Used by
// `ocibench portability` and the tests (which hold the ctest RESOURCE_LOCK `binfmt`).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ocibench::footprint {

// What binfmt_misc looks like now; compare two to check a restore.
struct BinfmtState {
  bool mounted = false;
  bool enabled = false;                             // binfmt_misc's own status
  std::map<std::string, bool> handlers;             // name → enabled
  std::map<std::string, std::string> interpreters;  // name → interpreter path
  bool operator==(const BinfmtState&) const = default;
  std::string Describe() const;  // one line, e.g. "mounted, enabled, qemu-aarch64 (enabled)"
};
BinfmtState ReadBinfmtState();

// qemu's name for an OCI architecture: arm64 → aarch64, amd64 → x86_64, … ("" if unknown).
std::string QemuArch(const std::string& oci_arch);

// True when a handler whose interpreter is for `oci_arch` is registered and enabled.
bool HasEnabledHandler(const BinfmtState& state, const std::string& oci_arch);

class BinfmtGuard {
 public:
  BinfmtGuard();
  ~BinfmtGuard();  // restores
  BinfmtGuard(const BinfmtGuard&) = delete;
  BinfmtGuard& operator=(const BinfmtGuard&) = delete;

  // Makes `oci_arch` ELF binaries run through Debian's qemu-user-static (registering
  // /usr/lib/binfmt.d/qemu-<arch>.conf, flag F). "" on success, else why not.
  std::string EnableQemu(const std::string& oci_arch);
  // Disables every handler whose interpreter is for `oci_arch`. "" on success, else why not.
  std::string DisableHandlers(const std::string& oci_arch);
  // What was changed so far, one line each, for the user ("registered qemu-aarch64 …").
  const std::vector<std::string>& changes() const { return changes_; }

 private:
  std::string Mount();
  bool mounted_by_us_ = false;
  std::vector<std::string> registered_by_us_;  // handler names, to remove again
  BinfmtState original_;
  std::vector<std::string> changes_;
};

}  // namespace ocibench::footprint
