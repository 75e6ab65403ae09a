// The results loader (contract: docs/results-format.md) and the compare gate, on small files
// and series written by the test: Google Benchmark name decorations, errors naming the file, empty
// CSV fields, tolerance parsing, TOML overrides and the verdicts; the A/A false-positive rate
// from a results directory with one runtime under two names.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/report/compare.h"
#include "harness/report/plots.h"
#include "harness/report/report.h"
#include "harness/report/results.h"

namespace ocibench::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Dir {
 public:
  Dir() {
    char t[] = "/tmp/ocibench-report-unit-XXXXXX";
    p_ = mkdtemp(t);
  }
  ~Dir() { fs::remove_all(p_); }
  const fs::path& path() const { return p_; }

 private:
  fs::path p_;
};

TEST(ReportResults, ParsesEntriesSkipsAggregatesAndErrors) {
  json doc = {
      {"context", {}},
      {"benchmarks",
       {{{"name", "LZMA_Compress/sdk/dict:22/min_time:0.020/iterations:3/process_time/real_time"},
         {"run_type", "iteration"},
         {"iterations", 3},
         {"real_time", 1.0},
         {"cpu_time", 2.0},
         {"time_unit", "ms"},
         {"rating_MIPS", 2400.0},
         {"usage_pct", 180.0}},
        {{"name", "LZMA_Compress/sdk/dict:22_mean"},
         {"run_type", "aggregate"},
         {"rating_MIPS", 1.0}},
        {{"name", "Redis_GET/manual_time"},
         {"error_occurred", true},
         {"error_message", "connection refused"}},
        {{"name", "LZMA_Compress_MT/sdk/dict:22/iterations:3/real_time/threads:2"},
         {"real_time", 1.0},
         {"rating_MIPS", 4000.0}}}}};
  CellRecord cell;
  cell.runtime = "runc";
  cell.group = "lzma";
  cell.repetition = 2;
  std::vector<std::string> notes;
  auto e = ParseBenchmarkJson(doc, "x.json", cell, &notes);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].name, "LZMA_Compress/sdk/dict:22");
  EXPECT_EQ(e[1].name, "LZMA_Compress_MT/sdk/dict:22/threads:2");
  EXPECT_EQ(e[0].runtime, "runc");
  EXPECT_EQ(e[0].repetition, 2);
  EXPECT_EQ(e[0].counters.at("usage_pct"), 180);
  EXPECT_FALSE(e[0].counters.count("iterations"));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("connection refused"), std::string::npos);
  EXPECT_THROW(ParseBenchmarkJson(json::object(), "y.json", cell, &notes), ResultsError);
}

void WriteRun(const fs::path& dir, const std::string& extra_cell_status = "ok") {
  json run = {{"format", 1},
              {"seed", 7},
              {"runtimes", {{{"name", "native"}, {"kind", "native"}}}},
              {"groups", {"lzma"}},
              {"cells",
               {{{"index", 0},
                 {"runtime", "native"},
                 {"group", "lzma"},
                 {"repetition", 1},
                 {"status", extra_cell_status},
                 {"file", "bench/native/lzma/rep-1.json"}}}}};
  std::ofstream(dir / "run.json") << run.dump();
}

TEST(ReportResults, LoadErrorsNameTheFile) {
  Dir d;
  try {
    LoadResults(d.path());
    FAIL();
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find((d.path() / "run.json").string() + ": missing"),
              std::string::npos);
  }
  std::ofstream(d.path() / "run.json") << "{\"format\": 1, ";
  try {
    LoadResults(d.path());
    FAIL();
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("run.json: not valid JSON"), std::string::npos)
        << e.what();
  }
  WriteRun(d.path());
  try {
    LoadResults(d.path());
    FAIL();
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("rep-1.json: missing"), std::string::npos) << e.what();
  }
  // A failed cell is a note, not an error; an absent memory.csv too.
  WriteRun(d.path(), "failed");
  auto r = LoadResults(d.path());
  EXPECT_TRUE(r.entries.empty());
  EXPECT_FALSE(r.notes.empty());
  ASSERT_TRUE(r.run.seed.has_value());
  EXPECT_EQ(*r.run.seed, 7u);
}

