// TidySharedState: the last run out removes what runs share (see shared_state.h).
#include "harness/run/shared_state.h"

#include <unistd.h>

#include <filesystem>

#include "harness/containerd/private_containerd.h"
#include "harness/net/cni.h"
#include "harness/process/command.h"
#include "harness/run/cell.h"
#include "harness/run/run_lease.h"

namespace ocibench::run {
namespace fs = std::filesystem;

std::vector<std::string> TidySharedState(bool dry_run, const std::set<std::string>& live) {
  std::vector<std::string> done;
  if (!live.empty()) return done;  // a live run may create a container or a namespace any moment
  std::error_code ec;
  const bool namespaces_left = !net::LeftoverNetns().empty();
  if (!namespaces_left && fs::exists(fs::path("/sys/class/net") / net::kBridge, ec)) {
    done.push_back(std::string("bridge ") + net::kBridge);
    if (!dry_run) process::RunCommand({"ip", "link", "del", net::kBridge});
  }
  const fs::path root = kStateRoot;
  for (const auto& d : fs::directory_iterator(root, ec)) {
    const fs::path p = d.path();
    // live/ is the leases' (RunLease removes it); containerd/ is each private containerd's.
    if (p == fs::path(kLeaseDir) || p == fs::path(containerd::kContainerdDir)) continue;
    if (d.is_symlink(ec) || !d.is_directory(ec)) continue;
    if (p == root / "cni") {
      // host-local's reservations: stale once no namespace of ours is left.
      if (namespaces_left) continue;
      done.push_back("directory " + p.string());
      if (!dry_run) fs::remove_all(p, ec);
      continue;
    }
    // A runtime's state directory: kept while it holds a container we could not delete.
    if (!fs::is_empty(p, ec)) continue;
    done.push_back("directory " + p.string());
    if (!dry_run) ::rmdir(p.c_str());
  }
  if (!dry_run) ::rmdir(root.c_str());  // only when empty
  return done;
}

}  // namespace ocibench::run
