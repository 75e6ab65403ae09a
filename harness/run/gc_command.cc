// `ocibench gc`: removes what a killed (SIGKILL) `ocibench run` left: containers in the
// runtimes' state directories, cgroups under /ocibench-run, podman stores, bundles and work
// directories.
#include <fmt/format.h>

#include <iostream>
#include <set>

#include "harness/command.h"
#include "harness/containerd/private_containerd.h"
#include "harness/engine/podman_store.h"
#include "harness/net/cni.h"
#include "harness/oci/runtime.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/command.h"
#include "harness/run/cell.h"
#include "harness/run/discovery.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/run_lease.h"
#include "harness/run/shared_state.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::function<int()> SetupGc(CLI::App& sub) {
  auto dry = std::make_shared<bool>(false);
  sub.add_flag("--dry-run", *dry, "only list what would be removed");
  return [dry]() {
    int found = 0;
    std::error_code ec;
    // What belongs to a run that is still alive (its lease is held) is not a leftover.
    const std::set<std::string> live = LiveRuns(*dry);
    for (const auto& id : live) fmt::print("skipped: run {} is alive\n", id);
    // Containers: each runtime's state directory under /run/ocibench-run.
    for (const auto& e : DiscoverRuntimes(RunConfig{})) {
      if (e.kind != RuntimeKind::kOci || e.info.binary.empty()) continue;
      if (!fs::is_directory(fs::path(kStateRoot) / e.name, ec)) continue;
      for (const auto& id : oci::ListContainers(e.spec)) {
        if (OwnedByLiveRun(id, live)) continue;
        ++found;
        fmt::print("container {} ({})\n", id, e.name);
        if (*dry) continue;
        process::CommandOptions opt = process::WithTimeout(std::chrono::seconds(60));
        if (oci::internal::NeedsCgroup2Namespace(e.spec))
          opt.before_exec = oci::internal::EnterCgroup2Namespace;
        const auto global = oci::internal::GlobalArgs(e.spec, nullptr);
        auto cmd = [&](std::vector<std::string> args) {
          std::vector<std::string> argv = {e.info.binary.string()};
          argv.insert(argv.end(), global.begin(), global.end());
          argv.insert(argv.end(), args.begin(), args.end());
          return process::RunCommand(argv, opt);
        };
        cmd({"kill", id, "9"});
        const auto r = cmd({"delete", "--force", id});
        if (!r.ok())
          std::cerr << "ocibench gc: " << e.name << " delete " << id << ": " << r.LastLine()
                    << "\n";
      }
    }
    for (const auto& ns : net::LeftoverNetns()) {
      if (OwnedByLiveRun(ns, live)) continue;
      ++found;
      fmt::print("network namespace {}\n", ns);
      if (!*dry) net::RemoveNetns(ns);
    }
    for (const auto& root : RunCgroupRoots()) {
      for (const auto& run : fs::directory_iterator(root, ec)) {
        if (!run.is_directory(ec) || OwnedByLiveRun(run.path().filename().string(), live)) continue;
        ++found;
        fmt::print("cgroup {}\n", run.path().string());
        if (!*dry) RemoveCgroupTree(run.path());
      }
      if (!*dry) ::rmdir(root.c_str());  // only when no live run's cgroup is in it
    }
    // The private containerd of a killed run, its shims, rootfs mounts and directories (after
    // the cgroups: killing them killed the containers' processes, so runc's state can go).
    for (const auto& what : containerd::CleanupContainerdLeftovers(*dry, live)) {
      ++found;
      fmt::print("{}\n", what);
    }
    // The private podman stores of a killed run's engine cells (their containers, mounts and
    // directories).
    for (const auto& what : engine::CleanupPodmanLeftovers(*dry, live)) {
      ++found;
      fmt::print("{}\n", what);
    }
    for (const auto& d : fs::directory_iterator(kBundleRoot, ec)) {
      if (OwnedByLiveRun(d.path().filename().string(), live)) continue;
      ++found;
      fmt::print("directory {}\n", d.path().string());
      if (!*dry) fs::remove_all(d.path(), ec);
    }
    // Last: the bridge, its IPAM directory and the runtimes' empty state directories, which
    // only go when no run is alive.
    for (const auto& what : TidySharedState(*dry, live)) {
      ++found;
      fmt::print("{}\n", what);
    }
    fmt::print("{} {}\n", found, *dry ? "leftovers found" : "leftovers removed");
    return cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::run

OCIBENCH_COMMAND(gc,
                 "Remove what a killed `ocibench run` left behind (containers, cgroups, bundles)",
                 ocibench::run::SetupGc);
