// containerd shim v2 runtimes through `ctr run` against the session's private containerd: one
// command creates, starts, waits and (--rm) deletes, so only the total and the workload's own
// stamp are timed; create/start/delete stay empty (never guessed).
#include <fmt/format.h>

#include <algorithm>

#include "harness/containerd/private_containerd.h"
#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/run/limit_cgroup.h"
#include "harness/startup/kinds.h"

namespace ocibench::startup {
namespace {

using Clock = std::chrono::steady_clock;

class ShimKept : public Kept {
 public:
  ShimKept(const containerd::PrivateContainerd& c, std::string id, double ms)
      : c_(c), id_(std::move(id)), ms_(ms) {}
  ~ShimKept() override { c_.RemoveContainer(id_); }
  std::vector<pid_t> RuntimePids() const override { return {}; }  // all in SharedPids
  double StartedMs() const override { return ms_; }

 private:
  const containerd::PrivateContainerd& c_;
  std::string id_;
  double ms_;
};

class ShimTarget : public StartupTarget {
 public:
  ShimTarget(const run::RuntimeEntry& e, Workload w, const TargetContext& ctx, int slot)
      : entry_(e), workload_(w), ctx_(ctx), slot_(slot) {}

  StartupSample Once(const std::string& id) override {
    StartupSample s;
    containerd::CtrRunSpec spec = Spec(id);
    int port = 0;
    if (workload_ == Workload::kRedis) {
      port = process::FreeLoopbackPort();
      spec.image_tag = "redis";
      spec.host_network = true;
      spec.args = {"/usr/bin/redis-server",
                   "/etc/redis/redis.conf",
                   "--port",
                   std::to_string(port),
                   "--bind",
                   "127.0.0.1"};
    }
    std::vector<std::string> argv = ctx_.containerd->RunArgv(spec);
    const auto t0 = Clock::now();
    const std::int64_t t0_real = RealtimeNs();
    if (workload_ == Workload::kBench) {
      const auto r = process::RunCommand(argv, process::WithTimeout(ctx_.command_timeout));
      s.exit_ms = s.total_ms = MsSince(t0);
      s.workload_ms = StampMs(r.out, t0_real);
      if (!r.ok()) {
        s.error = fmt::format("{} ctr run {}: {}", entry_.name, id,
                              r.timed_out ? "timed out" : r.LastLine());
        ctx_.containerd->RemoveContainer(id);
      } else if (s.workload_ms < 0) {
        s.error = fmt::format("{} {}: the workload printed no stamp (rebuild the images)",
                              entry_.name, id);
      }
      return s;
    }
    Detach(argv);
    const auto r = process::RunCommand(argv, process::WithTimeout(ctx_.command_timeout));
    if (!r.ok()) {
      s.error = fmt::format("{} ctr run -d {}: {}", entry_.name, id, r.LastLine());
    } else {
      s.workload_ms = WaitForPong(port, t0, kReadyTimeout);
      if (s.workload_ms < 0)
        s.error = fmt::format("{} {}: redis did not answer PING within {} s", entry_.name, id,
                              kReadyTimeout.count());
    }
    s.exit_ms = MsSince(t0);
    const auto t_del = Clock::now();
    ctx_.containerd->RemoveContainer(id);
    s.delete_ms = MsSince(t_del);
    s.total_ms = MsSince(t0);
    return s;
  }

  std::unique_ptr<Kept> StartIdle(const std::string& id) override {
    containerd::CtrRunSpec spec = Spec(id);
    spec.args = {"/ocibench-bench", "--ocibench_idle"};
    std::vector<std::string> argv = ctx_.containerd->RunArgv(spec);
    Detach(argv);
    const auto t0 = Clock::now();
    const auto r = process::RunCommand(argv, process::WithTimeout(ctx_.command_timeout));
    // Detached, the stamp goes to containerd's fifo: the time is `ctr run -d` returning (the
    // task started).
    const double ms = MsSince(t0);
    if (!r.ok()) {
      ctx_.containerd->RemoveContainer(id);
      throw std::runtime_error(fmt::format("{} ctr run -d {}: {}", entry_.name, id,
                                           r.timed_out ? "timed out" : r.LastLine()));
    }
    return std::make_unique<ShimKept>(*ctx_.containerd, id, ms);
  }

  std::vector<pid_t> SharedPids() const override {
    std::vector<pid_t> pids = ctx_.containerd->ShimPids();
    if (ctx_.containerd->pid() > 0) pids.push_back(ctx_.containerd->pid());
    return pids;
  }

 private:
  containerd::CtrRunSpec Spec(const std::string& id) const {
    containerd::CtrRunSpec spec;
    spec.shim = entry_.shim;
    spec.image_tag = "bench";
    spec.id = id;
    spec.args = {"/ocibench-bench", "--ocibench_stamp"};
    spec.cpus = ctx_.cpus;
    spec.memory_bytes = ctx_.memory_bytes;
    spec.cgroup = fmt::format("{}/{}/{}", run::kCgroupRoot, ctx_.run_id, id);
    return spec;
  }
  // `ctr run --rm` → `ctr run --detach` (ctr refuses both together).
  static void Detach(std::vector<std::string>& argv) {
    auto it = std::find(argv.begin(), argv.end(), "--rm");
    if (it != argv.end()) *it = "--detach";
  }

  run::RuntimeEntry entry_;
  Workload workload_;
  TargetContext ctx_;
  int slot_;
};

}  // namespace

std::unique_ptr<StartupTarget> MakeShimTarget(const run::RuntimeEntry& entry, Workload workload,
                                              const TargetContext& ctx, int slot) {
  return std::make_unique<ShimTarget>(entry, workload, ctx, slot);
}

}  // namespace ocibench::startup