// The where_* context against run.json: runc saw other limits, runsc-ptrace no gVisor; native
// agrees (1.0 CPU = 1, memory rounded down to a page), so only two notes.
TEST(ReportResults, WhereContextThatDisagreesIsANote) {
  Dir d;
  json run = {{"format", 1},
              {"limits", {{"cpus", 1}, {"memory_bytes", 1073741824}}},
              {"runtimes",
               {{{"name", "native"}, {"kind", "native"}},
                {{"name", "runc"}, {"kind", "oci"}, {"path", "/usr/sbin/runc"}},
                {{"name", "runsc-ptrace"}, {"kind", "oci"}, {"path", "/usr/bin/runsc"}}}},
              {"groups", {"probes"}},
              {"cells", json::array()}};
  const std::map<std::string, json> contexts = {
      {"native",
       {{"where_sandbox", "none"},
        {"where_cgroup_cpus", "1"},
        {"where_cgroup_memory_bytes", "1073737728"}}},
      {"runc",
       {{"where_sandbox", "none"},
        {"where_cgroup_cpus", "unlimited"},
        {"where_cgroup_memory_bytes", "536870912"}}},
      {"runsc-ptrace",
       {{"where_sandbox", "none"},
        {"where_cgroup_cpus", "1"},
        {"where_unreadable", "where_cgroup_memory_bytes: /proc/self/cgroup: no memory line"}}}};
  int index = 0;
  for (const auto& [name, context] : contexts) {
    const std::string file = "bench/" + name + "/probes/rep-1.json";
    fs::create_directories(d.path() / fs::path(file).parent_path());
    std::ofstream(d.path() / file)
        << json{{"context", context},
                {"benchmarks",
                 {{{"name", "Probe_sys_getpid_raw"}, {"real_time", 50.0}, {"time_unit", "ns"}}}}}
               .dump();
    run["cells"].push_back({{"index", index++},
                            {"runtime", name},
                            {"group", "probes"},
                            {"repetition", 1},
                            {"status", "ok"},
                            {"file", file}});
  }
  std::ofstream(d.path() / "run.json") << run.dump();
  std::vector<std::string> notes;  // without "memory.csv is absent" and the like
  for (const auto& n : LoadResults(d.path()).notes)
    if (n.find("ocibench-bench saw") != std::string::npos) notes.push_back(n);
  ASSERT_EQ(notes.size(), 2u) << json(notes).dump();
  EXPECT_EQ(notes[0],
            "runc: ocibench-bench saw other than the run asked: where_cgroup_cpus=unlimited but "
            "limits.cpus is 1; where_cgroup_memory_bytes=536870912 but limits.memory_bytes is "
            "1073741824");
  EXPECT_EQ(notes[1],
            "runsc-ptrace: ocibench-bench saw other than the run asked: where_sandbox=none for a "
            "runsc runtime (gVisor expected)");
}

// A server-only cell's bench ran natively (the server was in the runtime): its context says
// nothing about the runtime, so no "where_sandbox=none for a runsc runtime" from it.
TEST(ReportResults, AServerOnlyCellsContextIsNotTheRuntimes) {
  Dir d;
  json run = {
      {"format", 1},
      {"limits", {{"cpus", 1}, {"memory_bytes", 1073741824}}},
      {"runtimes", {{{"name", "runsc-ptrace"}, {"kind", "oci"}, {"path", "/usr/bin/runsc"}}}},
      {"groups", {"redis"}},
      {"cells", json::array()}};
  const std::string file = "bench/runsc-ptrace/redis/rep-1.json";
  fs::create_directories(d.path() / fs::path(file).parent_path());
  std::ofstream(d.path() / file)
      << json{{"context",
               {{"where_sandbox", "none"},
                {"ocibench_placement", "server-only"},
                {"where_cgroup_cpus", "1"},
                {"where_cgroup_memory_bytes", "1073741824"}}},
              {"benchmarks", {{{"name", "Redis_GET"}, {"rps", 5e4}, {"real_time", 1.0}}}}}
             .dump();
  run["cells"].push_back({{"index", 0},
                          {"runtime", "runsc-ptrace"},
                          {"group", "redis"},
                          {"repetition", 1},
                          {"status", "ok"},
                          {"file", file}});
  std::ofstream(d.path() / "run.json") << run.dump();
  for (const auto& n : LoadResults(d.path()).notes)
    EXPECT_EQ(n.find("ocibench-bench saw"), std::string::npos) << n;
}

