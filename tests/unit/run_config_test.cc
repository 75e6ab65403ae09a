// The run configuration (strict TOML), the matrix order and the summary's ratios.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "harness/containerd/private_containerd.h"
#include "harness/process/atomic_file.h"
#include "harness/run/config.h"
#include "harness/run/discovery.h"
#include "harness/run/matrix.h"
#include "harness/run/plan.h"
#include "harness/run/results_dir.h"

namespace {
namespace fs = std::filesystem;
using namespace ocibench::run;

struct TomlFile {
  fs::path path =
      fs::temp_directory_path() / ("ocibench-config-" + std::to_string(::getpid()) + ".toml");
  explicit TomlFile(const std::string& text) { std::ofstream(path) << text; }
  ~TomlFile() { fs::remove(path); }
};

std::string LoadError(const std::string& text) {
  TomlFile f(text);
  RunConfig c;
  try {
    LoadToml(f.path, c);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RunConfig, ReadsEveryKey) {
  TomlFile f(
      "runtimes = [\"native\", \"fast\"]\ngroups = [\"lzma\"]\nrepetitions = 3\nseed = 9\n"
      "cpus = 1.5\nmemory = \"512MiB\"\ntimeout = 60\nwarmup = 0\npreset = \"full\"\n"
      "[runtime.fast]\nbinary = \"/usr/bin/runsc\"\nargs = [\"--platform=systrap\"]\n"
      "[group.lzma]\nargs = [\"--lzma_passes=2\"]\n");
  RunConfig c;
  LoadToml(f.path, c);
  EXPECT_EQ(c.runtimes, (std::vector<std::string>{"native", "fast"}));
  EXPECT_EQ(c.repetitions, 3);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_DOUBLE_EQ(c.cpus, 1.5);
  EXPECT_EQ(c.memory_bytes, 512u << 20);
  EXPECT_EQ(c.runtime_defs.at("fast").args, (std::vector<std::string>{"--platform=systrap"}));
  const auto groups = ResolveGroups(c);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].filter, "^LZMA_");  // full preset's filter, the TOML's args
  EXPECT_EQ(groups[0].args, (std::vector<std::string>{"--lzma_passes=2"}));
  // Round trip through run.json (what --resume reads).
  const RunConfig back = FromJson(ToJson(c));
  EXPECT_EQ(back.runtime_defs.at("fast").binary, "/usr/bin/runsc");
  EXPECT_EQ(back.repetitions, 3);
}

TEST(RunConfig, RefusesUnknownKeysWrongTypesAndBadValues) {
  EXPECT_NE(LoadError("repetitons = 3\n").find("unknown key 'repetitons'"), std::string::npos);
  EXPECT_NE(
      LoadError("repetitions = \"3\"\n").find("'repetitions' must be an integer, not a string"),
      std::string::npos);
  EXPECT_NE(LoadError("repetitions = 0\n").find("must be in 1..1000"), std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nargs = []\n").find("runtime.x.binary' is missing"),
            std::string::npos);
  EXPECT_NE(
      LoadError("[runtime.x]\nbinary = \"b\"\nflags = []\n").find("unknown key 'runtime.x.flags'"),
      std::string::npos);
  EXPECT_NE(LoadError("groups = [1]\n").find("'groups[]' must be a string"), std::string::npos);
  EXPECT_NE(LoadError("memory = \"4 parsecs\"\n").find("unknown unit"), std::string::npos);
  EXPECT_NE(LoadError("seed = [\n").find("config "), std::string::npos);  // a TOML syntax error
  RunConfig c;
  c.groups = {"nosuchgroup"};
  EXPECT_THROW(ResolveGroups(c), ConfigError);
}

