// ShimLauncher: ctr run argv, scratch and mounts, memory of the shims, a server kept attached.
#include "harness/run/shim_launcher.h"

#include <fmt/format.h>

#include <thread>

#include "harness/containerd/ctr_args.h"
#include "harness/containerd/private_containerd.h"
#include "harness/oci/bundle.h"
#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/process/exit_description.h"
#include "harness/process/proc.h"
#include "harness/process/timed_run.h"
#include "harness/run/attached_server.h"
#include "harness/run/cell.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/native_launcher.h"

namespace ocibench::run {
namespace fs = std::filesystem;
using containerd::CtrBind;
using containerd::CtrTmpfs;
namespace {

void SetNetwork(containerd::CtrRunSpec& s, const NetworkChoice& n) {
  s.host_network = n.kind == NetworkChoice::Kind::kHost;
  if (n.kind == NetworkChoice::Kind::kNetns) s.netns_path = n.netns.string();
}

// A server container of the shim runtime: `ctr run --rm` kept attached in the background;
// stopped by SIGTERM to its task.
class ShimServer : public AttachedServer {
 public:
  ShimServer(containerd::PrivateContainerd& cd, CellRun& cell, ServerDescription d, std::string id,
             std::unique_ptr<process::ChildProcess> ctr, fs::path log)
      : AttachedServer(cell, std::move(d), std::move(ctr), std::move(log)),
        cd_(cd),
        id_(std::move(id)) {}
  ~ShimServer() override { Stop(); }

 private:
  void AskToStop() override {
    process::RunCommand(cd_.Ctr({"task", "kill", "--signal", "SIGTERM", id_}),
                        process::WithTimeout(std::chrono::seconds(30)));
  }
  void AfterExit(bool exited, Lifecycle&) override {
    if (!exited) cd_.RemoveContainer(id_);  // ctr was killed before its --rm cleanup
  }

