// `ocibench run`: flags over the TOML file into the run plan, a private containerd for shim
// runtimes, the scheduler over the matrix, the summary; --resume finishes an interrupted run;
// Ctrl-C/SIGTERM stop cleanly.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>

#include "harness/command.h"
#include "harness/containerd/private_containerd.h"
#include "harness/oci/bundle.h"
#include "harness/process/command.h"
#include "harness/run/cell.h"
#include "harness/run/host_info.h"
#include "harness/run/matrix.h"
#include "harness/run/plan.h"
#include "harness/run/profile_pass.h"
#include "harness/run/run_lease.h"
#include "harness/run/scheduler.h"
#include "harness/run/shared_state.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

struct Flags {
  std::string config, runtimes, groups, memory, preset, scratch, placement, results, images, bench,
      resume, out;
  int repetitions = 0, timeout = 0, warmup = -1;
  std::uint64_t seed = 0;
  double cpus = 0;
  bool quiet = false, json = false, profile = false;
  CLI::App* app = nullptr;
  bool Given(const char* name) const { return app->count(name) > 0; }
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto end = s.find(',', start);
    const std::string item =
        s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!item.empty()) out.push_back(item);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// A comma list that names at least one thing (an empty one would silently mean "all").
std::vector<std::string> NonEmptyList(const std::string& flag, const std::string& text) {
  std::vector<std::string> items = SplitList(text);
  if (items.empty())
    throw ConfigError(flag + " '" + text + "' names nothing (leave the flag out for the default)");
  return items;
}

std::string PlacementHelp() {
  std::string h = "where redis and http run in containers:";
  for (const auto& t : kPlacementTerms)
    if (t.value != Placement::kNative) h += fmt::format(" {} ({});", t.name, t.help);
  h.pop_back();
  return h;
}

// The flags given, over the TOML file's keys.
RunConfig ConfigFromFlags(const Flags& f) {
  RunConfig c;
  if (!f.config.empty()) LoadToml(f.config, c);
  if (f.Given("--runtimes")) c.runtimes = NonEmptyList("--runtimes", f.runtimes);
  if (f.Given("--groups")) c.groups = NonEmptyList("--groups", f.groups);
  if (f.Given("--repetitions")) c.repetitions = f.repetitions;
  if (f.Given("--seed")) c.seed = f.seed;
  if (f.Given("--cpus")) c.cpus = f.cpus;
  if (f.Given("--memory")) c.memory_bytes = ParseBytes(f.memory);
  if (f.Given("--timeout")) c.timeout_s = f.timeout;
  if (f.Given("--warmup")) c.warmup = f.warmup;
  if (f.Given("--preset")) c.preset = f.preset;
  if (f.Given("--scratch")) c.scratch = ParseWord<ScratchKind>("scratch", f.scratch);
  if (f.Given("--placement")) c.placement = ParseWord<Placement>("placement", f.placement);
  if (f.Given("--results")) c.results_root = f.results;
  if (f.Given("--images")) c.images = f.images;
  if (f.Given("--bench")) c.bench = f.bench;
  return c;
}

// The run's id: run.json's own; a run from before ids were recorded goes by its directory's name.
std::string RunIdOf(const ResultsDir& results) {
  const nlohmann::json run = results.Run();
  std::string id = run.value("id", "");
  if (id.empty()) id = fs::path(results.dir()).lexically_normal().filename().string();
  if (!ValidName(id))
    throw ConfigError(results.dir().string() + "/run.json: run id '" + id +
                      "' cannot name containers (letters, digits, '.', '_', '-')");
  return id;
}

