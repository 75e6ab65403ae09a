// NativeLauncher: RunTimed in a LimitCgroup; RedisServer / NginxServer.
#include "harness/run/native_launcher.h"

#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include "harness/process/timed_run.h"
#include "harness/run/cell.h"
#include "harness/run/limit_cgroup.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// A native redis-server or nginx (ready when constructed).
template <class S>
class NativeServer : public RunningServer {
 public:
  NativeServer(std::unique_ptr<S> s, ServerDescription d) : server_(std::move(s)), d_(d) {
    d_.ip = server_->host();
    d_.port = server_->port();
  }
  const ServerDescription& description() const override { return d_; }
  bool Ready() override { return true; }  // the constructor waited until it answered
  std::vector<pid_t> HostPids() const override { return {server_->pid()}; }
  std::string Gone() override { return ""; }
  void Stop() override { server_.reset(); }
  Lifecycle lifecycle() const override { return {}; }

 private:
  std::unique_ptr<S> server_;
  ServerDescription d_;
};

}  // namespace

std::string FsType(const fs::path& p) {
  struct statfs s {};
  if (::statfs(p.c_str(), &s) != 0) return "";
  switch (static_cast<unsigned long>(s.f_type)) {
    case EXT4_SUPER_MAGIC:
      return "ext4";
    case TMPFS_MAGIC:
      return "tmpfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlay";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    default:
      return fmt::format("0x{:x}", static_cast<unsigned long>(s.f_type));
  }
}

std::string NativeLauncher::ScratchFsType(const CellRun& cell) const { return FsType(cell.work); }

void NativeLauncher::RunBench(CellRun& cell, const Launch& launch, const std::string& server) {
  const RunConfig& config = cell.ctx.config;
  LimitCgroup cg(launch.cgroup, config.cpus, config.memory_bytes);
  if (launch.main) cell.sampler->SetCgroupFile(cg.memory_usage_file());
  fs::create_directories(cell.work / "scratch");
  std::vector<std::string> argv = {cell.ctx.bench.string()};
  for (auto& a : cell.BenchArgs((cell.work / "out.json").string(), server)) argv.push_back(a);
  const std::vector<std::string> env = {"OCIBENCH_SCRATCH=" + (cell.work / "scratch").string(),
                                        "OCIBENCH_SCRATCH_KIND=rootfs"};
  const process::TimedRunResult r =
      process::RunTimed(argv, cg.procs_files(), env, cell.Remaining(), *cell.ctx.stop,
                        [&](pid_t pid) { cell.sampler->ExcludeTree(pid); });
  cell.recorder.Log(r.output);
  if (r.stopped)
    cell.recorder.Pending();
  else if (r.timed_out)
    cell.recorder.Fail(CellStatus::kTimeout, cell.TimedOut(cell.ctx.bench.filename().string()));
  else if (!r.error.empty())
    cell.recorder.Fail(r.error);
  if (launch.main) {
    Lifecycle l;
    l.first_output_ms = r.first_output_ms;
    l.total_ms = r.total_ms;
    cell.recorder.SetLifecycle(l);
  }
}

std::unique_ptr<RunningServer> NativeLauncher::StartServer(CellRun& cell, const Launch&,
                                                           const ServerDescription& server) {
  ServerDescription d = server;
  try {
    if (server.server == Server::kRedis) {
      d.what = "Redis server";
      servers::RedisServerOptions options;
      if (!d.password.empty()) options.extra_args = {"--include", d.auth_conf.string()};
      return std::make_unique<NativeServer<servers::RedisServer>>(
          std::make_unique<servers::RedisServer>(options), d);
    }
    d.what = "nginx";
    return std::make_unique<NativeServer<servers::NginxServer>>(
        std::make_unique<servers::NginxServer>(
            servers::NginxServerOptions{HttpFiles(cell.ctx.config.preset)}),
        d);
  } catch (const std::exception& e) {
    cell.recorder.Fail(e.what());
    return nullptr;
  }
}

}  // namespace ocibench::run
