// EngineLauncher: podman run argv, the cell's store and images, memory of podman and conmon,
// lifecycle from podman's events, a server kept attached.
#include "harness/run/engine_launcher.h"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <memory>
#include <thread>

#include "harness/engine/podman_events.h"
#include "harness/engine/podman_store.h"
#include "harness/oci/bundle.h"
#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/process/proc.h"
#include "harness/process/timed_run.h"
#include "harness/run/attached_server.h"
#include "harness/run/cell.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/native_launcher.h"

namespace ocibench::run {
namespace fs = std::filesystem;
using engine::PodmanNetwork;
namespace {

PodmanNetwork ToPodman(const NetworkChoice& n) {
  switch (n.kind) {
    case NetworkChoice::Kind::kHost:
      return {PodmanNetwork::Kind::kHost, {}};
    case NetworkChoice::Kind::kNetns:
      return {PodmanNetwork::Kind::kNetns, n.netns.string()};
    case NetworkChoice::Kind::kDefault:
      break;
  }
  return {};
}

// "--platform=ptrace" → "platform=ptrace" (podman's --runtime-flag adds the dashes back).
std::vector<std::string> RuntimeFlags(const std::vector<std::string>& global_args) {
  std::vector<std::string> out;
  for (std::string a : global_args) {
    while (a.starts_with("-")) a.erase(0, 1);
    out.push_back(a);
  }
  return out;
}

std::string ReadFirstLine(const fs::path& p) {
  std::string text = process::ReadSmallFile(p);
  return text.substr(0, text.find('\n'));
}

// While a container of the main workload runs: waits for podman's cidfile, then points the
// sampler at the container's own cgroup (<cgroup parent>/libpod-<id>) and counts podman and
// conmon (and, for runc/crun, everything of theirs outside the workload's cgroup) as the
// runtime's memory; runsc's sandbox in the container's cgroup is the runtime too, as in the
// direct path.
class MemoryWatch {
 public:
  MemoryWatch(CellRun& cell, const engine::PodmanRunSpec& spec) {
    if (!cell.sampler) return;
    thread_ = std::thread([this, &cell, spec] {
      std::string id;
      while (!done_ && (id = ReadFirstLine(spec.cidfile)).size() < 12)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (done_ && id.size() < 12) return;
      const std::string container = spec.cgroup_parent + "/libpod-" + id;
      cell.sampler->SetCgroupFile(CgroupMemoryUsageFile(container));
      std::vector<fs::path> exclude;
      if (!spec.runsc) exclude.push_back(CgroupMemoryProcsFile(container));
      // The sampler keeps these roots until the cell ends, after this watch is gone: they share
      // the podman pid, never point into the watch.
      const fs::path conmon_pidfile = spec.conmon_pidfile;
      std::shared_ptr<std::atomic<pid_t>> podman = podman_;
      cell.sampler->SetRuntimeRoots(
          [conmon_pidfile, podman] {
            std::vector<pid_t> roots;
            if (const pid_t p = podman->load(); p > 0) roots.push_back(p);
            const std::string c = ReadFirstLine(conmon_pidfile);
            pid_t conmon = 0;
            std::from_chars(c.data(), c.data() + c.size(), conmon);
            if (conmon > 0) roots.push_back(conmon);
            return roots;
          },
          exclude);
    });
  }
  ~MemoryWatch() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void SetPodman(pid_t pid) { *podman_ = pid; }

 private:
  std::atomic<bool> done_{false};
  std::shared_ptr<std::atomic<pid_t>> podman_ = std::make_shared<std::atomic<pid_t>>(0);
  std::thread thread_;
};

Lifecycle FromEvents(const engine::PodmanStore& store, const std::string& name) {
  const engine::EventTimings t = engine::ReadEventTimings(store.EventsFile(), name);
  Lifecycle l;
  l.create_ms = t.create_ms;
  l.start_ms = t.start_ms;
  l.delete_ms = t.delete_ms;
  return l;
}

// A server container: `podman run --rm` kept attached in the background; stopped by `podman
// stop --time=10`; its timings from podman's events.
class EngineServer : public AttachedServer {
 public:
  EngineServer(engine::PodmanStore& store, CellRun& cell, ServerDescription d, std::string name,
               std::unique_ptr<process::ChildProcess> podman, fs::path log,
               std::unique_ptr<MemoryWatch> watch)
      : AttachedServer(cell, std::move(d), std::move(podman), std::move(log)),
        store_(store),
        name_(std::move(name)),
        watch_(std::move(watch)) {
    if (watch_) watch_->SetPodman(client_pid());
  }
  ~EngineServer() override { Stop(); }

