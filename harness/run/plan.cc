// ResolvePlan and the new run.json.
#include "harness/run/plan.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "harness/oci/bundle.h"
#include "harness/process/install_paths.h"
#include "harness/run/host_info.h"
#include "harness/run/matrix.h"
#include "harness/run/run_lease.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// The bench binary, and for container runtimes the image layout with every image the matrix
// will run (bench; redis / nginx where the placement puts the server in the runtime).
void CheckPaths(const RunPlan& plan) {
  const RunConfig& c = plan.config;
  if (::access(c.bench.c_str(), X_OK) != 0)
    throw ConfigError("no ocibench-bench at " + c.bench.string() +
                      " (build it with scripts/build, or pass --bench PATH)");
  const bool containers = std::any_of(plan.runtimes.begin(), plan.runtimes.end(),
                                      [](const auto& r) { return r.kind != RuntimeKind::kNative; });
  if (!containers) return;
  if (!fs::exists(c.images / "index.json"))
    throw ConfigError(
        "no OCI image layout at " + c.images.string() +
        " (build it with `cmake --build build --target images`, or pass --images DIR)");
  std::vector<std::string> images = {"bench"};
  const bool server_in_runtime = TermOf(c.placement).server == Side::kRuntime;
  for (const auto& g : plan.groups)
    if (std::find(images.begin(), images.end(), g.image) == images.end()) images.push_back(g.image);
  for (const auto& g : plan.groups)
    if (server_in_runtime && g.server != Server::kNone)
      images.push_back(std::string(ServerImage(g.server)));
  for (const auto& image : images) {
    try {
      oci::ReadImageConfig(c.images, image, oci::HostArch());
    } catch (const std::exception& e) {
      throw ConfigError(std::string(e.what()) +
                        "; rebuild the images with `cmake --build build --target images`");
    }
  }
}

}  // namespace

RunPlan ResolvePlan(RunConfig c, bool resumed) {
  if (c.seed == 0) c.seed = static_cast<std::uint64_t>(std::time(nullptr));
  if (!std::isfinite(c.cpus) || c.cpus <= 0)
    throw ConfigError(fmt::format("cpus {}: must be a positive number", c.cpus));
  // Below this nothing runs: the bench binary, a server or runsc's sandbox is killed at start.
  constexpr std::uint64_t kMinMemory = std::uint64_t{64} << 20;
  if (c.memory_bytes < kMinMemory)
    throw ConfigError(fmt::format("memory {} bytes: must be at least 64MiB", c.memory_bytes));
  // Defaults: the build tree's files, or the installed package's (/usr/libexec/ocibench, …).
  const process::InstallPaths installed = process::SelfInstallPaths();
  if (c.images.empty()) c.images = installed.images;
  if (c.bench.empty()) c.bench = installed.bench;
  c.images = fs::weakly_canonical(c.images);
  c.bench = fs::weakly_canonical(c.bench);
  if (!resumed) {
    c.cpus = std::min(c.cpus, static_cast<double>(HostCpus()));
    c.memory_bytes = std::min(c.memory_bytes, HostMemBytes());
  }
  RunPlan plan;
  plan.groups = ResolveGroups(c);
  plan.runtimes = SelectRuntimes(c);
  plan.config = std::move(c);
  CheckPaths(plan);
  return plan;
}

nlohmann::json NewRunDocument(const RunPlan& plan) {
  const RunConfig& c = plan.config;
  nlohmann::json run;
  run["format"] = 1;
  run["id"] = NewRunId();
  run["ocibench_version"] = OCIBENCH_VERSION;
  run["started"] = UtcNow();
  run["finished"] = nullptr;
  run["seed"] = c.seed;
  run["repetitions"] = c.repetitions;
  run["limits"] = {{"cpus", c.cpus}, {"memory_bytes", c.memory_bytes}};
  run["host"] = HostInfo();
  run["config"] = ToJson(c);
  run["runtimes"] = nlohmann::json::array();
  for (const auto& r : plan.runtimes) run["runtimes"].push_back(ToJson(r));
  run["images"] = nlohmann::json::object();
  for (const char* image : {"bench", "redis", "nginx", "apps"}) {
    try {
      const auto ic = oci::ReadImageConfig(c.images, image, oci::HostArch());
      run["images"][image] = {{"ref", c.images.string() + ":" + image},
                              {"digest", ic.manifest_digest},
                              {"arch", ic.arch}};
    } catch (const std::exception&) {
    }
  }
  run["groups"] = nlohmann::json::array();
  std::vector<std::string> rnames, gnames;
  for (const auto& g : plan.groups) run["groups"].push_back(g.name), gnames.push_back(g.name);
  for (const auto& r : plan.runtimes) rnames.push_back(r.name);
  run["cells"] = nlohmann::json::array();
  for (const auto& cell : BuildCells(rnames, gnames, c.repetitions, c.seed))
    run["cells"].push_back({{"index", cell.index},
                            {"runtime", cell.runtime},
                            {"group", cell.group},
                            {"repetition", cell.repetition},
                            {"status", Name(CellStatus::kPending)},
                            {"error", nullptr},
                            {"file", nullptr},
                            {"started", nullptr},
                            {"duration_s", nullptr},
                            {"placement", nullptr},
                            {"scratch", nullptr}});
  return run;
}

}  // namespace ocibench::run
