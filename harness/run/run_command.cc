// `ocibench run`: the matrix, interleaved and shuffled, every cell recorded as it ends;
// --resume finishes an interrupted run; Ctrl-C/SIGTERM stop cleanly.
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
#include "harness/run/cell.h"
#include "harness/run/host_info.h"
#include "harness/run/matrix.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

std::string UtcNow(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string Clock(double s) {
  const int t = static_cast<int>(s);
  return fmt::format("{}:{:02d}", t / 60, t % 60);
}

fs::path ExeDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

struct Flags {
  std::string config, runtimes, groups, memory, preset, scratch, placement, results, images, bench,
      resume, out;
  int repetitions = 0, timeout = 0, warmup = -1;
  std::uint64_t seed = 0;
  double cpus = 0;
  bool quiet = false, json = false;
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

RunConfig BuildConfig(const Flags& f) {
  RunConfig c;
  if (!f.config.empty()) LoadToml(f.config, c);
  if (f.Given("--runtimes")) c.runtimes = SplitList(f.runtimes);
  if (f.Given("--groups")) c.groups = SplitList(f.groups);
  if (f.Given("--repetitions")) c.repetitions = f.repetitions;
  if (f.Given("--seed")) c.seed = f.seed;
  if (f.Given("--cpus")) c.cpus = f.cpus;
  if (f.Given("--memory")) c.memory_bytes = ParseBytes(f.memory);
  if (f.Given("--timeout")) c.timeout_s = f.timeout;
  if (f.Given("--warmup")) c.warmup = f.warmup;
  if (f.Given("--preset")) c.preset = f.preset;
  if (f.Given("--scratch")) c.scratch = f.scratch;
  if (f.Given("--placement")) c.placement = f.placement;
  if (f.Given("--results")) c.results_root = f.results;
  if (f.Given("--images")) c.images = f.images;
  if (f.Given("--bench")) c.bench = f.bench;
  if (c.seed == 0) c.seed = static_cast<std::uint64_t>(std::time(nullptr));
  if (c.cpus <= 0) throw ConfigError("cpus must be positive");
  if (!Parse<ScratchKind>(c.scratch))
    throw ConfigError("scratch '" + c.scratch + "': use " + Choices<ScratchKind>());
  if (c.placement != "server-only" && c.placement != "client-only" && c.placement != "both" &&
      c.placement != "both-host")
    throw ConfigError("placement '" + c.placement +
                      "': use server-only, client-only, both or both-host");
  if (c.images.empty()) c.images = ExeDir() / "../images/oci";
  if (c.bench.empty()) c.bench = ExeDir() / "../benchmarks/ocibench-bench";
  c.images = fs::weakly_canonical(c.images);
  c.bench = fs::weakly_canonical(c.bench);
  return c;
}

// The bench binary, and for container runtimes the image layout with every image the matrix
// will run (bench; redis / nginx where the placement puts the server in the runtime).
void CheckPaths(const RunConfig& c, const std::vector<RuntimeEntry>& runtimes,
                const std::vector<GroupDef>& groups) {
  if (::access(c.bench.c_str(), X_OK) != 0)
    throw ConfigError("no ocibench-bench at " + c.bench.string() +
                      " (build it with scripts/build, or pass --bench PATH)");
  const bool containers = std::any_of(runtimes.begin(), runtimes.end(),
                                      [](const auto& r) { return r.kind != "native"; });
  if (containers && !fs::exists(c.images / "index.json"))
    throw ConfigError(
        "no OCI image layout at " + c.images.string() +
        " (build it with `cmake --build build --target images`, or pass --images DIR)");
  if (!containers) return;
  std::vector<std::string> images = {"bench"};
  for (const auto& g : groups)
    if (c.placement != "client-only" && !ServerImage(g.server).empty())
      images.push_back(ServerImage(g.server));
  for (const auto& image : images) {
    try {
      oci::ReadImageConfig(c.images, image, oci::HostArch());
    } catch (const std::exception& e) {
      throw ConfigError(std::string(e.what()) +
                        "; rebuild the images with `cmake --build build --target images`");
    }
  }
}

nlohmann::json NewRun(const RunConfig& c, const std::vector<RuntimeEntry>& runtimes,
                      const std::vector<GroupDef>& groups) {
  nlohmann::json run;
  run["format"] = 1;
  run["ocibench_version"] = OCIBENCH_VERSION;
  run["started"] = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  run["finished"] = nullptr;
  run["seed"] = c.seed;
  run["repetitions"] = c.repetitions;
  run["limits"] = {{"cpus", c.cpus}, {"memory_bytes", c.memory_bytes}};
  run["host"] = HostInfo();
  run["config"] = ToJson(c);
  run["runtimes"] = nlohmann::json::array();
  for (const auto& r : runtimes) run["runtimes"].push_back(ToJson(r));
  run["images"] = nlohmann::json::object();
  for (const char* image : {"bench", "redis", "nginx"}) {
    try {
      const auto ic = oci::ReadImageConfig(c.images, image, oci::HostArch());
      run["images"][image] = {{"ref", c.images.string() + ":" + image},
                              {"digest", ic.manifest_digest},
                              {"arch", ic.arch}};
    } catch (const std::exception&) {
    }
  }
  run["groups"] = nlohmann::json::array();
  for (const auto& g : groups) run["groups"].push_back(g.name);
  std::vector<std::string> rnames, gnames;
  for (const auto& r : runtimes) rnames.push_back(r.name);
  for (const auto& g : groups) gnames.push_back(g.name);
  run["cells"] = nlohmann::json::array();
  for (const auto& cell : BuildCells(rnames, gnames, c.repetitions, c.seed)) {
    run["cells"].push_back({{"index", cell.index},
                            {"runtime", cell.runtime},
                            {"group", cell.group},
                            {"repetition", cell.repetition},
                            {"status", "pending"},
                            {"error", nullptr},
                            {"file", nullptr},
                            {"started", nullptr},
                            {"duration_s", nullptr},
                            {"placement", nullptr},
                            {"scratch", nullptr}});
  }
  return run;
}

int RunMatrix(Flags& f) {
  RunConfig config;
  std::vector<RuntimeEntry> runtimes;
  std::vector<GroupDef> groups;
  std::unique_ptr<ResultsDir> results;
  try {
    if (!f.resume.empty()) {
      results = std::make_unique<ResultsDir>(ResultsDir::Open(f.resume));
      const nlohmann::json run = results->Run();
      config = FromJson(run.at("config"));
      config.runtimes.clear();
      for (const auto& r : run.at("runtimes")) config.runtimes.push_back(r.at("name"));
    } else {
      config = BuildConfig(f);
      config.cpus = std::min(config.cpus, static_cast<double>(HostCpus()));
      config.memory_bytes = std::min(config.memory_bytes, HostMemBytes());
    }
    groups = ResolveGroups(config);
    runtimes = SelectRuntimes(config);
    CheckPaths(config, runtimes, groups);
  } catch (const ConfigError& e) {
    std::cerr << "ocibench run: " << e.what() << "\n";
    return cli::kExitUsage;
  }
  if (!results) {
    fs::path dir = f.out.empty() ? config.results_root / (UtcNow("%Y%m%dT%H%M%SZ") + "-" +
                                                          HostInfo()["hostname"].get<std::string>())
                                 : fs::path(f.out);
    results =
        std::make_unique<ResultsDir>(ResultsDir::Create(dir, NewRun(config, runtimes, groups)));
  }
  RunContext ctx;
  ctx.config = config;
  ctx.run_id = results->dir().filename().string();
  ctx.images = config.images;
  ctx.bench = config.bench;
  ctx.results = results.get();
  ctx.stop = &g_stop;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);

  // Shim runtimes: a private containerd for this run (stopped, with everything it started,
  // when `containerd` goes out of scope: at the end, after Ctrl-C/SIGTERM, or on an error).
  std::unique_ptr<containerd::PrivateContainerd> private_containerd;
  if (std::any_of(runtimes.begin(), runtimes.end(),
                  [](const auto& r) { return r.kind == "shim"; })) {
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
  std::map<std::string, std::string> skip;
  for (const auto& g : groups)
    if (ListBenchmarks(config.bench, g).empty())
      skip[g.name] = "no benchmark in " + config.bench.filename().string() + " matches '" +
                     g.filter + "' (group " + g.name + " skipped)";
  auto find_rt = [&](const std::string& n) {
    return *std::find_if(runtimes.begin(), runtimes.end(),
                         [&](const auto& r) { return r.name == n; });
  };
  auto find_group = [&](const std::string& n) {
    return *std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == n; });
  };

  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  for (int w = 0; w < config.warmup && !g_stop; ++w) {
    for (const auto& rt : runtimes) {
      if (g_stop) break;
      progress(fmt::format("warm-up {} ({}/{})", rt.name, w + 1, config.warmup), false);
      const CellOutcome o = RunCell(ctx, {-1, rt.name, groups[0].name, 0}, rt, groups[0], true);
      if (o.status != "ok" && o.status != "pending")
        results->Log(fmt::format("[warm-up {}] {}", rt.name, o.error));
    }
  }

  const nlohmann::json cells = results->Run()["cells"];
  std::vector<int> todo;
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (cells[i].value("status", "") == "pending") todo.push_back(static_cast<int>(i));
  const double run_t0 = elapsed();
  int done = 0, skipped = 0;
  for (int i : todo) {
    if (g_stop) break;
    const auto& c = cells[static_cast<std::size_t>(i)];
    const std::string rt = c["runtime"], group = c["group"];
    const int rep = c["repetition"];
    // ETA from the cells actually run (skipped ones take no time).
    std::size_t left = 0;
    for (std::size_t k = static_cast<std::size_t>(done + skipped); k < todo.size(); ++k)
      left += !skip.count(cells[static_cast<std::size_t>(todo[k])]["group"].get<std::string>());
    const double per = done ? (elapsed() - run_t0) / done : 0;
    progress(
        fmt::format("[{}/{}] {} {} rep {}  elapsed {}  ETA {}", i + 1, cells.size(), rt, group, rep,
                    Clock(elapsed()), done ? Clock(per * static_cast<double>(left)) : "?"),
        false);
    const std::string started = UtcNow("%Y-%m-%dT%H:%M:%SZ");
    CellOutcome o;
    if (skip.count(group)) {
      o.status = "skipped";
      o.error = skip[group];
    } else {
      o = RunCell(ctx, {i, rt, group, rep}, find_rt(rt), find_group(group));
    }
    if (o.status == "pending") break;  // interrupted: stays pending for --resume
    results->Update([&](nlohmann::json& run) {
      auto& e = run["cells"][static_cast<std::size_t>(i)];
      e["status"] = o.status;
      e["error"] = o.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.error);
      e["file"] = o.file.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.file);
      e["started"] = started;
      e["duration_s"] = o.duration_s;
      e["placement"] = o.placement.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.placement);
      e["scratch"] = o.scratch.is_null() ? nlohmann::json(nullptr) : o.scratch;
    });
    if (o.status == "skipped") {
      ++skipped;
      continue;
    }
    if (o.status != "ok" && !f.quiet)
      progress(fmt::format("[{}/{}] {} {} rep {}: {}: {}", i + 1, cells.size(), rt, group, rep,
                           o.status, o.error),
               true);
    ++done;
  }
  nlohmann::json run = results->Run();
  std::map<std::string, int> counts;
  for (const auto& c : run["cells"]) counts[c.value("status", "")]++;
  const bool complete = counts["pending"] == 0;
  if (complete)
    results->Update([&](nlohmann::json& r) { r["finished"] = UtcNow("%Y-%m-%dT%H:%M:%SZ"); });
  private_containerd.reset();  // before the work dirs: its containers may still bind-mount one
  std::error_code ec;
  fs::remove_all(results->dir() / ".work", ec);
  fs::remove_all(fs::path(kBundleRoot) / ctx.run_id, ec);
  run = results->Run();
  const nlohmann::json summary = Summarize(results->dir(), run);
  std::string status_line;
  for (const auto& [k, v] : counts)
    if (v > 0) status_line += fmt::format("{}{} {}", status_line.empty() ? "" : ", ", v, k);
  progress(
      fmt::format("{} in {}: {}", complete ? "done" : "interrupted", Clock(elapsed()), status_line),
      true);
  if (f.json) {
    std::cout << nlohmann::json{{"results", results->dir().string()},
                                {"complete", complete},
                                {"elapsed_s", elapsed()},
                                {"cells", counts},
                                {"summary", summary}}
                     .dump(2)
              << "\n";
  } else if (!f.quiet) {
    std::cout << SummaryTable(summary);
    if (!complete)
      std::cout << "resume with: ocibench run --resume " << results->dir().string() << "\n";
  }
  if (!complete) return 130;
  return counts["failed"] + counts["timeout"] > 0 ? cli::kExitFailure : cli::kExitOk;
}