int RunMatrix(Flags& f) {
  if (f.profile && process::FindOnPath("strace").empty()) {  // before any cell runs
    std::cerr << "ocibench run: --profile: strace not found; install Debian's strace\n";
    return cli::kExitUsage;
  }
  RunPlan plan;
  std::unique_ptr<ResultsDir> results;
  std::unique_ptr<RunLease> lease;
  try {
    if (!f.resume.empty()) {
      results = std::make_unique<ResultsDir>(ResultsDir::Open(f.resume));
      const nlohmann::json run = results->Run();
      RunConfig config = FromJson(run.at("config"));
      config.runtimes.clear();
      for (const auto& r : run.at("runtimes")) config.runtimes.push_back(r.at("name"));
      plan = ResolvePlan(std::move(config), true);
      lease = std::make_unique<RunLease>(results->dir(), RunIdOf(*results));
    } else {
      plan = ResolvePlan(ConfigFromFlags(f), false);
      const fs::path dir =
          f.out.empty() ? plan.config.results_root / (UtcNow("%Y%m%dT%H%M%SZ") + "-" +
                                                      HostInfo()["hostname"].get<std::string>())
                        : fs::path(f.out);
      if (fs::exists(dir / "run.json"))
        throw ConfigError(dir.string() + " already holds a run (--resume " + dir.string() +
                          " finishes it; or choose another --out)");
      nlohmann::json doc = NewRunDocument(plan);
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec)
        throw ConfigError("cannot create the results directory " + dir.string() + ": " +
                          ec.message() + " (choose another --out)");
      // Locked before anything is written: two runs started on one directory at once.
      lease = std::make_unique<RunLease>(dir, doc["id"].get<std::string>());
      results = std::make_unique<ResultsDir>(ResultsDir::Create(dir, std::move(doc)));
    }
  } catch (const ConfigError& e) {
    std::cerr << "ocibench run: " << e.what() << "\n";
    return cli::kExitUsage;
  } catch (const std::exception& e) {  // the results directory: not writable, a file, in use
    std::cerr << "ocibench run: " << e.what() << "\n";
    return cli::kExitUsage;
  }
  const RunConfig& config = plan.config;
  RunContext ctx;
  ctx.config = config;
  ctx.run_id = RunIdOf(*results);
  ctx.images = config.images;
  ctx.bench = config.bench;
  ctx.results = results.get();
  ctx.stop = &g_stop;
  try {
    ctx.bench_user =
        oci::ParseImageUser(oci::ReadImageConfig(ctx.images, "bench", oci::HostArch()));
  } catch (const std::exception&) {
    // No bench image for this host: its container cells fail with that line themselves.
  }

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);

  // Shim runtimes: a private containerd for this run (stopped, with everything it started,
  // when it goes out of scope: at the end, after Ctrl-C/SIGTERM, or on an error).
  std::unique_ptr<containerd::PrivateContainerd> private_containerd;
  if (std::any_of(plan.runtimes.begin(), plan.runtimes.end(),
                  [](const auto& r) { return r.kind == RuntimeKind::kShim; })) {
    if (!f.quiet) std::cerr << "ocibench run: starting a private containerd\n";
    try {
      private_containerd = std::make_unique<containerd::PrivateContainerd>(ctx.run_id);
      private_containerd->Import(config.images);
      ctx.containerd = private_containerd.get();
      results->Update([&](nlohmann::json& run) {
        run["containerd"] = {{"address", private_containerd->address()},
                             {"version", private_containerd->version()},
                             {"namespace", containerd::kContainerdNamespace},
                             {"image_base", containerd::kContainerdImageBase}};
      });
    } catch (const std::exception& e) {
      ctx.containerd_error = e.what();
      results->Log(std::string("[containerd] ") + e.what());
      private_containerd.reset();
    }
  }

  const bool tty = ::isatty(2) && !f.quiet;
  auto progress = [&](const std::string& line, bool final) {
    if (f.quiet) return;
    if (tty)
      std::cerr << "\r\033[K" << line << (final ? "\n" : "") << std::flush;
    else
      std::cerr << line << "\n";
  };
  if (!f.quiet) std::cerr << "ocibench run: results in " << results->dir().string() << "\n";

  // Groups whose filter matches nothing in this ocibench-bench are skipped, not run.
  SchedulerOptions options;
  options.warmup = config.warmup;
  for (const auto& g : plan.groups)
    if (ListBenchmarks(config.bench, g).empty())
      options.skip[g.name] = "no benchmark in " + config.bench.filename().string() + " matches '" +
                             g.filter + "' (group " + g.name + " skipped)";
  auto runner = [&](const CellSpec& spec, bool warmup) {
    const auto rt = std::find_if(plan.runtimes.begin(), plan.runtimes.end(),
                                 [&](const auto& r) { return r.name == spec.runtime; });
    const auto g = std::find_if(plan.groups.begin(), plan.groups.end(),
                                [&](const auto& x) { return x.name == spec.group; });
    return RunCell(ctx, spec, *rt, *g, warmup);
  };
  const auto t0 = std::chrono::steady_clock::now();
  std::map<CellStatus, int> counts =
      RunScheduled(plan, *results, g_stop, runner, progress, options);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const bool complete = counts[CellStatus::kPending] == 0;
  bool profile_interrupted = false;
  if (f.profile && complete && !g_stop) {
    // After every timed cell, natively: nothing timed is traced (profile_pass.h).
    const ProfilePassOutcome p =
        RunProfilePass(config.bench, plan.groups, results->dir(), g_stop, ProfilePassOptions{},
                       [&](const std::string& line) { progress(line, false); });
    results->Log(fmt::format("[profile] {} profiled, {} skipped{}{}", p.profiled, p.skipped.size(),
                             p.interrupted ? ", interrupted" : "",
                             p.error.empty() ? "" : "; " + p.error));
    if (!p.error.empty()) std::cerr << "ocibench run: --profile: " << p.error << "\n";
    profile_interrupted = p.interrupted;
  }
  if (complete) results->Update([&](nlohmann::json& r) { r["finished"] = UtcNow(); });
  private_containerd.reset();  // before the work dirs: its containers may still bind-mount one
  std::error_code ec;
  fs::remove_all(results->dir() / ".work", ec);
  fs::remove_all(fs::path(kBundleRoot) / ctx.run_id, ec);
  ::rmdir(kBundleRoot);  // only when no other run has bundles there
  const nlohmann::json summary = Summarize(results->dir(), results->Run());
  std::string status_line;
  nlohmann::json cells_json = nlohmann::json::object();
  for (const auto& [k, v] : counts) {
    cells_json[ToString(k)] = v;
    if (v > 0) status_line += fmt::format("{}{} {}", status_line.empty() ? "" : ", ", v, Name(k));
  }
  progress(
      fmt::format("{} in {}: {}", complete ? "done" : "interrupted", Clock(elapsed), status_line),
      true);
  if (f.json) {
    std::cout << JsonText({{"results", results->dir().string()},
                           {"complete", complete},
                           {"elapsed_s", elapsed},
                           {"cells", cells_json},
                           {"summary", summary}});
  } else if (!f.quiet) {
    std::cout << SummaryTable(summary);
    if (!complete)
      std::cout << "resume with: ocibench run --resume " << results->dir().string() << "\n";
  }
  lease.reset();  // this run is over: the last one out tidies what runs share
  TidySharedState(false, LiveRuns(false));
  if (!complete || profile_interrupted) return 130;
  return counts[CellStatus::kFailed] + counts[CellStatus::kTimeout] > 0 ? cli::kExitFailure
                                                                        : cli::kExitOk;
}

