// The native launcher: the bench binary on the host in a LimitCgroup with the run's limits (the
// baseline every ratio divides by, and the native side of a placement), servers as Debian's
// redis-server and nginx on loopback.
#pragma once

#include "harness/run/launcher.h"

namespace ocibench::run {

class NativeLauncher : public Launcher {
 public:
  RuntimeKind kind() const override { return RuntimeKind::kNative; }
  std::string ScratchFsType(const CellRun& cell) const override;
  void RunBench(CellRun& cell, const Launch& launch, const std::string& server) override;
  std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& launch,
                                             const ServerDescription& server) override;
};

// The file system type of `path` ("ext4", "tmpfs", "overlay", …, else 0x<magic>).
std::string FsType(const std::filesystem::path& path);

}  // namespace ocibench::run
