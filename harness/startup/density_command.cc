// `ocibench density`: how many idle containers fit and what each costs in memory
// (docs/startup.md).
#include <fmt/format.h>

#include <iostream>

#include "harness/command.h"
#include "harness/run/results_dir.h"
#include "harness/startup/common_flags.h"
#include "harness/startup/density_run.h"

namespace ocibench::startup {
namespace {

struct Flags {
  CommonFlags common;
  std::string counts = "1,10,50,100", floor;
  bool no_drop_caches = false;
};

std::function<int()> Setup(CLI::App& sub) {
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, f->common);
  sub.add_option("--counts", f->counts, "containers kept at once, comma list (1,10,50,100)");
  sub.add_option("--floor", f->floor,
                 "MemAvailable never goes under this, e.g. 2GiB (default max(1GiB, 10% of RAM))");
  sub.add_flag("--no-drop-caches", f->no_drop_caches,
               "do not drop the page cache before reading MemAvailable");
  return [f]() -> int {
    std::unique_ptr<Session> session;
    DensityOptions options;
    try {
      options.counts = ParseCounts("--counts", f->counts, 10000);
      if (options.counts.empty()) throw run::ConfigError("--counts: give at least one count");
      if (!f->floor.empty()) options.floor_bytes = run::ParseBytes(f->floor);
      options.drop_caches = !f->no_drop_caches;
      SessionOptions so;
      so.command = "density";
      so.config = ToRunConfig(f->common);
      so.out = f->common.out;
      so.quiet = f->common.quiet;
      so.settings = {{"counts", f->counts},
                     {"floor_bytes", options.floor_bytes ? options.floor_bytes : DefaultFloor()},
                     {"drop_caches", options.drop_caches}};
      session = std::make_unique<Session>(so);
    } catch (const std::exception& e) {
      std::cerr << "ocibench density: " << e.what() << "\n";
      return cli::kExitUsage;
    }
    const DensityOutcome out = RunDensity(*session, options);
    const nlohmann::json outcome = {
        {"results", session->dir().string()}, {"complete", out.complete}, {"failed", out.failed}};
    session->Finish(out.complete, outcome);
    if (f->common.json) std::cout << run::JsonText(outcome);
    session.reset();
    if (!out.complete) return 130;
    return out.failed ? cli::kExitFailure : cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::startup

OCIBENCH_COMMAND(density,
                 "Density: N idle containers per runtime kept at once, memory per container and "
                 "the runtime's own PSS, stopped above a MemAvailable floor",
                 ocibench::startup::Setup);