std::function<int()> SetupRun(CLI::App& sub) {
  auto f = std::make_shared<Flags>();
  f->app = &sub;
  sub.add_option("--config", f->config, "TOML file (keys as the long flags; see docs/harness.md)")
      ->check(CLI::ExistingFile);
  sub.add_option("--runtimes", f->runtimes,
                 "comma list (default: every usable runtime; see `ocibench runtimes`)");
  sub.add_option("--groups", f->groups,
                 "comma list of lzma, probes, redis, http, apps (default: all)");
  sub.add_option("--repetitions", f->repetitions, "repetitions of each cell (default 5)")
      ->check(CLI::Range(1, 1000));
  sub.add_option("--seed", f->seed, "seed of the shuffled order (default: the clock; recorded)");
  sub.add_option("--cpus", f->cpus,
                 "CPU limit of every runtime and native (default 2, capped to the host)");
  sub.add_option("--memory", f->memory,
                 "memory limit, e.g. 4GiB (default 4GiB, capped to the host)");
  sub.add_option("--timeout", f->timeout, "seconds a cell may take (default 600)")
      ->check(CLI::Range(1, 86400));
  sub.add_option("--warmup", f->warmup, "untimed runs of each runtime first (default 1)")
      ->check(CLI::Range(0, 100));
  sub.add_option("--preset", f->preset, "quick (default: short settings) or full (the study's)");
  sub.add_option(
      "--scratch", f->scratch,
      "probes' scratch dir in containers: " + Choices<ScratchKind>() + " (default rootfs)");
  sub.add_option("--placement", f->placement, PlacementHelp());
  sub.add_option("--results", f->results, "where run directories go (default results/)");
  sub.add_option("--out", f->out, "exact results directory (default RESULTS/<UTC>-<host>)");
  sub.add_option("--images", f->images, "OCI image layout (default: the build's images/oci)");
  sub.add_option("--bench", f->bench, "ocibench-bench for native runs (default: the build's)");
  sub.add_option("--resume", f->resume, "finish the interrupted run in DIR (its own config)")
      ->check(CLI::ExistingDirectory);
  sub.add_flag("--profile", f->profile,
               "after the cells, profile each benchmark natively under strace -f -c into "
               "profile/ (docs/profile.md; off by default: minutes for the probes)");
  sub.add_flag("--quiet", f->quiet, "no progress line and no summary");
  sub.add_flag("--json", f->json, "print the outcome and summary as JSON on stdout");
  return [f]() {
    try {
      return RunMatrix(*f);
    } catch (const ConfigError& e) {
      std::cerr << "ocibench run: " << e.what() << "\n";
      return cli::kExitUsage;
    }
  };
}

}  // namespace
}  // namespace ocibench::run

OCIBENCH_COMMAND(run, "Run the benchmark matrix: runtimes x workload groups x repetitions",
                 ocibench::run::SetupRun);
