// `ocibench startup`: the start-up distribution of every runtime (and of each variant of
// ocibench's bundle), then the concurrency sweep (docs/startup.md).
#include <fmt/format.h>

#include <iostream>

#include "harness/command.h"
#include "harness/run/results_dir.h"
#include "harness/startup/common_flags.h"
#include "harness/startup/startup_run.h"

namespace ocibench::startup {
namespace fs = std::filesystem;
namespace {

struct Flags {
  CommonFlags common;
  int count = 32, warmup = 3;
  std::string workloads = "bench", variants = "default", concurrency = "1,2,4,8", bundle;
  double duration_s = 10;
};

StartupOptions ToOptions(const Flags& f) {
  StartupOptions o;
  o.count = f.count;
  o.warmup = f.warmup;
  o.duration_s = f.duration_s;
  o.workloads.clear();
  for (const auto& w : SplitList(f.workloads)) {
    if (w == "bench")
      o.workloads.push_back(Workload::kBench);
    else if (w == "redis")
      o.workloads.push_back(Workload::kRedis);
    else
      throw run::ConfigError("--workload '" + w + "': use bench, redis or bench,redis");
  }
  if (o.workloads.empty()) throw run::ConfigError("--workload: give bench, redis or both");
  o.variants.clear();
  if (!f.bundle.empty()) {
    if (f.variants != "default")
      throw run::ConfigError("--bundle runs the bundle as it is: it cannot take --variants");
    o.variants = {Variant::kGivenBundle};
  } else if (f.variants == "all") {
    o.variants = {Variant::kDefault, Variant::kNoSeccomp, Variant::kNoCgroup, Variant::kHostNetwork,
                  Variant::kFreshRootfs};
  } else {
    for (const auto& v : SplitList(f.variants)) {
      const auto parsed = ParseVariant(v);
      if (!parsed)
        throw run::ConfigError("--variants '" + v +
                               "': use all or a comma list of default, no-seccomp, no-cgroup, "
                               "host-network, fresh-rootfs");
      o.variants.push_back(*parsed);
    }
  }
  if (f.concurrency != "none" && f.concurrency != "0")
    o.workers = ParseCounts("--concurrency", f.concurrency, 64);
  else
    o.workers.clear();
  return o;
}

std::function<int()> Setup(CLI::App& sub) {
  auto f = std::make_shared<Flags>();
  AddCommonFlags(sub, f->common);
  sub.add_option("--count", f->count, "measured containers per runtime, variant, workload (32)")
      ->check(CLI::Range(1, 100000));
  sub.add_option("--warmup", f->warmup, "untimed containers first (default 3)")
      ->check(CLI::Range(0, 1000));
  sub.add_option("--workload", f->workloads,
                 "bench (the bench image, a clock stamp and exit), redis (up to its first PONG) "
                 "or bench,redis (default bench)");
  sub.add_option("--variants", f->variants,
                 "what ocibench's bundle leaves out: all or a comma list of default, no-seccomp, "
                 "no-cgroup, host-network, fresh-rootfs (OCI runtimes; default: default)");
  sub.add_option("--bundle", f->bundle,
                 "run this OCI bundle as it is (OCI runtimes; "
                 "benchmarks/compare-startup)")
      ->check(CLI::ExistingDirectory);
  sub.add_option("--concurrency", f->concurrency,
                 "worker counts of the sweep, comma list, or none (default 1,2,4,8)");
  sub.add_option("--duration", f->duration_s, "seconds per runtime and worker count (10)")
      ->check(CLI::Range(0.1, 3600.0));
  return [f]() -> int {
    std::unique_ptr<Session> session;
    StartupOptions options;
    try {
      options = ToOptions(*f);
      SessionOptions so;
      so.command = "startup";
      so.config = ToRunConfig(f->common);
      so.out = f->common.out;
      so.quiet = f->common.quiet;
      for (Workload w : options.workloads)
        if (w == Workload::kRedis) so.images.push_back("redis");
      so.settings = {{"count", f->count},          {"warmup", f->warmup},
                     {"workload", f->workloads},   {"variants", f->variants},
                     {"bundle", f->bundle},        {"concurrency", f->concurrency},
                     {"duration_s", f->duration_s}};
      if (!f->bundle.empty() && !fs::exists(fs::path(f->bundle) / "config.json"))
        throw run::ConfigError("--bundle " + f->bundle + ": no config.json in it");
      session = std::make_unique<Session>(so);
      if (!f->bundle.empty()) session->SetGivenBundle(fs::absolute(f->bundle));
    } catch (const std::exception& e) {
      std::cerr << "ocibench startup: " << e.what() << "\n";
      return cli::kExitUsage;
    }
    const StartupOutcome out = RunStartup(*session, options);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& s : out.sequential)
      rows.push_back({{"runtime", s.runtime},
                      {"variant", s.variant},
                      {"workload", s.workload},
                      {"n", s.total.n},
                      {"failed", s.failed},
                      {"total_ms",
                       {{"p50", s.total.p50},
                        {"p95", s.total.p95},
                        {"p99", s.total.p99},
                        {"max", s.total.max}}},
                      {"workload_ms",
                       {{"p50", s.workload_ms.p50},
                        {"p95", s.workload_ms.p95},
                        {"p99", s.workload_ms.p99},
                        {"max", s.workload_ms.max}}}});
    const nlohmann::json outcome = {{"results", session->dir().string()},
                                    {"complete", out.complete},
                                    {"failed", out.failed},
                                    {"sequential", rows}};
    session->Finish(out.complete, outcome);
    if (f->common.json) {
      std::cout << run::JsonText(outcome);
    } else if (!f->common.quiet) {
      fmt::print("{:<18} {:<13} {:<6} {:>4} {:>9} {:>9} {:>9} {:>9} {:>11}\n", "runtime", "variant",
                 "load", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "workload p50");
      for (const auto& s : out.sequential)
        fmt::print("{:<18} {:<13} {:<6} {:>4} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>11.1f}\n",
                   s.runtime, s.variant, s.workload, s.total.n, s.total.p50, s.total.p95,
                   s.total.p99, s.total.max, s.workload_ms.p50);
      fmt::print(
          "(create → removed, ms; workload p50: create → the workload's own stamp or "
          "first PONG){}\n",
          out.complete ? "" : " — interrupted");
    }
    session.reset();
    if (!out.complete) return 130;
    return out.failed ? cli::kExitFailure : cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::startup

OCIBENCH_COMMAND(startup,
                 "Start-up of each runtime: N sequential containers (p50/p95/p99), the cost of "
                 "each part of ocibench's bundle, a concurrency sweep",
                 ocibench::startup::Setup);
