// The report's hotspot ranking, its gates and its resolution on series made by the test:
// significant slowdowns first, multimodal series never ranked nor significant, too-noisy series
// never significant, and "below what this run can resolve" / "cannot tell on this host".
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/report.h"

namespace ocibench::report {
namespace {

// Repetitions of one probe (lower-is-better ns) under a runtime, appended to `r`.
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

// Probe_name under native and under runc.
void AddPair(Results& r, const std::string& name, std::vector<double> native,
             std::vector<double> runc) {
  Add(r, "native", name, std::move(native));
  Add(r, "runc", name, std::move(runc));
}

// Probe_clean: runc 1.3x slower every time.
void AddClean(Results& r) {
  AddPair(r, "Probe_clean", {100, 101, 99, 100, 102}, {130, 131, 129, 130, 132});
}

Results NativeAndRunc() {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}, {"runc", "oci", "", "", "", {}}};
  r.run.groups = {"probes"};
  return r;
}

const std::vector<TableCell>* RowOf(const Table& t, const std::string& name,
                                    const std::string& runtime) {
  const auto col = [&](const std::string& c) {
    return std::find(t.columns.begin(), t.columns.end(), c) - t.columns.begin();
  };
  for (const auto& row : t.rows)
    if (row[col("benchmark")].text == name && row[col("runtime")].text == runtime) return &row;
  return nullptr;
}

std::string Cell(const Table& t, const std::vector<TableCell>& row, const std::string& column) {
  const auto i = std::find(t.columns.begin(), t.columns.end(), column) - t.columns.begin();
  EXPECT_LT(static_cast<std::size_t>(i), t.columns.size()) << column;
  return row.at(static_cast<std::size_t>(i)).text;
}

// Hotspots: a large but noisy slowdown (not significant) must rank below a smaller significant
// one. Five repetitions per series, lower-is-better ns.
TEST(ReportHotspots, SignificantSlowdownsRankFirst) {
  Results r = NativeAndRunc();
  // Noisy: native 10..45, runc 20..60 (median ratio 2x, overlapping; one mode each: the
  // multimodal case is MultimodalSeriesAreNeverSignificantNorRanked).
  AddPair(r, "Probe_noisy", {10, 30, 20, 45, 15}, {40, 20, 60, 30, 45});
  AddClean(r);
  const Section s = HotspotSection(Analyze(r, AnalysisOptions{}), 10);
  ASSERT_EQ(s.tables.size(), 1u);
  const Table& t = s.tables[0];
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][2].text, "Probe_clean");
  EXPECT_EQ(t.rows[0][7].text, "");
  EXPECT_EQ(t.rows[1][2].text, "Probe_noisy");
  EXPECT_EQ(t.rows[1][7].text, "~");
}

// The A/A pattern of Probe_fs_create_write_unlink: every runc repetition above every native one
// (p = 2/252, the CI excludes 1) but the runtime's series is bimodal (~20 µs or ~900 µs): the
// ratio is not significant, not ranked, and marked in the benchmarks table.
TEST(ReportHotspots, MultimodalSeriesAreNeverSignificantNorRanked) {
  Results r = NativeAndRunc();
  AddPair(r, "Probe_fs_create_write_unlink", {15, 16, 17, 18, 19}, {866, 21, 912, 24, 890});
  AddClean(r);
  const Analysis a = Analyze(r, AnalysisOptions{});
  const SeriesStats* fs = a.Find("probes", "Probe_fs_create_write_unlink", "runc");
  ASSERT_TRUE(fs && fs->vs_baseline);
  EXPECT_TRUE(fs->multimodal);
  EXPECT_LT(fs->vs_baseline->p, 0.05);
  EXPECT_FALSE(fs->vs_baseline->speed_ci.Contains(1.0));
  EXPECT_FALSE(fs->vs_baseline->significant);
  EXPECT_EQ(VerdictText(*fs->vs_baseline), "multimodal: cannot tell on this host");

  const Section hot_section = HotspotSection(a, 10);
  const Table& hot = hot_section.tables.at(0);
  ASSERT_EQ(hot.rows.size(), 1u);
  EXPECT_EQ(hot.rows[0][2].text, "Probe_clean");
  ASSERT_EQ(hot.notes.size(), 1u);
  EXPECT_NE(hot.notes[0].find("Probe_fs_create_write_unlink"), std::string::npos);

  const Section bench_section = PerBenchmarkSection(a);
  const Table& bench = bench_section.tables.at(0);
  const auto* row = RowOf(bench, "Probe_fs_create_write_unlink", "runc");
  ASSERT_TRUE(row);
  EXPECT_EQ(Cell(bench, *row, "modes"), "multimodal");
  EXPECT_EQ(Cell(bench, *row, "not sig."), "~");
  const auto* clean = RowOf(bench, "Probe_clean", "runc");
  ASSERT_TRUE(clean);
  EXPECT_EQ(Cell(bench, *clean, "modes"), "");
  EXPECT_EQ(Cell(bench, *clean, "verdict"), "slower");

  // The baseline's series multimodal instead: the same gate.
  Results rb = NativeAndRunc();
  AddPair(rb, "Probe_fs", {866, 21, 912, 24, 890}, {950, 960, 970, 980, 990});
  const Analysis b = Analyze(rb, AnalysisOptions{});
  const auto& v = *b.Find("probes", "Probe_fs", "runc")->vs_baseline;
  EXPECT_TRUE(v.base_multimodal);
  EXPECT_FALSE(v.significant);
  const Section bench_b_section = PerBenchmarkSection(b);
  const Table& bench_b = bench_b_section.tables.at(0);
  EXPECT_EQ(Cell(bench_b, *RowOf(bench_b, "Probe_fs", "runc"), "modes"), "native multimodal");
  EXPECT_TRUE(HotspotSection(b, 10).tables.at(0).rows.empty());
}

