// The OCI command-line launcher (runc, crun, runsc, youki, any [runtime.X] binary): a bundle
// made from the image for each process of the cell, created, started, waited for and deleted
// through harness/oci; the bundles live under kBundleRoot/<run>/.
#pragma once

#include <mutex>
#include <vector>

#include "harness/oci/runtime.h"
#include "harness/run/launcher.h"

namespace ocibench::run {

class OciLauncher : public Launcher {
 public:
  RuntimeKind kind() const override { return RuntimeKind::kOci; }
  std::string ScratchFsType(const CellRun& cell) const override;
  void RunBench(CellRun& cell, const Launch& launch, const std::string& server) override;
  std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& launch,
                                             const ServerDescription& server) override;
  void Interrupt() override;

  // Containers started and not yet deleted (Interrupt kills them); for the server handles.
  void Track(oci::Container* c);
  void Untrack(oci::Container* c);

 private:
  std::mutex mu_;
  std::vector<oci::Container*> live_;
};

}  // namespace ocibench::run
