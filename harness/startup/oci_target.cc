// OCI command-line runtimes (runc, crun, runsc, youki): harness/oci's Container on a bundle made
// once per target (or per container for fresh-rootfs), create → start → workload → delete.
#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "harness/oci/bundle.h"
#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/process/proc.h"
#include "harness/run/cell.h"
#include "harness/run/limit_cgroup.h"
#include "harness/startup/kinds.h"

namespace ocibench::startup {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Every process whose command line names `id` (runsc's sandbox, gofer and ptrace stubs all get
// the bundle path or the id); runc and crun leave none once `create` has returned.
std::vector<pid_t> ProcessesNaming(const std::string& id) {
  std::vector<pid_t> out;
  for (pid_t p : process::ListPids()) {
    for (const auto& a : process::Cmdline(p)) {
      if (a.find(id) != std::string::npos) {
        out.push_back(p);
        break;
      }
    }
  }
  return out;
}

void WriteJson(const fs::path& p, const nlohmann::json& j) {
  std::ofstream out(p);
  out << j.dump(2);
  if (!out.flush()) throw std::runtime_error("cannot write " + p.string());
}

class OciKept : public Kept {
 public:
  OciKept(std::unique_ptr<oci::Container> c, fs::path bundle, double ms, std::string id)
      : c_(std::move(c)), bundle_(std::move(bundle)), ms_(ms), id_(std::move(id)) {}
  ~OciKept() override {
    c_->Kill(SIGKILL);
    c_->Wait(std::chrono::seconds(10));
    try {
      c_->Delete();
    } catch (...) {
      // The destructor of Container tries again; what is left is for `ocibench gc`.
    }
    c_.reset();
    std::error_code ec;
    fs::remove_all(bundle_, ec);
  }
  std::vector<pid_t> RuntimePids() const override { return ProcessesNaming(id_); }
  double StartedMs() const override { return ms_; }

 private:
  std::unique_ptr<oci::Container> c_;
  fs::path bundle_;
  double ms_;
  std::string id_;
};

class OciTarget : public StartupTarget {
 public:
  OciTarget(const run::RuntimeEntry& e, Workload w, Variant v, const TargetContext& ctx, int slot)
      : entry_(e), workload_(w), variant_(v), ctx_(ctx), slot_(slot) {
    spec_.image_layout = ctx.images;
    spec_.image_ref = w == Workload::kRedis ? "redis" : "bench";
    if (w == Workload::kRedis) {
      port_ = process::FreeLoopbackPort();
      // After the image's entrypoint (redis-server /etc/redis/redis.conf), as `ocibench run`.
      spec_.args = {"--port", std::to_string(port_), "--bind", "127.0.0.1"};
      spec_.network.mode = oci::NetworkMode::kHost;
    } else {
      spec_.args = {"--ocibench_stamp"};
    }
    spec_.cpus = ctx.cpus;
    spec_.memory_bytes = ctx.memory_bytes;
    spec_.cgroups_path = CgroupPath(fmt::format("{}-{}-{}", e.name, ToString(v), slot));
    if (v == Variant::kNoSeccomp) spec_.seccomp = false;
    if (v == Variant::kNoCgroup) {
      spec_.cgroups_path.clear();
      spec_.cpus.reset();
      spec_.memory_bytes.reset();
    }
    if (v == Variant::kHostNetwork) spec_.network.mode = oci::NetworkMode::kHost;
    if (v == Variant::kGivenBundle) {
      bundle_ = ctx.given_bundle;
    } else if (v != Variant::kFreshRootfs) {
      bundle_ = BundleDir(fmt::format("{}-{}-{}", e.name, ToString(v), slot));
      oci::RemoveBundle(bundle_);
      base_ = oci::MakeBundle(spec_, bundle_).config;
    }
  }
  ~OciTarget() override {
    std::error_code ec;
    if (variant_ != Variant::kGivenBundle && !bundle_.empty()) fs::remove_all(bundle_, ec);
  }

  StartupSample Once(const std::string& id) override {
    StartupSample s;
    fs::path bundle = bundle_;
    std::optional<fs::path> fresh;
    const auto t_bundle = Clock::now();
    try {
      if (variant_ == Variant::kFreshRootfs) {
        fresh = BundleDir(id);
        oci::MakeBundle(spec_, *fresh);
        bundle = *fresh;
        s.bundle_ms = MsSince(t_bundle);
      }
    } catch (const std::exception& e) {
      s.error = e.what();
      return s;
    }
    const auto t0 = Clock::now();
    const std::int64_t t0_real = RealtimeNs();
    {
      oci::RuntimeSpec rt = entry_.spec;
      rt.command_timeout = ctx_.command_timeout;
      std::unique_ptr<oci::Container> c;
      try {
        c = std::make_unique<oci::Container>(rt, id, bundle);
        c->Create();
        s.create_ms = c->timings().create_ms;
        c->Start();
        s.start_ms = c->timings().start_ms;
        if (workload_ == Workload::kBench) {
          const oci::ExitStatus st = c->Wait(ctx_.command_timeout);
          s.exit_ms = MsSince(t0);
          s.workload_ms = StampMs(c->Stdout(), t0_real);
          if (st.timed_out)
            s.error = fmt::format("{} {}: the workload did not exit within {} s", entry_.name, id,
                                  ctx_.command_timeout.count() / 1000);
          else if (st.code != 0 && st.code != -1)
            s.error = fmt::format("{} {}: the workload exited with code {}: {}", entry_.name, id,
                                  st.code, LastLineOf(c->Stderr()));
          else if (s.workload_ms < 0 && variant_ != Variant::kGivenBundle)
            s.error = fmt::format("{} {}: the workload printed no stamp (rebuild the images)",
                                  entry_.name, id);
        } else {
          const pid_t pid = c->Pid();
          s.workload_ms = WaitForPong(port_, t0, kReadyTimeout, [pid] {
            return pid <= 0 || ::kill(pid, 0) != 0 || process::IsZombie(pid);
          });
          if (s.workload_ms < 0)
            s.error = fmt::format("{} {}: redis did not answer PING (in {} s, or it exited): {}",
                                  entry_.name, id, kReadyTimeout.count(), LastLineOf(c->Stderr()));
          s.exit_ms = MsSince(t0);
          c->Kill(SIGTERM);
          c->Wait(std::chrono::seconds(10));
        }
        const auto t_del = Clock::now();
        c->Delete();
        s.delete_ms = MsSince(t_del);
      } catch (const std::exception& e) {
        s.error = e.what();
      }
      c.reset();  // kills and deletes what a failure left
    }
    s.total_ms = MsSince(t0);
    if (fresh) {
      std::error_code ec;
      fs::remove_all(*fresh, ec);
    }
    return s;
  }

  std::unique_ptr<Kept> StartIdle(const std::string& id) override {
    if (workload_ != Workload::kBench || base_.is_null())
      throw std::runtime_error(entry_.name + ": density runs the bench image, default bundle only");
    // A bundle of its own (config.json only) on the target's rootfs, read-only: the containers
    // share one copy of the image, as overlay snapshots do.
    const fs::path dir = BundleDir(id);
    fs::create_directories(dir);
    nlohmann::json config = base_;
    config["root"] = {{"path", (bundle_ / "rootfs").string()}, {"readonly", true}};
    config["process"]["args"] = {config["process"]["args"][0], "--ocibench_idle"};
    if (config["linux"].contains("cgroupsPath")) config["linux"]["cgroupsPath"] = CgroupPath(id);
    WriteJson(dir / "config.json", config);
    oci::RuntimeSpec rt = entry_.spec;
    rt.command_timeout = ctx_.command_timeout;
    const auto t0 = Clock::now();
    const std::int64_t t0_real = RealtimeNs();
    std::unique_ptr<oci::Container> c;
    try {
      c = std::make_unique<oci::Container>(rt, id, dir);
      c->Create();
      c->Start();
    } catch (...) {
      c.reset();  // kills and deletes a half-made container
      std::error_code ec;
      fs::remove_all(dir, ec);
      throw;
    }
    double ms = -1;
    while (ms < 0 && MsSince(t0) < 30000) {
      ms = StampMs(c->Stdout(), t0_real);
      if (ms < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    auto result = std::make_unique<OciKept>(std::move(c), dir, ms, id);
    if (ms < 0)
      throw std::runtime_error(
          fmt::format("{} {}: the idle workload printed no stamp within 30 s", entry_.name, id));
    return result;
  }

 private:
  std::string CgroupPath(const std::string& name) const {
    return fmt::format("{}/{}/{}", run::kCgroupRoot, ctx_.run_id, name);
  }
  fs::path BundleDir(const std::string& name) const {
    return fs::path(run::kBundleRoot) / ctx_.run_id / name;
  }
  static std::string LastLineOf(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text.substr(text.rfind('\n') + 1);
  }

  run::RuntimeEntry entry_;
  Workload workload_;
  Variant variant_;
  TargetContext ctx_;
  int slot_;
  int port_ = 0;
  oci::BundleSpec spec_;
  fs::path bundle_;
  nlohmann::json base_;
};

}  // namespace

std::unique_ptr<StartupTarget> MakeOciTarget(const run::RuntimeEntry& entry, Workload workload,
                                             Variant variant, const TargetContext& ctx, int slot) {
  return std::make_unique<OciTarget>(entry, workload, variant, ctx, slot);
}

}  // namespace ocibench::startup