TEST(ReportResults, CsvEmptyFieldIsNotAvailableAndBadNumbersAreNamed) {
  Dir d;
  WriteRun(d.path(), "skipped");
  std::ofstream(d.path() / "memory.csv")
      << "runtime,group,repetition,t_s,host_used_bytes,cgroup_bytes,runtime_pss_bytes\n"
      << "native,lzma,1,0.1,1000,,\n";
  std::ofstream(d.path() / "lifecycle.csv")
      << "runtime,group,repetition,create_ms,start_ms,first_output_ms,total_ms,delete_ms\n"
      << "native,lzma,1,,,3.5,40,\n";
  auto r = LoadResults(d.path());
  ASSERT_EQ(r.memory.size(), 1u);
  EXPECT_EQ(*r.memory[0].host_used_bytes, 1000);
  EXPECT_FALSE(r.memory[0].cgroup_bytes.has_value());
  ASSERT_EQ(r.lifecycle.size(), 1u);
  EXPECT_FALSE(r.lifecycle[0].create_ms.has_value());
  EXPECT_EQ(*r.lifecycle[0].total_ms, 40);
  std::ofstream(d.path() / "memory.csv", std::ios::trunc)
      << "runtime,group,repetition,t_s,host_used_bytes,cgroup_bytes,runtime_pss_bytes\n"
      << "native,lzma,1,0.1,12MB,,\n";
  try {
    LoadResults(d.path());
    FAIL();
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("memory.csv: column 'host_used_bytes' holds '12MB'"),
              std::string::npos)
        << e.what();
  }
}

TEST(ReportCompare, ToleranceParsing) {
  EXPECT_DOUBLE_EQ(ParseTolerance("5%"), 0.05);
  EXPECT_DOUBLE_EQ(ParseTolerance("12.5 %"), 0.125);
  EXPECT_DOUBLE_EQ(ParseTolerance("0.05"), 0.05);
  EXPECT_THROW(ParseTolerance("five"), std::invalid_argument);
  EXPECT_THROW(ParseTolerance("-1%"), std::invalid_argument);
}

TEST(ReportCompare, TomlOverridesFirstMatchWins) {
  Dir d;
  const fs::path f = d.path() / "t.toml";
  std::ofstream(f) << "tolerance = \"3%\"\nalpha = 0.01\n"
                      "[[metric]]\nname = \"Redis_*\"\nruntime = \"runsc*\"\ntolerance = \"20%\"\n"
                      "[[metric]]\nname = \"Redis_*\"\ntolerance = 0.1\n";
  CompareOptions o;
  LoadCompareConfig(f, &o);
  EXPECT_DOUBLE_EQ(o.tolerance, 0.03);
  EXPECT_DOUBLE_EQ(o.alpha, 0.01);
  EXPECT_DOUBLE_EQ(o.ToleranceFor("Redis_GET", "runsc-ptrace"), 0.2);
  EXPECT_DOUBLE_EQ(o.ToleranceFor("Redis_GET", "runc"), 0.1);
  EXPECT_DOUBLE_EQ(o.ToleranceFor("LZMA_Compress/sdk/dict:22", "runc"), 0.03);
  std::ofstream(f, std::ios::trunc) << "[[metric]]\nname = \"x\"\ntolerence = 1\n";
  try {
    LoadCompareConfig(f, &o);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("t.toml"), std::string::npos) << e.what();
  }
}

// Two runs with one series each; values chosen to give known verdicts.
Results OneSeries(const std::string& name, const std::vector<double>& values, Direction d) {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}};
  r.run.groups = {"lzma"};
  int rep = 1;
  for (double v : values) {
    BenchEntry e;
    e.runtime = "native";
    e.group = std::string("lzma");
    e.repetition = rep++;
    e.name = name;
    e.metric = d == Direction::kHigherIsBetter ? "rps" : "real_time";
    e.direction = d;
    e.value = v;
    r.entries.push_back(e);
  }
  return r;
}

