// OciLauncher: bundles, containers, their exit, memory sampling and timings.
#include "harness/run/oci_launcher.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/oci/bundle.h"
#include "harness/process/exit_description.h"
#include "harness/run/cell.h"
#include "harness/run/native_launcher.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// A bundle directory of the cell, removed when the guard goes.
struct BundleDir {
  fs::path dir;
  explicit BundleDir(fs::path d) : dir(std::move(d)) {
    fs::create_directories(dir.parent_path());
    oci::RemoveBundle(dir);
  }
  ~BundleDir() { oci::RemoveBundle(dir); }
};

fs::path BundlePath(const CellRun& cell, const std::string& suffix) {
  return fs::path(kBundleRoot) / cell.ctx.run_id /
         ("cell-" + std::to_string(cell.spec.index) + suffix);
}

oci::Network ToOci(const NetworkChoice& n) {
  switch (n.kind) {
    case NetworkChoice::Kind::kHost:
      return {oci::NetworkMode::kHost, {}};
    case NetworkChoice::Kind::kNetns:
      return {oci::NetworkMode::kNetns, n.netns};
    case NetworkChoice::Kind::kDefault:
      break;
  }
  return {};
}

oci::BundleSpec Bundle(const CellRun& cell, const Launch& launch, const std::string& image,
                       std::vector<std::string> args) {
  oci::BundleSpec b;
  b.image_layout = cell.ctx.images;
  b.image_ref = image;
  b.args = std::move(args);
  b.cpus = cell.ctx.config.cpus;
  b.memory_bytes = cell.ctx.config.memory_bytes;
  b.cgroups_path = launch.cgroup;
  b.network = ToOci(launch.network);
  b.seccomp_profile = cell.rt.seccomp;  // resolved (or refused, failing the cell) by MakeBundle
  b.scratch.kind = cell.ctx.config.scratch;
  if (b.scratch.kind == ScratchKind::kBind) {
    fs::create_directories(cell.work / "scratch");
    b.scratch.host_dir = cell.work / "scratch";
  }
  return b;
}

// The last non-empty line of a stream (what a one-line error quotes).
std::string LastLine(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);
}

// The cell's runtime with every command limited to what is left of the cell's timeout.
oci::RuntimeSpec WithinCell(const CellRun& cell) {
  oci::RuntimeSpec spec = cell.rt.spec;
  spec.command_timeout = cell.Remaining();
  return spec;
}

// A runtime command that failed; one that ran past the cell's timeout is a timeout.
void RecordRuntimeError(CellRun& cell, const oci::RuntimeError& e) {
  cell.recorder.Fail(e.timed_out ? CellStatus::kTimeout : CellStatus::kFailed, e.what());
}

Lifecycle FromTimings(const oci::Timings& t) {
  return {t.create_ms, t.start_ms, t.first_output_ms, t.total_ms, t.delete_ms};
}

// The main workload's memory: its container's cgroup; for runc/crun its process is the
// workload, not the runtime (for runsc it is the sandbox: the runtime).
void SampleMain(CellRun& cell, const oci::Container& c) {
  cell.sampler->SetCgroupFile(c.CgroupDir("memory") /
                              (oci::DetectCgroupMode() == oci::CgroupMode::kUnified
                                   ? "memory.current"
                                   : "memory.usage_in_bytes"));
  if (cell.rt.info.kind != "runsc") cell.sampler->ExcludeTree(c.Pid());
}

// A server container: SIGTERM, up to 10 s, delete on Stop().
class OciServer : public RunningServer {
 public:
  OciServer(OciLauncher& l, CellRun& cell, ServerDescription d, std::unique_ptr<BundleDir> b,
            std::unique_ptr<oci::Container> c)
      : launcher_(l), cell_(cell), d_(std::move(d)), bundle_(std::move(b)), c_(std::move(c)) {}
  ~OciServer() override { Stop(); }
  const ServerDescription& description() const override { return d_; }
  std::string Gone() override { return ""; }
  void Stop() override {
    if (!c_) return;
    c_->SetCommandTimeout(CellRun::kCleanupTimeout);
    c_->Kill(SIGTERM);
    c_->Wait(std::chrono::seconds(10));
    try {
      c_->Delete();
    } catch (const std::exception& e) {
      cell_.recorder.Log(std::string(e.what()) + "\n");
    }
    launcher_.Untrack(c_.get());
    cell_.recorder.Log(c_->Stderr());
    lifecycle_ = FromTimings(c_->timings());
    c_.reset();
    bundle_.reset();
  }
  Lifecycle lifecycle() const override { return lifecycle_; }

