// Changes binfmt_misc (host-wide!) for a test and puts it back exactly as it was: mount state,
// which handlers exist and whether each is enabled. Tests using it hold the ctest
// RESOURCE_LOCK `binfmt`.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace ocibench::test {

class BinfmtGuard {
 public:
  BinfmtGuard();
  ~BinfmtGuard();  // restores
  BinfmtGuard(const BinfmtGuard&) = delete;
  BinfmtGuard& operator=(const BinfmtGuard&) = delete;

  // Makes arm64 ELF binaries run through Debian's qemu-user-static (registering
  // /usr/lib/binfmt.d/qemu-aarch64.conf, F flag). "" on success, else why not.
  std::string EnableQemuAarch64();
  // Disables every handler whose interpreter is for aarch64. "" on success, else why not.
  std::string DisableAarch64();

 private:
  std::string Mount();
  bool mounted_by_us_ = false;
  std::string registered_by_us_;          // handler name, to remove again
  std::map<std::string, bool> original_;  // handler → enabled, as found
  std::string original_status_;           // "enabled"/"disabled" of binfmt_misc itself
};

}  // namespace ocibench::test
