// ocibench-bench: every workload as a Google Benchmark, in one static binary.
// Google Benchmark's flags (--benchmark_*) are taken first; the rest are ocibench's own.
#include <benchmark/benchmark.h>

#include <cstdio>
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

int main(int argc, char** argv) {
  // The fork+exec probes run this binary as a tiny program: done before any setup.
  if (ocibench::probes::IsNoopInvocation(argc, argv)) return ocibench::probes::RunNoop(argc, argv);
  benchmark::Initialize(&argc, argv);

  CLI::App app{
      "ocibench-bench: the ocibench workloads as Google Benchmarks. Google Benchmark's own "
      "--benchmark_* flags are accepted too (see --help of the library)."};
  app.set_version_flag("--version", ocibench::bench::BuildVersion());
  for (auto& m : ocibench::bench::Modules())
    if (m.add_flags) m.add_flags(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help/--version exit 0; a bad flag exits 2, like Google Benchmark's own flag errors.
    return app.exit(e) == 0 ? 0 : 2;
  }

  ocibench::bench::AddBuildContext();
  for (auto& m : ocibench::bench::Modules()) m.register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
