// The containerd shim v2 launcher (containerd-runc, kata, any [runtime.X] shim): `ctr run --rm`
// against the run's private containerd (harness/containerd), one per process of the cell.
#pragma once

#include <set>
#include <string>

#include "harness/run/launcher.h"

namespace ocibench::containerd {
class PrivateContainerd;
struct CtrRunSpec;
}  // namespace ocibench::containerd

namespace ocibench::run {

class ShimLauncher : public Launcher {
 public:
  // containerd: the run's, or nullptr with why there is none (its cells fail with that line).
  ShimLauncher(containerd::PrivateContainerd* containerd, std::string containerd_error)
      : cd_(containerd), cd_error_(std::move(containerd_error)) {}
  ~ShimLauncher() override;  // removes the cgroups its containers had (runc removes the leaf)

  RuntimeKind kind() const override { return RuntimeKind::kShim; }
  std::string ScratchFsType(const CellRun& cell) const override;
  int ServerStartSeconds() const override { return 30; }  // the first start unpacks a snapshot
  void RunBench(CellRun& cell, const Launch& launch, const std::string& server) override;
  std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& launch,
                                             const ServerDescription& server) override;

 private:
  bool Usable(CellRun& cell);
  containerd::CtrRunSpec Spec(const CellRun& cell, const Launch& launch, const std::string& image,
                              std::vector<std::string> args);
  void Sample(CellRun& cell, const Launch& launch);
  containerd::PrivateContainerd* cd_;
  std::string cd_error_;
  std::set<std::string> cgroups_;
};

}  // namespace ocibench::run
