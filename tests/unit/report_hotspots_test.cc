// The report's hotspot ranking on series made by the test: significant slowdowns first.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/report.h"

namespace ocibench::report {
namespace {

// Hotspots: a large but noisy slowdown (not significant) must rank below a smaller significant
// one. Five repetitions per series, lower-is-better ns.
TEST(ReportHotspots, SignificantSlowdownsRankFirst) {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}, {"runc", "oci", "", "", "", {}}};
  auto add = [&r](const std::string& rt, const std::string& name, std::vector<double> values) {
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
  };
  // Noisy: native 10..300, runc 20..400 (median ratio 3x, overlapping completely).
  add("native", "Probe_noisy", {10, 300, 20, 250, 15});
  add("runc", "Probe_noisy", {400, 20, 350, 30, 45});
  // Clean: runc 1.3x slower every time.
  add("native", "Probe_clean", {100, 101, 99, 100, 102});
  add("runc", "Probe_clean", {130, 131, 129, 130, 132});
  const Section s = HotspotSection(Analyze(r, AnalysisOptions{}), 10);
  ASSERT_EQ(s.tables.size(), 1u);
  const Table& t = s.tables[0];
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][2].text, "Probe_clean");
  EXPECT_EQ(t.rows[0][7].text, "");
  EXPECT_EQ(t.rows[1][2].text, "Probe_noisy");
  EXPECT_EQ(t.rows[1][7].text, "~");
}

}  // namespace
}  // namespace ocibench::report