 private:
  void AskToStop() override {
    process::RunCommand(store_.Argv({"stop", "--time=10", name_}),
                        process::WithTimeout(CellRun::kCleanupTimeout));
  }
  void AfterExit(bool exited, Lifecycle& l) override {
    watch_.reset();
    if (!exited) store_.Remove(name_);  // podman was killed before its --rm clean-up
    l = FromEvents(store_, name_);
  }

  engine::PodmanStore& store_;
  std::string name_;
  std::unique_ptr<MemoryWatch> watch_;
};

}  // namespace

EngineLauncher::EngineLauncher() = default;

EngineLauncher::~EngineLauncher() {
  store_.reset();  // its containers first: conmon lives in the cells' cgroups
  for (const auto& cg : cgroups_) RemoveCgroupPath(cg);
}

std::string EngineLauncher::ScratchFsType(const CellRun& cell) const {
  // rootfs: the vfs copy of the image in the store; tmpfs; bind: the cell's work dir.
  switch (cell.ctx.config.scratch) {
    case ScratchKind::kRootfs: {
      fs::path p = engine::kPodmanRootDir;  // the store may not exist yet: its nearest parent
      std::error_code ec;
      while (!fs::exists(p, ec) && p.has_parent_path() && p != p.parent_path()) p = p.parent_path();
      return FsType(p);
    }
    case ScratchKind::kTmpfs:
      return "tmpfs";
    case ScratchKind::kBind:
      break;
  }
  return FsType(cell.work);
}

std::string EngineLauncher::Image(CellRun& cell, const std::string& tag) {
  try {
    // Short (podman's runroot is at most 50 characters): c<index>, or w<hash> for a warm-up.
    const std::string key =
        cell.warmup ? fmt::format("w{}", std::hash<std::string>{}(cell.rt.name) % 100000)
                    : fmt::format("c{}", cell.spec.index);
    if (!store_) store_ = std::make_unique<engine::PodmanStore>(cell.ctx.run_id + "-" + key);
    if (!images_.count(tag)) images_[tag] = store_->Pull(cell.ctx.images, tag);
    return images_[tag];
  } catch (const std::exception& e) {
    cell.recorder.Fail(cell.rt.name + ": " + e.what());
    return "";
  }
}

engine::PodmanRunSpec EngineLauncher::Spec(const CellRun& cell, const Launch& launch,
                                           const std::string& image,
                                           std::vector<std::string> args) {
  engine::PodmanRunSpec s;
  s.name = launch.id;
  s.runtime = cell.rt.spec.binary.string();
  s.runtime_flags = RuntimeFlags(cell.rt.spec.global_args);
  s.runsc = cell.rt.info.kind == "runsc";
  s.image = image;
  s.args = std::move(args);
  s.cpus = cell.ctx.config.cpus;
  s.memory_bytes = cell.ctx.config.memory_bytes;
  s.cgroup_parent = launch.cgroup;
  s.network = ToPodman(launch.network);
  s.conmon_pidfile = store_->StateFile(launch.id + ".conmon.pid").string();
  s.cidfile = store_->StateFile(launch.id + ".cid").string();
  std::error_code ec;
  fs::remove(s.cidfile, ec);
  cgroups_.insert(launch.cgroup);
  return s;
}

// The bench image in one `podman run --rm`. Lifecycle: create, start and delete from podman's
// events; first output and total (podman's launch to its exit, --rm included) measured here.
void EngineLauncher::RunBench(CellRun& cell, const Launch& launch, const std::string& server) {
  const std::string image = Image(cell, cell.group.image);
  if (image.empty()) return;
  engine::PodmanRunSpec s = Spec(
      cell, launch, image, cell.BenchArgs(std::string(oci::kResultsPath) + "/out.json", server));
  // The probes' scratch as in the other kinds: rootfs = /tmp of the image (the store's vfs
  // copy); tmpfs and bind at /scratch.
  const ScratchKind scratch = cell.ctx.config.scratch;
  if (scratch == ScratchKind::kRootfs) {
    s.env = {"OCIBENCH_SCRATCH=/tmp", "OCIBENCH_SCRATCH_KIND=rootfs"};
  } else {
    s.env = {"OCIBENCH_SCRATCH=/scratch", "OCIBENCH_SCRATCH_KIND=" + ToString(scratch)};
    if (scratch == ScratchKind::kTmpfs) {
      s.tmpfs.push_back(oci::kScratchPath);
    } else {
      fs::create_directories(cell.work / "scratch");
      s.volumes.push_back((cell.work / "scratch").string() + ":" + oci::kScratchPath);
    }
  }
  s.volumes.push_back(cell.work.string() + ":" + oci::kResultsPath);
  std::unique_ptr<MemoryWatch> watch;
  if (launch.main) watch = std::make_unique<MemoryWatch>(cell, s);
  const process::TimedRunResult r = process::RunTimed(store_->RunArgv(s), {}, {}, cell.Remaining(),
                                                      *cell.ctx.stop, [&](pid_t pid) {
                                                        if (watch) watch->SetPodman(pid);
                                                      });
  watch.reset();
  cell.recorder.Log(r.output);
  if (r.stopped)
    cell.recorder.Pending();
  else if (r.timed_out)
    cell.recorder.Fail(CellStatus::kTimeout, cell.TimedOut(cell.rt.name));
  else if (!r.error.empty())
    cell.recorder.Fail(cell.rt.name + ": " + r.error);
  if (r.stopped || r.timed_out || r.signal) store_->Remove(launch.id);  // no --rm then
  if (launch.main) {
    Lifecycle l = FromEvents(*store_, launch.id);
    l.first_output_ms = r.first_output_ms;
    l.total_ms = r.total_ms;
    cell.recorder.SetLifecycle(l);
  }
}

std::unique_ptr<RunningServer> EngineLauncher::StartServer(CellRun& cell, const Launch& launch,
                                                           const ServerDescription& server) {
  const std::string image = Image(cell, server.image);
  if (image.empty()) return nullptr;
  std::vector<std::string> args(server.entrypoint.begin() + (server.entrypoint.empty() ? 0 : 1),
                                server.entrypoint.end());
  args.insert(args.end(), server.args.begin(), server.args.end());
  engine::PodmanRunSpec s = Spec(cell, launch, image, args);
  if (!server.entrypoint.empty()) s.entrypoint = server.entrypoint[0];
  // Read-only rootfs, a tmpfs at /scratch (nginx's temp paths), as the OCI bundles.
  s.read_only = true;
  s.tmpfs.push_back(std::string(oci::kScratchPath) + ":size=" + kServerTmpfsSize);
  for (const auto& b : server.binds)
    s.volumes.push_back(b.host.string() + ":" + b.container + ":ro");
  // Beside the work dir, not in it: a client container of the cell has the work dir at
  // /results (rw) and could leave a FIFO or a link where the harness reads the log back.
  const fs::path log = cell.work.parent_path() / (cell.tag + "-server.txt");
  try {
    std::unique_ptr<MemoryWatch> watch;
    if (launch.main) watch = std::make_unique<MemoryWatch>(cell, s);
    auto podman = std::make_unique<process::ChildProcess>(store_->RunArgv(s), log.string());
    return std::make_unique<EngineServer>(*store_, cell, server, launch.id, std::move(podman), log,
                                          std::move(watch));
  } catch (const std::exception& e) {
    cell.recorder.Fail(cell.rt.name + ": " + e.what());
    return nullptr;
  }
}

}  // namespace ocibench::run
