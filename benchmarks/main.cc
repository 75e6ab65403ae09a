// ocibench-bench: every workload as a Google Benchmark, in one static binary.
// Google Benchmark's flags (--benchmark_*) are taken first; the rest are ocibench's own.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>

#include "benchmarks/context.h"
#include "benchmarks/registry.h"
#include "workloads/probes/noop.h"

namespace ocibench::bench {
std::vector<Module>& Modules() {
  static std::vector<Module> modules;
  return modules;
}
}  // namespace ocibench::bench

namespace {

CLI::App* g_app = nullptr;

// --help: Google Benchmark's flags, then ocibench's own (Initialize prints and exits).
void PrintHelp() {
  benchmark::PrintDefaultHelp();
  std::fputs("\nocibench's own flags:\n", stdout);
  if (g_app) std::fputs(g_app->help().c_str(), stdout);
}

// --ocibench_print_json FILE: after the run, FILE (the --benchmark_out) on stdout between two
// marker lines. `ocibench k8s collect` reads a Job's results this way from `kubectl logs`, the
// one way out of a finished pod that every cluster has (harness/k8s/log_markers.h holds the
// same two lines); stderr shares that log, so the markers say where the JSON is.
int PrintBetweenMarkers(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "ocibench-bench: --ocibench_print_json: cannot read %s\n", file.c_str());
    return 1;
  }
  std::fflush(stderr);
  std::cout << std::flush << "\n--- ocibench-json begin ---\n"
            << in.rdbuf() << "\n--- ocibench-json end ---\n"
            << std::flush;
  return 0;
}

// `--ocibench_stamp` prints CLOCK_REALTIME in nanoseconds and exits; `--ocibench_idle` prints it
// and then waits for a signal. `ocibench startup` and `density` take the time to workload from
// this stamp against the host's clock (harness/startup/); no flag parsing or set-up before it.
int StampAndMaybeIdle(const char* flag) {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  std::printf("ocibench-stamp %lld\n",
              static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
  std::fflush(stdout);
  if (std::strcmp(flag, "--ocibench_idle") == 0) {
    // pid 1 of a container ignores signals it has no handler for: exit on SIGTERM/SIGINT.
    struct sigaction sa {};
    sa.sa_handler = [](int) { ::_exit(0); };
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    while (true) ::pause();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The fork+exec probes run this binary as a tiny program: done before any setup.
  if (ocibench::probes::IsNoopInvocation(argc, argv)) return ocibench::probes::RunNoop(argc, argv);
  if (argc == 2 && (std::strcmp(argv[1], "--ocibench_stamp") == 0 ||
                    std::strcmp(argv[1], "--ocibench_idle") == 0))
    return StampAndMaybeIdle(argv[1]);

  CLI::App app{"ocibench-bench: the ocibench workloads as Google Benchmarks."};
  app.set_version_flag("--version", ocibench::bench::BuildVersion());
  for (auto& m : ocibench::bench::Modules())
    if (m.add_flags) m.add_flags(app);
  std::string print_json;
  app.add_option("--ocibench_print_json", print_json,
                 "after the run, print FILE (the --benchmark_out) to stdout between marker lines "
                 "(for `ocibench k8s collect`)");
  g_app = &app;
  benchmark::Initialize(&argc, argv, PrintHelp);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --version exits 0. A bad flag exits 2, like Google Benchmark's own flag errors, with one
    // line naming it (a harness keeps only the last line of a container's stderr).
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "ocibench-bench: %s (see --help)\n", e.what());
    return 2;
  }

  ocibench::bench::AddBuildContext();
  for (auto& m : ocibench::bench::Modules()) m.register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (!print_json.empty()) return PrintBetweenMarkers(print_json);
  return 0;
}
