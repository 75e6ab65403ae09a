// --verify in a containerd shim v2 runtime (containerd-runc): `ctr run --rm --rootfs DIR` against
// the private containerd of this --verify (containerd/), DIR an empty read-only root holding the
// host's top-level symlinks, the host's directories bind-mounted read-only as in the host bundle
// (host_bundle.h). ctr creates, starts, waits and deletes in one command, so a run's time is
// ctr's whole life: the /bin/true or --units difference takes the start-up out.
#include <fmt/format.h>

#include <mutex>

#include "harness/containerd/ctr_args.h"
#include "harness/containerd/private_containerd.h"
#include "harness/process/timed_run.h"
#include "harness/run/limit_cgroup.h"
#include "harness/verify/target.h"

namespace ocibench::verify {
namespace {
namespace fs = std::filesystem;

class ShimTarget : public Target {
 public:
  ShimTarget(const run::RuntimeEntry& e, const TargetContext& ctx) : entry_(e), ctx_(ctx) {
    rootfs_ = ctx.bundles / (entry_.name + "-rootfs");
    std::error_code ec;
    fs::create_directories(rootfs_, ec);
    for (const auto& [name, target] : ctx.tree.symlinks)
      fs::create_symlink(target, rootfs_ / name, ec);
    for (const auto& b : ctx.tree.binds)
      fs::create_directories(rootfs_ / b.container.substr(1), ec);
    for (const char* d : {"proc", "dev", "sys", "run", "tmp"})
      fs::create_directories(rootfs_ / d, ec);
  }
  const std::string& name() const override { return entry_.name; }

  TimedRun Run(const std::vector<std::string>& argv, const std::string& program) override {
    TimedRun t;
    if (!ctx_.containerd) {
      t.error = entry_.name + ": no private containerd was started";
      return t;
    }
    containerd::CtrRunSpec s;
    s.shim = entry_.shim;
    s.id = fmt::format("{}-{}-{:05d}", ctx_.id, entry_.name, ++count_);
    s.args = argv;
    s.cgroup = fmt::format("{}/{}/{}", run::kCgroupRoot, ctx_.id, s.id);
    s.env = ctx_.env;
    s.rootfs = rootfs_.string();
    s.cwd = ctx_.cwd.string();
    for (const auto& b : ctx_.tree.binds)
      s.mounts.push_back(containerd::CtrBind(b.host, b.container, true));
    s.mounts.push_back(containerd::CtrTmpfs("/tmp"));
    const process::TimedRunResult r =
        process::RunTimed(ctx_.containerd->RunArgv(s), {}, {}, ctx_.timeout, *ctx_.stop);
    t.seconds = r.total_ms / 1e3;
    t.stopped = r.stopped;
    t.error = DescribeTimedRun(entry_.name + " " + program, r, ctx_.timeout,
                               containerd::CtrError(r.output, LastLineOf(r.output)));
    if (r.stopped || r.timed_out || r.signal) ctx_.containerd->RemoveContainer(s.id);  // no --rm
    run::RemoveCgroupPath(s.cgroup);
    return t;
  }

 private:
  run::RuntimeEntry entry_;
  TargetContext ctx_;
  fs::path rootfs_;
  int count_ = 0;
};

}  // namespace

std::unique_ptr<Target> MakeShimTarget(const run::RuntimeEntry& entry, const TargetContext& ctx) {
  return std::make_unique<ShimTarget>(entry, ctx);
}

}  // namespace ocibench::verify
