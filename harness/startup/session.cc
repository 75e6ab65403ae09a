// Session: the results directory, lease, signals and containerd of a startup/density command.
#include "harness/startup/session.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "harness/containerd/private_containerd.h"
#include "harness/oci/bundle.h"
#include "harness/process/atomic_file.h"
#include "harness/run/cell.h"
#include "harness/run/host_info.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/plan.h"
#include "harness/run/results_dir.h"
#include "harness/run/run_lease.h"

namespace ocibench::startup {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

}  // namespace

bool Session::Stopped() { return g_stop.load(); }
const std::atomic<bool>& Session::StopFlag() { return g_stop; }

std::string ContainerId(const TargetContext& ctx, const std::string& runtime,
                        const std::string& tag) {
  return fmt::format("ocibench-{}-{}-{}", ctx.run_id, runtime, tag);
}

Session::Session(SessionOptions options) : options_(std::move(options)) {
  run::RunConfig c = options_.config;
  // No matrix: the plan only resolves runtimes, limits and paths (one group, whose image is
  // the bench image, to have them checked), then the groups are dropped again.
  c.groups = {"lzma"};
  run::RunPlan plan = run::ResolvePlan(c, false);
  plan.groups.clear();
  for (const auto& image : options_.images) {
    if (image == "bench") continue;  // ResolvePlan checked it
    try {
      oci::ReadImageConfig(plan.config.images, image, oci::HostArch());
    } catch (const std::exception& e) {
      throw run::ConfigError(std::string(e.what()) +
                             "; rebuild the images with `cmake --build build --target images`");
    }
  }
  runtimes_ = plan.runtimes;
  nlohmann::json doc = run::NewRunDocument(plan);
  doc["config"]["groups"] = nlohmann::json::array();
  doc["command"] = options_.command;
  doc["settings"] = options_.settings;
  fs::path dir = options_.out;
  if (dir.empty())
    dir = plan.config.results_root / fmt::format("{}-{}-{}", run::UtcNow("%Y%m%dT%H%M%SZ"),
                                                 doc["host"].value("hostname", "host"),
                                                 options_.command);
  std::error_code ec;
  if (fs::exists(dir / "run.json", ec))
    throw run::ConfigError(dir.string() + " already holds a run (choose another --out)");
  fs::create_directories(dir, ec);
  if (ec) throw run::ConfigError("cannot create " + dir.string() + ": " + ec.message());
  lease_ = std::make_unique<run::RunLease>(dir, doc["id"].get<std::string>());
  results_ = std::make_unique<run::ResultsDir>(run::ResultsDir::Create(dir, std::move(doc)));

  ctx_.run_id = results_->Run()["id"].get<std::string>();
  ctx_.images = plan.config.images;
  ctx_.bench = plan.config.bench;
  ctx_.cpus = plan.config.cpus;
  ctx_.memory_bytes = plan.config.memory_bytes;
  ctx_.command_timeout = std::chrono::seconds(plan.config.timeout_s);
  ctx_.work = dir / ".work";
  fs::create_directories(ctx_.work);

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);

  if (std::any_of(runtimes_.begin(), runtimes_.end(),
                  [](const auto& r) { return r.kind == RuntimeKind::kShim; })) {
    Progress("ocibench " + options_.command + ": starting a private containerd");
    try {
      containerd_ = std::make_unique<containerd::PrivateContainerd>(ctx_.run_id);
      containerd_->Import(ctx_.images);
      ctx_.containerd = containerd_.get();
    } catch (const std::exception& e) {
      ctx_.containerd_error = e.what();
      Log(std::string("[containerd] ") + e.what());
      containerd_.reset();
    }
  }
  Progress("ocibench " + options_.command + ": results in " + results_->dir().string());
}

Session::~Session() {
  containerd_.reset();
  std::error_code ec;
  fs::remove_all(ctx_.work, ec);
  fs::remove_all(fs::path(run::kBundleRoot) / ctx_.run_id, ec);
  for (const auto& root : run::RunCgroupRoots()) ::rmdir((root / ctx_.run_id).c_str());
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

const fs::path& Session::dir() const { return results_->dir(); }

void Session::AppendCsv(const std::string& name, const std::string& header,
                        const std::string& rows) {
  std::lock_guard lock(mu_);
  std::string& text = csv_[name];
  if (text.empty()) text = header;
  text += rows;
  process::WriteFileAtomic(results_->dir() / name, text);
}

void Session::Log(const std::string& line) {
  results_->Log(line);
  if (!options_.quiet) std::cerr << "ocibench " << options_.command << ": " << line << "\n";
}

void Session::Progress(const std::string& line) {
  if (!options_.quiet) std::cerr << line << "\n";
}

void Session::Finish(bool complete, const nlohmann::json& outcome) {
  results_->Update([&](nlohmann::json& r) {
    if (complete) r["finished"] = run::UtcNow();
    r["outcome"] = outcome;
  });
}

}  // namespace ocibench::startup
