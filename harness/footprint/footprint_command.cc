// `ocibench footprint [RUNTIME…]`: install size, dependencies, helpers and host features.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "harness/command.h"
#include "harness/footprint/runtime_footprint.h"

namespace ocibench::footprint {
namespace {

struct Flags {
  std::vector<std::string> runtimes;
  std::string base = "required";
  bool json = false;
  bool verbose = false;
  std::string out;
};

std::function<int()> SetupFootprint(CLI::App& sub) {
  auto flags = std::make_shared<Flags>();
  sub.add_option("runtimes", flags->runtimes,
                 "Runtimes (names on PATH or paths); default: runc crun runsc, and containerd "
                 "and kata-runtime when installed");
  sub.add_option("--base", flags->base,
                 "What a base system already has: required (debootstrap minbase), important "
                 "(default debootstrap) or none")
      ->check(CLI::IsMember({"required", "important", "none"}))
      ->capture_default_str();
  sub.add_flag("--json", flags->json, "Print JSON instead of the tables");
  sub.add_flag("-v,--verbose", flags->verbose, "List every package and library of the closures");
  sub.add_option("--out", flags->out, "Also write the JSON to this file");
  return [flags] {
    FootprintOptions options;
    options.base = ParseBaseSystem(flags->base);
    const auto runtimes = flags->runtimes.empty() ? DefaultFootprintRuntimes() : flags->runtimes;
    std::vector<RuntimeFootprint> runs;
    try {
      runs = MeasureFootprints(runtimes, options);
    } catch (const DpkgError& e) {
      std::fprintf(stderr, "ocibench footprint: %s\n", e.what());
      return cli::kExitFailure;
    }
    const nlohmann::json j = FootprintJson(runs, options);
    if (!flags->out.empty()) {
      std::ofstream f(flags->out);
      f << j.dump(2) << "\n";
      if (!f.flush()) {
        std::fprintf(stderr, "ocibench footprint: cannot write %s\n", flags->out.c_str());
        return cli::kExitFailure;
      }
    }
    if (flags->json) {
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << FootprintTable(runs, options, flags->verbose);
    }
    // A runtime the user named that is not there is a bad argument: one line each on stderr.
    bool any_missing = false;
    for (const auto& r : runs)
      if (!r.error.empty() && !flags->runtimes.empty()) {
        std::fprintf(stderr, "ocibench footprint: %s\n", r.error.c_str());
        any_missing = true;
      }
    return any_missing ? cli::kExitUsage : cli::kExitOk;
  };
}

}  // namespace

OCIBENCH_COMMAND(footprint, "Install size, dependencies, helpers and host features of runtimes",
                 SetupFootprint);

}  // namespace ocibench::footprint