// A clear shift (every runc value above every native one) with a CV of ~35 %: too noisy to be
// significant on its own.
TEST(ReportHotspots, TooNoisySeriesAreNeverSignificant) {
  Results r = NativeAndRunc();
  AddPair(r, "Probe_x", {100, 101, 99, 100, 102}, {200, 300, 150, 400, 250});
  const Analysis a = Analyze(r, AnalysisOptions{});
  const auto& v = *a.Find("probes", "Probe_x", "runc")->vs_baseline;
  EXPECT_LT(v.p, 0.05);
  EXPECT_FALSE(a.Find("probes", "Probe_x", "runc")->multimodal);
  EXPECT_TRUE(v.too_noisy);
  EXPECT_FALSE(v.significant);
  EXPECT_EQ(VerdictText(v), "too noisy: cannot tell on this host");
}

// Resolution: a 1 % slowdown under a CV of ~8 % per side is below what 5 repetitions resolve
// (MDE ±19 %); the summary's geometric mean and the hotspots say so. A 20 % slowdown under CVs of
// ~16 % has a CI straddling the band: "cannot tell on this host". Identical tight series: "no
// difference this run can resolve".
TEST(ReportHotspots, BelowWhatThisRunCanResolve) {
  Results r = NativeAndRunc();
  AddPair(r, "Probe_a", {90, 100, 110, 95, 105}, {91, 101, 111, 96, 106});
  AddPair(r, "Probe_b", {80, 100, 120, 90, 110}, {95, 125, 150, 110, 135});
  AddPair(r, "Probe_same", {100, 100.1, 99.9, 100.05, 99.95}, {100, 100.1, 99.9, 100.05, 99.95});
  const Analysis a = Analyze(r, AnalysisOptions{});
  const auto& v = *a.Find("probes", "Probe_a", "runc")->vs_baseline;
  // CV 7.9 % per side: 2.80 · sqrt(π/2 · 2 · 0.079² / 5) = 0.176 → ±19.2 %.
  EXPECT_NEAR(std::exp(v.mde) - 1, 0.192, 0.005);
  EXPECT_TRUE(v.BelowResolution());
  EXPECT_FALSE(v.significant);
  const auto& b = *a.Find("probes", "Probe_b", "runc")->vs_baseline;
  EXPECT_LT(b.speed_ci.low, std::exp(-b.mde));
  EXPECT_GT(b.speed_ci.high, std::exp(-b.mde));
  EXPECT_EQ(VerdictText(b), "cannot tell on this host");
  EXPECT_EQ(VerdictText(*a.Find("probes", "Probe_same", "runc")->vs_baseline),
            "no difference this run can resolve");

  const Section hot_section = HotspotSection(a, 10);
  const Table& hot = hot_section.tables.at(0);
  const auto* row = RowOf(hot, "Probe_a", "runc");
  ASSERT_TRUE(row);
  EXPECT_EQ(Cell(hot, *row, "resolution"), kBelowResolution);

  Reference ref;
  r.run.raw = nlohmann::json::object();  // run.json's host, config: none here
  const Section summary = StudyTablesSection(r, a, ref);
  const Table* geo = nullptr;
  for (const auto& t : summary.tables)
    if (t.id == "category_geomean") geo = &t;
  ASSERT_TRUE(geo);
  ASSERT_FALSE(geo->rows.empty());
  EXPECT_NE(geo->rows[0][1].text.find(kBelowResolution), std::string::npos) << geo->rows[0][1].text;
  EXPECT_TRUE(geo->rows[0][1].value.is_number());
}

}  // namespace
}  // namespace ocibench::report
