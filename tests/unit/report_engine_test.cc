// The report's "Engine overhead" section on series made by the test: podman-runc against runc
// per benchmark and per group with a CI, a clear slowdown called slower, an engine runtime
// without its runtime in the run named in a note, and no section without an engine runtime.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/report.h"

namespace ocibench::report {
namespace {

void Add(Results& r, const std::string& rt, const std::string& name, std::vector<double> values) {
  int rep = 0;
  for (double v : values) {
    BenchEntry e;
    e.runtime = rt;
    e.group = "probes";
    e.repetition = ++rep;
    e.name = name;
    e.metric = "real_time";
    e.unit = "ns";
    e.value = v;
    r.entries.push_back(e);
  }
}

RunRuntime Engine(const std::string& name, const std::string& over) {
  RunRuntime e{name, "engine", "/usr/sbin/runc", "", "", {}};
  e.over = over;
  return e;
}

Results WithEngine() {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}},
                    {"runc", "oci", "/usr/sbin/runc", "", "", {}},
                    Engine("podman-runc", "runc")};
  r.run.groups = {"probes"};
  const std::vector<double> base = {100, 101, 99, 100, 102};
  for (const char* rt : {"native", "runc"}) {
    Add(r, rt, "Probe_a", base);
    Add(r, rt, "Probe_b", base);
  }
  // Through podman: 1.25x the time every repetition, on both benchmarks.
  Add(r, "podman-runc", "Probe_a", {125, 126, 124, 125, 127});
  Add(r, "podman-runc", "Probe_b", {125, 126, 124, 125, 127});
  return r;
}

TEST(ReportEngine, PodmanAgainstItsRuntimePerGroupWithCi) {
  const Results r = WithEngine();
  const auto s = EngineSection(r, Analyze(r, {}));
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(s->tables.size(), 2u);
  const Table& g = s->tables[0];
  ASSERT_EQ(g.rows.size(), 1u);
  const auto col = [&](const Table& t, const std::string& c) {
    return static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), c) -
                                    t.columns.begin());
  };
  const auto& row = g.rows[0];
  EXPECT_EQ(row[col(g, "engine runtime")].text, "podman-runc");
  EXPECT_EQ(row[col(g, "runtime")].text, "runc");
  EXPECT_NEAR(row[col(g, "ratio")].value.get<double>(), 0.8, 0.01);
  EXPECT_LT(row[col(g, "CI high")].value.get<double>(), 1);
  EXPECT_LE(row[col(g, "CI low")].value.get<double>(), row[col(g, "ratio")].value.get<double>());
  EXPECT_EQ(row[col(g, "verdict")].text, "slower through the engine");
  EXPECT_EQ(s->tables[1].rows.size(), 2u);  // one row per benchmark
}

TEST(ReportEngine, MissingRuntimeIsNamedAndNoEngineNoSection) {
  Results r = WithEngine();
  r.run.runtimes.push_back(Engine("podman-crun", "crun"));
  const auto s = EngineSection(r, Analyze(r, {}));
  ASSERT_TRUE(s.has_value());
  const auto& notes = s->tables[0].notes;
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("podman-crun runs crun, which is not in this run"), std::string::npos);
  Results plain = WithEngine();
  plain.run.runtimes.pop_back();
  EXPECT_FALSE(EngineSection(plain, Analyze(plain, {})).has_value());
}

}  // namespace
}  // namespace ocibench::report