  containerd::PrivateContainerd& cd_;
  std::string id_;
};

}  // namespace

ShimLauncher::~ShimLauncher() {
  for (const auto& cg : cgroups_) RemoveCgroupPath(cg);
}

std::string ShimLauncher::ScratchFsType(const CellRun& cell) const {
  // containerd's overlayfs snapshot, or the tmpfs, or the bind dir in the cell's work dir.
  switch (cell.ctx.config.scratch) {
    case ScratchKind::kRootfs:
      return "overlay";
    case ScratchKind::kTmpfs:
      return "tmpfs";
    case ScratchKind::kBind:
      break;
  }
  return FsType(cell.work);
}

bool ShimLauncher::Usable(CellRun& cell) {
  if (cd_) return true;
  cell.recorder.Fail(cell.rt.name + ": " +
                     (cd_error_.empty() ? "no containerd was started" : cd_error_));
  return false;
}

containerd::CtrRunSpec ShimLauncher::Spec(const CellRun& cell, const Launch& launch,
                                          const std::string& image, std::vector<std::string> args) {
  containerd::CtrRunSpec s;
  s.shim = cell.rt.shim;
  s.image_tag = image;
  s.id = launch.id;
  s.args = std::move(args);
  s.cpus = cell.ctx.config.cpus;
  s.memory_bytes = cell.ctx.config.memory_bytes;
  s.cgroup = launch.cgroup;
  SetNetwork(s, launch.network);
  cgroups_.insert(launch.cgroup);
  return s;
}

// Memory: the main container's cgroup; runtime PSS = the shims and what they started (runc's
// shim: minus the cell's workload cgroups; any other shim, e.g. Kata's VM, is all runtime as
// runsc's sandbox is).
void ShimLauncher::Sample(CellRun& cell, const Launch& launch) {
  cell.sampler->SetCgroupFile(CgroupMemoryUsageFile(launch.cgroup));
  std::vector<fs::path> exclude;
  if (cell.rt.shim.starts_with("io.containerd.runc."))
    for (const auto& w : {cell.cgroup, cell.cgroup + "-server"})
      exclude.push_back(CgroupMemoryProcsFile(w));
  containerd::PrivateContainerd* cd = cd_;
  cell.sampler->SetRuntimeRoots([cd] { return cd->ShimPids(); }, exclude);
}

// The bench image in one `ctr run --rm`. Lifecycle: ctr does create, start, wait and delete in
// one command, so only first output and total (launch of ctr to its exit, delete included) are
// measured; create/start/delete stay empty.
void ShimLauncher::RunBench(CellRun& cell, const Launch& launch, const std::string& server) {
  if (!Usable(cell)) return;
  std::vector<std::string> args = {"/ocibench-bench"};
  for (auto& a : cell.BenchArgs(std::string(oci::kResultsPath) + "/out.json", server))
    args.push_back(a);
  containerd::CtrRunSpec s = Spec(cell, launch, cell.group.image, args);
  // The probes' scratch: rootfs = /tmp of the image on the container's (overlayfs snapshot)
  // root filesystem; tmpfs and bind are mounted at /scratch as in the OCI bundles.
  const ScratchKind scratch = cell.ctx.config.scratch;
  if (scratch == ScratchKind::kRootfs) {
    s.env = {"OCIBENCH_SCRATCH=/tmp", "OCIBENCH_SCRATCH_KIND=rootfs"};
  } else {
    s.env = {"OCIBENCH_SCRATCH=/scratch", "OCIBENCH_SCRATCH_KIND=" + ToString(scratch)};
    if (scratch == ScratchKind::kTmpfs) {
      s.mounts.push_back(CtrTmpfs(oci::kScratchPath));
    } else {
      fs::create_directories(cell.work / "scratch");
      s.mounts.push_back(CtrBind(cell.work / "scratch", oci::kScratchPath, false));
    }
  }
  s.mounts.push_back(CtrBind(cell.work, oci::kResultsPath, false));
  if (launch.main) Sample(cell, launch);
  const process::TimedRunResult r =
      process::RunTimed(cd_->RunArgv(s), {}, {}, cell.Remaining(), *cell.ctx.stop);
  cell.recorder.Log(r.output);
  if (r.stopped)
    cell.recorder.Pending();
  else if (r.timed_out)
    cell.recorder.Fail(CellStatus::kTimeout, cell.TimedOut(cell.rt.name));
  else if (!r.error.empty())
    cell.recorder.Fail(cell.rt.name + ": " + containerd::CtrError(r.output, r.error));
  if (r.stopped || r.timed_out || r.signal) cd_->RemoveContainer(launch.id);  // no --rm then
  if (launch.main) {
    Lifecycle l;
    l.first_output_ms = r.first_output_ms;
    l.total_ms = r.total_ms;
    cell.recorder.SetLifecycle(l);
  }
}

std::unique_ptr<RunningServer> ShimLauncher::StartServer(CellRun& cell, const Launch& launch,
                                                         const ServerDescription& server) {
  if (!Usable(cell)) return nullptr;
  std::vector<std::string> args = server.entrypoint;
  args.insert(args.end(), server.args.begin(), server.args.end());
  containerd::CtrRunSpec s = Spec(cell, launch, server.image, args);
  s.mounts.push_back(CtrTmpfs(oci::kScratchPath, kServerTmpfsSize));
  for (const auto& b : server.binds) s.mounts.push_back(CtrBind(b.host, b.container, true));
  if (launch.main) Sample(cell, launch);
  // Beside the work dir, not in it: a client container of the cell has the work dir at
  // /results (rw) and could leave a FIFO or a link where the harness reads the log back.
  const fs::path log = cell.work.parent_path() / (cell.tag + "-server.txt");
  try {
    auto ctr = std::make_unique<process::ChildProcess>(cd_->RunArgv(s), log.string());
    return std::make_unique<ShimServer>(*cd_, cell, server, launch.id, std::move(ctr), log);
  } catch (const std::exception& e) {
    cell.recorder.Fail(cell.rt.name + ": " + e.what());
    return nullptr;
  }
}

}  // namespace ocibench::run