TEST(RunConfig, ShimRuntimeEntries) {
  TomlFile f("[runtime.kata2]\nshim = \"io.containerd.kata.v2\"\n");
  RunConfig c;
  LoadToml(f.path, c);
  EXPECT_EQ(c.runtime_defs.at("kata2").shim, "io.containerd.kata.v2");
  EXPECT_EQ(c.runtime_defs.at("kata2").binary, "");
  EXPECT_EQ(FromJson(ToJson(c)).runtime_defs.at("kata2").shim, "io.containerd.kata.v2");
  EXPECT_NE(LoadError("[runtime.x]\nshim = \"kata\"\n").find("'runtime.x.shim' must name"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nshim = \"io.containerd.runc.v2\"\nbinary = \"runc\"\n")
                .find("cannot be combined"),
            std::string::npos);
  EXPECT_EQ(ocibench::containerd::ShimBinaryName("io.containerd.runc.v2"),
            "containerd-shim-runc-v2");
  EXPECT_EQ(ocibench::containerd::ShimBinaryName("io.containerd.kata.v2"),
            "containerd-shim-kata-v2");
  EXPECT_EQ(ocibench::containerd::ShimBinaryName("io.containerd.runsc.v1"),
            "containerd-shim-runsc-v1");
  EXPECT_EQ(ocibench::containerd::ShimBinaryName("runc"), "");
}

TEST(RunConfig, SeccompChoicePerOciRuntime) {
  TomlFile f(
      "[runtime.runc-u]\nbinary = \"runc\"\nseccomp = \"unconfined\"\n"
      "[runtime.runc-d]\nbinary = \"runc\"\n");
  RunConfig c;
  LoadToml(f.path, c);
  EXPECT_EQ(c.runtime_defs.at("runc-u").seccomp, "unconfined");
  EXPECT_EQ(c.runtime_defs.at("runc-d").seccomp, "default");
  EXPECT_EQ(FromJson(ToJson(c)).runtime_defs.at("runc-u").seccomp, "unconfined");
  EXPECT_NE(LoadError("[runtime.x]\nbinary = \"runc\"\nseccomp = \"off\"\n")
                .find("'runtime.x.seccomp' seccomp = \"off\": must be"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nbinary = \"runc\"\nseccomp = \"/nonexistent.json\"\n")
                .find("no such file"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nshim = \"io.containerd.runc.v2\"\nseccomp = \"unconfined\"\n")
                .find("is for OCI runtimes"),
            std::string::npos);
}

TEST(RunConfig, RunJsonRecordsTheSeccompProfileRead) {
  RuntimeEntry e;
  e.name = "runc-u";
  e.kind = ocibench::RuntimeKind::kOci;
  e.seccomp = "unconfined";
  nlohmann::json j = ToJson(e);
  EXPECT_EQ(j["seccomp"]["choice"], "unconfined");
  EXPECT_TRUE(j["seccomp"]["profile"].is_null());
  e.seccomp = "/nonexistent.json";
  j = ToJson(e);
  EXPECT_NE(j["seccomp"].value("error", "").find("no such file"), std::string::npos) << j.dump();
}

TEST(RunConfig, ParsesSizes) {
  EXPECT_EQ(ParseBytes("4GiB"), 4ull << 30);
  EXPECT_EQ(ParseBytes("1073741824"), 1ull << 30);
  EXPECT_THROW(ParseBytes("-1G"), ConfigError);
  EXPECT_THROW(ParseBytes("lots"), ConfigError);
}

TEST(Matrix, InterleavedShuffledAndSeeded) {
  const auto a = BuildCells({"native", "runc", "crun"}, {"lzma", "redis"}, 4, 42);
  ASSERT_EQ(a.size(), 24u);
  // Repetition k of every pair comes before repetition k+1 of any.
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, static_cast<int>(i));
    EXPECT_EQ(a[i].repetition, static_cast<int>(i / 6) + 1);
  }
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& c : a) seen[{c.runtime, c.group}]++;
  for (const auto& [k, n] : seen) EXPECT_EQ(n, 4);
  // Same seed, same order; the rounds are not all in the same order.
  const auto b = BuildCells({"native", "runc", "crun"}, {"lzma", "redis"}, 4, 42);
  bool rounds_differ = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].runtime + a[i].group, b[i].runtime + b[i].group);
    if (i >= 6 && a[i].runtime + a[i].group != a[i - 6].runtime + a[i - 6].group)
      rounds_differ = true;
  }
  EXPECT_TRUE(rounds_differ);
}