 private:
  OciLauncher& launcher_;
  CellRun& cell_;
  ServerDescription d_;
  std::unique_ptr<BundleDir> bundle_;
  std::unique_ptr<oci::Container> c_;
  Lifecycle lifecycle_;
};

}  // namespace

std::string OciLauncher::ScratchFsType(const CellRun& cell) const {
  // The rootfs copy and a bind scratch dir live under kBundleRoot.
  return cell.ctx.config.scratch == ScratchKind::kTmpfs ? "tmpfs" : FsType(kBundleRoot);
}

void OciLauncher::Track(oci::Container* c) {
  std::lock_guard l(mu_);
  live_.push_back(c);
}

void OciLauncher::Untrack(oci::Container* c) {
  std::lock_guard l(mu_);
  std::erase(live_, c);
}

void OciLauncher::Interrupt() {
  std::lock_guard l(mu_);
  for (oci::Container* c : live_) c->Kill(SIGKILL);
  live_.clear();
}

void OciLauncher::RunBench(CellRun& cell, const Launch& launch, const std::string& server) {
  oci::BundleSpec spec =
      Bundle(cell, launch, cell.group.image,
             cell.BenchArgs(std::string(oci::kResultsPath) + "/out.json", server));
  spec.results_dir = cell.work;
  BundleDir bundle(BundlePath(cell, ""));
  try {
    oci::MakeBundle(spec, bundle.dir);
  } catch (const std::exception& e) {
    return cell.recorder.Fail(e.what());
  }
  oci::ContainerIo io;
  io.stdout_path = cell.work / "stdout.txt";
  io.stderr_path = cell.work / "stderr.txt";
  oci::Container c(WithinCell(cell), launch.id, bundle.dir, io);
  try {
    c.Create();
    Track(&c);
    c.SetCommandTimeout(cell.Remaining());
    c.Start();
    if (launch.main) SampleMain(cell, c);
    const oci::ExitStatus st = c.Wait(cell.Remaining());
    if (cell.stopping()) {
      cell.recorder.Pending();
    } else {
      process::ProcessEnd end;
      end.exit_code = st.code;
      end.signal = st.signal;
      if (st.code > 0) end.detail = LastLine(c.Stderr());
      if (st.timed_out)
        cell.recorder.Fail(CellStatus::kTimeout, cell.TimedOut(cell.rt.name));
      else if (const std::string why = process::DescribeEnd(cell.rt.name, end); !why.empty())
        cell.recorder.Fail(why);
    }
    c.SetCommandTimeout(CellRun::kCleanupTimeout);
    c.Delete();
  } catch (const oci::RuntimeError& e) {
    RecordRuntimeError(cell, e);
  }
  c.SetCommandTimeout(CellRun::kCleanupTimeout);  // the destructor's kill and delete
  Untrack(&c);
  cell.recorder.Log(c.Stderr());
  if (launch.main) cell.recorder.SetLifecycle(FromTimings(c.timings()));
}

std::unique_ptr<RunningServer> OciLauncher::StartServer(CellRun& cell, const Launch& launch,
                                                        const ServerDescription& server) {
  // Read-only rootfs, a tmpfs at /scratch (nginx's temp paths), the runtime's limits.
  oci::BundleSpec spec = Bundle(cell, launch, server.image, server.args);
  spec.scratch = {ScratchKind::kTmpfs, {}, kServerTmpfsSize};
  spec.binds = server.binds;
  auto bundle = std::make_unique<BundleDir>(BundlePath(cell, "-server"));
  std::unique_ptr<oci::Container> c;
  try {
    oci::MakeBundle(spec, bundle->dir);
    oci::ContainerIo io;
    io.stderr_path = cell.work / "server-stderr.txt";
    // runsc resolves ids by prefix: the client's and the server's differ in a suffix.
    c = std::make_unique<oci::Container>(WithinCell(cell), launch.id, bundle->dir, io);
    c->Create();
    Track(c.get());
    c->SetCommandTimeout(cell.Remaining());
    c->Start();
    if (launch.main) SampleMain(cell, *c);
  } catch (const oci::RuntimeError& e) {
    RecordRuntimeError(cell, e);
  } catch (const std::exception& e) {
    cell.recorder.Fail(e.what());
  }
  if (cell.recorder.failed()) {
    if (c) {
      c->SetCommandTimeout(CellRun::kCleanupTimeout);
      Untrack(c.get());
      cell.recorder.Log(c->Stderr());
    }
    return nullptr;  // the container's destructor kills and deletes it
  }
  return std::make_unique<OciServer>(*this, cell, server, std::move(bundle), std::move(c));
}

}  // namespace ocibench::run
