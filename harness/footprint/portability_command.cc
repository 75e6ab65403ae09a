// `ocibench portability`: the foreign-architecture bench image under each runtime, without and
// with qemu-user-static emulation.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "harness/command.h"
#include "harness/footprint/portability.h"
#include "harness/process/install_paths.h"

namespace ocibench::footprint {
namespace {

volatile std::sig_atomic_t g_stop = 0;

struct Flags {
  PortabilityOptions options;
  std::vector<std::string> runtimes;
  bool json = false;
  bool no_emulation_only = false;
  std::string out;
};

std::function<int()> SetupPortability(CLI::App& sub) {
  auto flags = std::make_shared<Flags>();
  PortabilityOptions& o = flags->options;
  o.image_layout = process::SelfInstallPaths().images;  // the build's or the installed layout
  sub.add_option("runtimes", flags->runtimes, "Runtimes to test (default: runc crun runsc)");
  sub.add_option("--image-layout", o.image_layout,
                 "OCI image layout holding the multi-arch bench image (containers/build-images)")
      ->capture_default_str();
  sub.add_option("--image", o.image_ref, "Tag of the bench image in the layout")
      ->capture_default_str();
  sub.add_option("--foreign-arch", o.foreign_arch,
                 "Architecture to emulate (default: arm64 on amd64 hosts, else amd64)");
  sub.add_option("--benchmark-filter", o.benchmark_filter,
                 "Benchmarks of the emulated and native runs (regex)")
      ->capture_default_str();
  sub.add_option("--lzma-passes", o.lzma_passes, "Passes per LZMA benchmark")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  sub.add_option("--repetitions", o.repetitions,
                 "Native/emulated pairs per runtime (alternating); medians are compared")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  sub.add_option("--cpus", o.cpus, "CPU limit of each container")
      ->check(CLI::Range(0.1, 1024.0))
      ->capture_default_str();
  sub.add_option_function<int>(
         "--timeout", [&o](int s) { o.timeout = std::chrono::seconds(s); },
         "Seconds each container may run before it is killed (default 900)")
      ->check(CLI::Range(10, 86400));
  sub.add_flag("--no-emulation-only", flags->no_emulation_only,
               "Only step 1 (the errors without emulation); registers nothing");
  sub.add_flag_function(
      "--no-qemu-in-container", [&o](std::int64_t) { o.explicit_qemu_fallback = false; },
      "Do not retry runtimes that ignore binfmt_misc with qemu inside the container");
  sub.add_flag("--json", flags->json, "Print JSON instead of the tables");
  sub.add_option("--out", flags->out, "Also write the JSON to this file");
  return [flags] {
    PortabilityOptions o = flags->options;
    if (!flags->runtimes.empty()) o.runtimes = flags->runtimes;
    o.emulate = !flags->no_emulation_only;
    o.log = [](const std::string& line) {
      std::fprintf(stderr, "portability: %s\n", line.c_str());
    };
    // Ctrl-C / SIGTERM must not skip the restore of binfmt_misc: they only stop the run after
    // the current container (each has a timeout). A handler, not SIG_IGN, so that the runtimes
    // and containers started meanwhile get the default dispositions.
    struct sigaction stop = {};
    struct sigaction old_int = {};
    struct sigaction old_term = {};
    stop.sa_handler = [](int) { g_stop = 1; };
    sigemptyset(&stop.sa_mask);
    sigaction(SIGINT, &stop, &old_int);
    sigaction(SIGTERM, &stop, &old_term);
    o.stop_requested = [said = false]() mutable {
      if (g_stop && !said) {
        std::fprintf(stderr,
                     "portability: interrupted: no more containers; restoring binfmt_misc\n");
        said = true;
      }
      return g_stop != 0;
    };
    PortabilityReport report;
    std::string error;
    try {
      report = RunPortability(o);
    } catch (const std::exception& e) {
      error = e.what();
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    if (!error.empty()) {
      std::fprintf(stderr, "ocibench portability: %s\n", error.c_str());
      return cli::kExitFailure;
    }
    const nlohmann::json j = PortabilityJson(report);
    if (!flags->out.empty()) {
      std::ofstream f(flags->out);
      f << j.dump(2) << "\n";
      if (!f.flush()) {
        std::fprintf(stderr, "ocibench portability: cannot write %s\n", flags->out.c_str());
        return cli::kExitFailure;
      }
    }
    if (flags->json) {
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << PortabilityTable(report);
    }
    return report.binfmt_restored && !g_stop ? cli::kExitOk : cli::kExitFailure;
  };
}

}  // namespace

OCIBENCH_COMMAND(portability,
                 "Run the foreign-architecture bench image under each runtime, without and with "
                 "qemu-user-static emulation",
                 SetupPortability);

}  // namespace ocibench::footprint