TEST(ReportCompare, VerdictsAreDirectionAware) {
  CompareOptions o;  // 5 %
  const std::vector<double> base = {100, 101, 99, 100, 102, 98};
  // Time per op up 20 %: a regression; rps up 20 %: an improvement.
  auto c = Compare(OneSeries("t", base, Direction::kLowerIsBetter),
                   OneSeries("t", {120, 121, 119, 120, 122, 118}, Direction::kLowerIsBetter), o);
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kRegression);
  EXPECT_EQ(c.regressions, 1);
  EXPECT_NEAR(c.rows[0].change, 0.20, 1e-9);
  EXPECT_NEAR(c.rows[0].perf_change, 100.0 / 120 - 1, 1e-9);
  c = Compare(OneSeries("r", base, Direction::kHigherIsBetter),
              OneSeries("r", {120, 121, 119, 120, 122, 118}, Direction::kHigherIsBetter), o);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kImprovement);
  EXPECT_EQ(c.regressions, 0);
  // A significant but small change (2 %) is within tolerance.
  c = Compare(OneSeries("t", {100, 100.1, 100.2, 100.3, 100.4, 100.5}, Direction::kLowerIsBetter),
              OneSeries("t", {102, 102.1, 102.2, 102.3, 102.4, 102.5}, Direction::kLowerIsBetter),
              o);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kWithinTolerance);
  // Large but noisy and overlapping: not significant, no gate.
  c = Compare(OneSeries("t", {100, 150, 80, 130, 90, 140}, Direction::kLowerIsBetter),
              OneSeries("t", {110, 160, 85, 140, 95, 150}, Direction::kLowerIsBetter), o);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kNotSignificant);
  EXPECT_EQ(c.regressions, 0);
  // Missing in NEW.
  c = Compare(OneSeries("a", base, Direction::kLowerIsBetter),
              OneSeries("b", base, Direction::kLowerIsBetter), o);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kMissing);
  EXPECT_EQ(c.notes.size(), 2u);
}

// The report's gates hold in compare too: a bimodal NEW (the fs probe's 20 µs / 900 µs modes)
// gives no regression even where p and the CI alone would, and says why in a note.
TEST(ReportCompare, AMultimodalSeriesGivesNoVerdict) {
  CompareOptions o;
  const auto c =
      Compare(OneSeries("Probe_fs", {20, 21, 19, 20, 22, 21}, Direction::kLowerIsBetter),
              OneSeries("Probe_fs", {880, 905, 22, 890, 910, 870}, Direction::kLowerIsBetter), o);
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kNotSignificant);
  EXPECT_EQ(c.regressions, 0);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("NEW is multimodal"), std::string::npos) << c.notes[0];
}

// An A/A results directory: runc and runc-b are the same binary (as `[runtime.runc-b] binary =
// "runc"` records it), 5 repetitions each, 12 probes: 10 whose repetitions are the same values in
// another order, Probe_drift 10 % slower under runc-b every time (significant: the one false
// positive), and Probe_fs bimodal under runc-b (p and CI say significant; the gate holds it back).
void WriteAaRun(const fs::path& dir, bool same_binary) {
  json cells = json::array();
  int index = 0;
  for (const std::string rt : {"native", "runc", "runc-b"}) {
    for (int rep = 1; rep <= 5; rep++) {
      json benchmarks = json::array();
      auto add = [&](const std::string& name, double v) {
        benchmarks.push_back({{"name", name},
                              {"run_type", "iteration"},
                              {"iterations", 1},
                              {"real_time", v},
                              {"time_unit", "ns"}});
      };
      const std::vector<double> base = {100, 102, 98, 101, 99};
      const int i = rt == "runc-b" ? 5 - rep : rep - 1;  // runc-b: the same values reversed
      for (int k = 0; k < 10; k++) add(fmt::format("Probe_{}", k), base[i] + 10 * k);
      add("Probe_drift", rt == "runc-b" ? 110 + base[rep - 1] - 100 : base[rep - 1]);
      const std::vector<double> bimodal = {866, 21, 912, 24, 890};
      add("Probe_fs", rt == "runc-b" ? bimodal[rep - 1] : 15.0 + rep);
      const std::string file = fmt::format("bench/{}/probes/rep-{}.json", rt, rep);
      fs::create_directories((dir / file).parent_path());
      std::ofstream(dir / file) << json{{"context", json::object()}, {"benchmarks", benchmarks}};
      cells.push_back({{"index", index++},
                       {"runtime", rt},
                       {"group", "probes"},
                       {"repetition", rep},
                       {"status", "ok"},
                       {"file", file}});
    }
  }
  json run = {
      {"format", 1},
      {"seed", 7},
      {"runtimes",
       {{{"name", "native"}, {"kind", "native"}},
        {{"name", "runc"}, {"kind", "oci"}, {"path", "/usr/sbin/runc"}, {"args", json::array()}},
        {{"name", "runc-b"},
         {"kind", "oci"},
         {"path", same_binary ? "/usr/sbin/runc" : "/usr/bin/crun"},
         {"args", json::array()}}}},
      {"groups", {"probes"}},
      {"cells", cells}};
  std::ofstream(dir / "run.json") << run.dump();
}