TEST(Matrix, SummaryIsTheMedianRatioToNativeInTheBetterDirection) {
  const fs::path dir =
      fs::temp_directory_path() / ("ocibench-summary-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto bench = [&](const std::string& file, double mips, double probe_ns) {
    nlohmann::json j = {{"context", {}},
                        {"benchmarks",
                         {{{"name", "LZMA_Compress/x"}, {"rating_MIPS", mips}, {"real_time", 1.0}},
                          {{"name", "Probe_open"}, {"real_time", probe_ns}}}}};
    ocibench::process::WriteFileAtomic(dir / file, j.dump());
  };
  bench("n1.json", 100, 10);
  bench("n2.json", 110, 10);
  bench("n3.json", 90, 10);
  bench("r1.json", 50, 20);
  nlohmann::json run = {
      {"runtimes", {{{"name", "native"}}, {{"name", "runsc"}}}},
      {"groups", {"g"}},
      {"cells",
       {{{"runtime", "native"}, {"group", "g"}, {"status", "ok"}, {"file", "n1.json"}},
        {{"runtime", "native"}, {"group", "g"}, {"status", "ok"}, {"file", "n2.json"}},
        {{"runtime", "native"}, {"group", "g"}, {"status", "ok"}, {"file", "n3.json"}},
        {{"runtime", "runsc"}, {"group", "g"}, {"status", "ok"}, {"file", "r1.json"}}}}};
  const auto s = Summarize(dir, run);
  EXPECT_DOUBLE_EQ(s["native"]["g"].get<double>(), 1.0);
  // LZMA: 50/100 (higher is better); probe: 10/20 (lower is better) → median 0.5.
  EXPECT_DOUBLE_EQ(s["runsc"]["g"].get<double>(), 0.5);
  fs::remove_all(dir);
}

}  // namespace

namespace {

std::string PlanError(RunConfig c) {
  try {
    ResolvePlan(std::move(c), false);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RunPlan, NonsenseLimitsAreRefusedBeforeAnythingRuns) {
  RunConfig c;
  c.cpus = std::nan("");
  EXPECT_EQ(PlanError(c), "cpus nan: must be a positive number");
  c.cpus = std::numeric_limits<double>::infinity();
  EXPECT_EQ(PlanError(c), "cpus inf: must be a positive number");
  c.cpus = 1;
  c.memory_bytes = 1024;
  EXPECT_EQ(PlanError(c), "memory 1024 bytes: must be at least 64MiB");
}

TEST(RunConfig, NamesFromTomlMustBePathComponents) {
  EXPECT_NE(LoadError("[group.\"../../../../tmp/escape\"]\nfilter = \"^A\"\n")
                .find("'group.../../../../tmp/escape' is not a valid name"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.\"../../../tmp/rtesc\"]\nbinary = \"runc\"\n")
                .find("is not a valid name"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.\"a b:c\"]\nbinary = \"runc\"\n").find("is not a valid name"),
            std::string::npos);
  EXPECT_EQ(
      LoadError("[runtime.runc-b]\nbinary = \"runc\"\n[group.\"my_group.v2\"]\nfilter = \"^A\"\n"),
      "");
}

TEST(RunConfig, EngineRuntimeEntries) {
  TomlFile f("[runtime.pr]\nengine = \"podman\"\nruntime = \"runc\"\n");
  RunConfig c;
  LoadToml(f.path, c);
  EXPECT_EQ(c.runtime_defs.at("pr").engine, "podman");
  EXPECT_EQ(c.runtime_defs.at("pr").runtime, "runc");
  EXPECT_EQ(FromJson(ToJson(c)).runtime_defs.at("pr").runtime, "runc");
  EXPECT_NE(LoadError("[runtime.x]\nengine = \"docker\"\nruntime = \"runc\"\n")
                .find("'runtime.x.engine' must be \"podman\""),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nengine = \"podman\"\n").find("'runtime.x.runtime' is missing"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nengine = \"podman\"\nruntime = \"runc\"\nbinary = \"runc\"\n")
                .find("cannot be combined"),
            std::string::npos);
  EXPECT_NE(LoadError("[runtime.x]\nbinary = \"runc\"\nruntime = \"runc\"\n")
                .find("'runtime.x.runtime' needs engine"),
            std::string::npos);
}

}  // namespace
