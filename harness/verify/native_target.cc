// --verify's native side: the command on the host, timed by process/'s RunTimed (its own process
// group, a timeout, Ctrl-C honoured), as `ocibench run` times native cells, in a cgroup beside
// the containers' (/ocibench-run/<id>/native): on a busy host a process in a nested cgroup gets
// its group's share of the CPU, not a task's — measured here with other builds running, `find`
// took 0.06–0.09 s in the root cgroup and 0.16–0.35 s in /ocibench-run/…, in the same bundle —
// so native and the containers must sit at the same depth for the ratio to mean anything.
#include <fmt/format.h>
#include <unistd.h>

#include <thread>

#include "harness/process/exit_description.h"
#include "harness/process/timed_run.h"
#include "harness/run/limit_cgroup.h"
#include "harness/verify/target.h"

namespace ocibench::verify {

std::string LastLineOf(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);
}

std::string DescribeTimedRun(const std::string& who, const process::TimedRunResult& r,
                             std::chrono::seconds timeout, const std::string& detail) {
  if (r.error.empty()) return "";
  process::ProcessEnd end;
  end.started = r.started;
  end.start_error = r.started ? "" : r.error;
  end.exit_code = r.exit_code;
  end.signal = r.signal;
  end.stopped = r.stopped;
  if (r.timed_out) end.timed_out_after_s = static_cast<int>(timeout.count());
  end.detail = detail.empty() ? LastLineOf(r.output) : detail;
  return process::DescribeEnd(who, end);
}

namespace {

class NativeTarget : public Target {
 public:
  // No limit in effect (the containers have none): every CPU, all of the memory.
  explicit NativeTarget(const TargetContext& ctx)
      : ctx_(ctx),
        cgroup_(fmt::format("{}/{}/native", run::kCgroupRoot, ctx.id),
                std::max(1u, std::thread::hardware_concurrency()),
                static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                    static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE))) {}
  const std::string& name() const override { return name_; }
  TimedRun Run(const std::vector<std::string>& argv, const std::string& program) override {
    const process::TimedRunResult r =
        process::RunTimed(argv, cgroup_.procs_files(), {}, ctx_.timeout, *ctx_.stop);
    return {r.total_ms / 1e3, DescribeTimedRun("native " + program, r, ctx_.timeout), r.stopped};
  }

 private:
  TargetContext ctx_;
  run::LimitCgroup cgroup_;
  std::string name_ = "native";
};

}  // namespace

std::unique_ptr<Target> MakeNativeTarget(const TargetContext& ctx) {
  return std::make_unique<NativeTarget>(ctx);
}

}  // namespace ocibench::verify