std::function<int()> SetupRun(CLI::App& sub) {
  auto f = std::make_shared<Flags>();
  f->app = &sub;
  sub.add_option("--config", f->config, "TOML file (keys as the long flags; see docs/harness.md)")
      ->check(CLI::ExistingFile);
  sub.add_option("--runtimes", f->runtimes,
                 "comma list (default: every usable runtime; see `ocibench runtimes`)");
  sub.add_option("--groups", f->groups, "comma list of lzma, probes, redis, http (default: all)");
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
  sub.add_option("--scratch", f->scratch,
                 "probes' scratch dir in containers: rootfs (default), tmpfs, bind");
  sub.add_option("--placement", f->placement,
                 "where redis and http run in containers: server-only (default; client native), "
                 "client-only (server native), both (each in a container on a CNI bridge), "
                 "both-host (each in a container on the host network)");
  sub.add_option("--results", f->results, "where run directories go (default results/)");
  sub.add_option("--out", f->out, "exact results directory (default RESULTS/<UTC>-<host>)");
  sub.add_option("--images", f->images, "OCI image layout (default: the build's images/oci)");
  sub.add_option("--bench", f->bench, "ocibench-bench for native runs (default: the build's)");
  sub.add_option("--resume", f->resume, "finish the interrupted run in DIR (its own config)")
      ->check(CLI::ExistingDirectory);
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
