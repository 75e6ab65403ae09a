// The engine launcher (podman-runc, podman-runsc-ptrace, any [runtime.X] engine = "podman"):
// each process of a cell is one `podman run --rm --runtime <the OCI runtime>` in a private
// podman store made for the cell (harness/engine), with the cell's limits, network and mounts.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "harness/run/launcher.h"

namespace ocibench::engine {
class PodmanStore;
struct PodmanRunSpec;
}  // namespace ocibench::engine

namespace ocibench::run {

class EngineLauncher : public Launcher {
 public:
  EngineLauncher();
  ~EngineLauncher() override;  // removes the store (containers, mounts) and the cells' cgroups

  RuntimeKind kind() const override { return RuntimeKind::kEngine; }
  std::string ScratchFsType(const CellRun& cell) const override;
  // podman run (podman, conmon, the runtime) takes ~1 s to start a server here, more under load.
  int ServerStartSeconds() const override { return 30; }
  void RunBench(CellRun& cell, const Launch& launch, const std::string& server) override;
  std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& launch,
                                             const ServerDescription& server) override;

 private:
  // The cell's store and the image id of `tag` in it (pulled on first use); "" when it failed
  // (recorded).
  std::string Image(CellRun& cell, const std::string& tag);
  engine::PodmanRunSpec Spec(const CellRun& cell, const Launch& launch, const std::string& image,
                             std::vector<std::string> args);
  std::unique_ptr<engine::PodmanStore> store_;
  std::map<std::string, std::string> images_;
  std::set<std::string> cgroups_;
};

}  // namespace ocibench::run
