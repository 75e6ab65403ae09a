// --verify in an OCI command-line runtime (runc, crun, runsc): harness/oci's Container over a
// host bundle (host_bundle.h) per run, with the runtime entry's flags (runsc's platform, crun's
// private cgroup2 mount on this hybrid host), its seccomp profile and run/'s state root, so
// `ocibench gc` finds what a killed --verify left.
#include <fmt/format.h>

#include <mutex>

#include "harness/oci/runtime.h"
#include "harness/process/exit_description.h"
#include "harness/run/limit_cgroup.h"
#include "harness/verify/target.h"

namespace ocibench::verify {
namespace {
namespace fs = std::filesystem;

class OciTarget : public Target {
 public:
  OciTarget(const run::RuntimeEntry& e, const TargetContext& ctx) : entry_(e), ctx_(ctx) {}
  const std::string& name() const override { return entry_.name; }

  TimedRun Run(const std::vector<std::string>& argv, const std::string& program) override {
    TimedRun t;
    // Zero-padded: runsc resolves ids by prefix, so no id may be another's prefix.
    const std::string id = fmt::format("{}-{}-{:05d}", ctx_.id, entry_.name, ++count_);
    const fs::path dir = ctx_.bundles / id;
    HostBundleSpec spec;
    spec.argv = argv;
    spec.env = ctx_.env;
    spec.cwd = ctx_.cwd;
    spec.cgroups_path = fmt::format("{}/{}/{}", run::kCgroupRoot, ctx_.id, id);
    spec.seccomp_profile = entry_.seccomp;
    try {
      MakeHostBundle(spec, dir, ctx_.tree);
      oci::RuntimeSpec rt = entry_.spec;
      rt.command_timeout = std::chrono::seconds(60);
      oci::ContainerIo io;
      io.max_kept_bytes = 64 << 10;  // only the last line of stderr is quoted
      oci::Container c(rt, id, dir, io);
      Live live(*this, &c);
      try {
        c.Create();
        c.Start();
        const oci::ExitStatus st = c.Wait(ctx_.timeout);
        const oci::Timings& tm = c.timings();
        t.seconds = (tm.total_ms - tm.create_ms) / 1e3;
        t.stopped = ctx_.stop->load();
        process::ProcessEnd end;
        end.exit_code = st.code;
        end.signal = st.signal;
        end.stopped = t.stopped;
        if (st.timed_out) end.timed_out_after_s = static_cast<int>(ctx_.timeout.count());
        if (st.code > 0 || st.signal) end.detail = LastLineOf(c.Stderr());
        t.error = process::DescribeEnd(entry_.name + " " + program, end);
        c.SetCommandTimeout(std::chrono::seconds(30));
        c.Delete();
      } catch (const oci::RuntimeError& e) {
        t.error = e.what();
        t.stopped = ctx_.stop->load();
      }
    } catch (const std::exception& e) {  // the bundle
      t.error = e.what();
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return t;
  }

  // The container Interrupt() kills, for the life of one run.
  struct Live {
    Live(OciTarget& t, oci::Container* c) : t(t) { Set(c); }
    ~Live() { Set(nullptr); }
    void Set(oci::Container* c) {
      std::lock_guard l(t.mu_);
      t.live_ = c;
    }
    OciTarget& t;
  };

  void Interrupt() override {
    std::lock_guard l(mu_);
    if (live_) live_->Kill(SIGKILL);
  }

 private:
  run::RuntimeEntry entry_;
  TargetContext ctx_;
  int count_ = 0;
  std::mutex mu_;
  oci::Container* live_ = nullptr;
};

}  // namespace

std::unique_ptr<Target> MakeOciTarget(const run::RuntimeEntry& entry, const TargetContext& ctx) {
  return std::make_unique<OciTarget>(entry, ctx);
}

}  // namespace ocibench::verify