const Section* FindSection(const Document& d, const std::string& title) {
  for (const auto& s : d.sections)
    if (s.title == title) return &s;
  return nullptr;
}

TEST(ReportAa, FalsePositiveRateOfOneRuntimeUnderTwoNames) {
  Dir d;
  WriteAaRun(d.path(), true);
  const Results r = LoadResults(d.path());
  const auto pair = DetectAaPair(r.run);
  ASSERT_TRUE(pair.has_value());
  EXPECT_EQ(pair->a, "runc");
  EXPECT_EQ(pair->b, "runc-b");
  EXPECT_TRUE(pair->detected);

  ReportOptions o;
  o.plots = false;
  Document doc;
  WriteReport(d.path(), d.path() / "out", o, &doc);
  const Section* aa = FindSection(doc, "A/A: this host's false-positive rate");
  ASSERT_TRUE(aa);
  ASSERT_EQ(aa->tables.size(), 2u);
  const Table& rate = aa->tables[0];
  ASSERT_EQ(rate.rows.size(), 5u);
  EXPECT_EQ(rate.rows[0][1].text, "12");  // compared
  EXPECT_EQ(rate.rows[1][1].text, "1");   // falsely significant
  EXPECT_EQ(rate.rows[1][2].text, "8.3%");
  EXPECT_EQ(rate.rows[2][1].text, "2");  // before the gates
  EXPECT_EQ(rate.rows[3][1].text, "1");  // multimodal
  const Table& fp = aa->tables[1];
  ASSERT_EQ(fp.rows.size(), 2u);
  EXPECT_EQ(fp.rows[0][1].text, "Probe_drift");
  EXPECT_EQ(fp.rows[0].back().text, "falsely significant");
  EXPECT_EQ(fp.rows[1][1].text, "Probe_fs");
  EXPECT_EQ(fp.rows[1].back().text, "held back: multimodal: cannot tell on this host");
  EXPECT_TRUE(fs::exists(d.path() / "out" / "report_aa_rate.csv"));

  // Named explicitly (either order works; names must be in run.json).
  o.aa = {"runc-b", "runc"};
  WriteReport(d.path(), d.path() / "out", o, &doc);
  aa = FindSection(doc, "A/A: this host's false-positive rate");
  ASSERT_TRUE(aa);
  EXPECT_EQ(aa->tables[0].rows[1][1].text, "1");
  o.aa = {"runc", "kata"};
  try {
    WriteReport(d.path(), d.path() / "out", o, &doc);
    FAIL();
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("--aa: runtime 'kata' is not in"), std::string::npos)
        << e.what();
  }
}

// The ratio heatmap marks a multimodal series' ratio with "*" (its median depends on which
// mode it fell in): Probe_fs is bimodal under runc-b, Probe_drift is not. The labels file is
// written before gnuplot runs, so a missing gnuplot does not matter here.
TEST(ReportPlots, TheHeatmapMarksMultimodalRatios) {
  Dir d;
  WriteAaRun(d.path(), true);
  const Results r = LoadResults(d.path());
  AnalysisOptions ao;
  const Analysis a = Analyze(r, ao);
  fs::create_directories(d.path() / "plots");
  RenderPlots(r, a, d.path() / "plots", "/nonexistent/gnuplot");
  std::ifstream in(d.path() / "plots/ratio_heatmap_labels.dat");
  const std::string labels(std::istreambuf_iterator<char>(in), {});
  EXPECT_NE(labels.find("*\""), std::string::npos) << labels;
  std::ifstream script(d.path() / "plots/ratio_heatmap.gp");
  const std::string gp(std::istreambuf_iterator<char>(script), {});
  EXPECT_NE(gp.find("* multimodal, no verdict"), std::string::npos) << gp;
}

TEST(ReportAa, NoSectionWithoutTwoNamesForOneBinary) {
  Dir d;
  WriteAaRun(d.path(), false);
  EXPECT_FALSE(DetectAaPair(LoadResults(d.path()).run).has_value());
  ReportOptions o;
  o.plots = false;
  Document doc;
  WriteReport(d.path(), d.path() / "out", o, &doc);
  EXPECT_FALSE(FindSection(doc, "A/A: this host's false-positive rate"));
}

}  // namespace
}  // namespace ocibench::report
