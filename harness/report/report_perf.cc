// Performance sections: per benchmark × runtime and the studies' summary tables with their
// reference figures (hotspots: report_hotspots.cc).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "harness/report/report.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TableCell RangePct(double lo, double hi) {
  if (std::isnan(lo)) return Empty();
  return TableCell(fmt::format("{:.0f} – {:.0f}%", lo * 100, hi * 100),
                   nlohmann::json{{"min", lo}, {"max", hi}});
}

std::optional<double> Study7zRating(const Reference& ref, const std::string& arch,
                                    const std::string& rt, const std::string& metric) {
  for (const auto& row : ref.sevenzip)
    if (row.at("arch") == arch && row.at("runtime") == rt && row.at("metric") == metric)
      return std::stod(row.at("rating_mips"));
  return std::nullopt;
}

TableCell Study7zRatio(const Reference& ref, const std::string& arch, const std::string& rt,
                       const std::string& metric) {
  auto v = Study7zRating(ref, arch, rt, metric);
  auto n = Study7zRating(ref, arch, "native", metric);
  if (!v || !n) return Empty();
  return Percent(*v / *n, 1);
}

std::vector<double> Speeds(const std::vector<const SeriesStats*>& rows) {
  std::vector<double> out;
  for (const auto* r : rows) out.push_back(r->vs_baseline->speed);
  return out;
}

// The marks a ratio carries in the summary tables: " (multimodal)" when either side is, and
// " (below what this run can resolve)" when |ln ratio| < the minimum detectable effect.
std::string Marks(bool multimodal, double speed, double mde) {
  std::string m;
  if (multimodal) m += " (multimodal)";
  if (std::fabs(std::log(speed)) < mde) m += std::string(" (") + kBelowResolution + ")";
  return m;
}

TableCell Marked(TableCell c, const std::string& marks) {
  c.text += marks;
  return c;
}

}  // namespace

// The geometric mean of the rows' speed ratios, as a ratio or a percentage, marked. Its minimum
// detectable effect: the mean of k logs has the variance Σσᵢ²/k², so mde = sqrt(Σ mdeᵢ²) / k.
TableCell GeoMeanCell(const std::vector<const SeriesStats*>& rows, bool percent) {
  if (rows.empty()) return Empty();
  const double g = GeoMean(Speeds(rows));
  double sum_sq = 0;
  int multimodal = 0;
  for (const auto* r : rows) {
    sum_sq += r->vs_baseline->mde * r->vs_baseline->mde;
    if (r->vs_baseline->AnyMultimodal()) multimodal++;
  }
  const double mde = std::sqrt(sum_sq) / static_cast<double>(rows.size());
  std::string marks = Marks(false, g, mde);
  if (multimodal > 0) marks += fmt::format(" ({} multimodal)", multimodal);
  return Marked(percent ? Percent(g, 1) : Ratio(g), marks);
}

// A note under a summary table naming the multimodal series whose ratios it includes.
void NoteMultimodal(Table& t, const std::vector<const SeriesStats*>& rows) {
  std::string names;
  for (const auto* r : rows)
    if (r->vs_baseline->AnyMultimodal())
      names += fmt::format("{}{} {}", names.empty() ? "" : ", ", r->series.runtime, r->series.name);
  if (!names.empty())
    t.notes.push_back(
        "Included although multimodal (their medians depend on which mode the "
        "repetitions fell in; see the benchmarks table): " +
        names + ".");
}

namespace {

// The min–max of the rows' ratios as percentages.
TableCell RangeOf(const std::vector<const SeriesStats*>& rows) {
  const auto v = Speeds(rows);
  return RangePct(*std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
}

}  // namespace

std::string SigMark(const VsBaseline& v) { return v.significant ? "" : "~"; }

TableCell Ratio(double v) {
  if (std::isnan(v)) return Empty();
  return TableCell(fmt::format("{:.3f}", v), v);
}

std::vector<const SeriesStats*> Compared(const Analysis& a, const std::string& rt,
                                         const std::function<bool(const Series&)>& pred) {
  std::vector<const SeriesStats*> out;
  for (const auto& row : a.rows)
    if (row.series.runtime == rt && row.vs_baseline && pred(row.series)) out.push_back(&row);
  return out;
}

TableCell MdeCell(double mde) {
  return std::isfinite(mde) ? TableCell(MdeText(mde), std::exp(mde) - 1) : TableCell(MdeText(mde));
}

std::string RunArch(const Results& r) {
  const auto& host = r.run.raw.value("host", nlohmann::json::object());
  std::string arch = host.is_object() ? host.value("arch", "") : "";
  if (arch == "x86_64") arch = "amd64";
  if (arch == "aarch64") arch = "arm64";
  return arch;
}

Section PerBenchmarkSection(const Analysis& a) {
  Section s;
  s.title = "Per benchmark and runtime";
  s.paragraphs.push_back(fmt::format(
      "Median, quartiles, min/max and coefficient of variation over the repetitions. "
      "\"vs {0}\" is the performance relative to {0}, direction-aware: > 1 is better, < 1 is "
      "worse (for time per op it is {0}'s time / this runtime's time; for requests/s, MIPS and "
      "bytes/s it is this runtime's value / {0}'s). 95% CI: percentile bootstrap of the ratio "
      "of medians ({1} resamples, seeded). p: two-sided Mann–Whitney U. \"~\" marks a "
      "difference that is not significant (p ≥ {2} or the CI contains 1, or a gate below). "
      "\"CV>{3:.0f}%\" warns of a noisy series. modes: \"multimodal\" when the repetitions fall "
      "in two clusters (a gap between sorted neighbours ≥ {4}× and > {5}× the spread within the "
      "clusters, on a log scale), in this runtime or in {0}; such a ratio is never significant, "
      "nor is one where either CV is above {6:.0f}%. MDE: the smallest difference of the ratio "
      "this run could detect (α = {2}, power {7:.0f}%, from both CVs and n). verdict: \"cannot "
      "tell on this host\" when the CI straddles the band ±MDE.",
      a.options.baseline, a.options.resamples, a.options.alpha, a.options.cv_warn * 100,
      a.options.modality.min_gap_ratio, a.options.modality.gap_vs_spread, a.options.cv_max * 100,
      a.options.power * 100));
  Table t{.id = "benchmarks",
          .columns = {"group", "benchmark", "runtime", "metric", "unit", "better", "n", "median",
                      "Q1", "Q3", "min", "max", "CV", "vs " + a.options.baseline, "CI low",
                      "CI high", "p", "not sig.", "warning"}};
  t.columns.insert(t.columns.end(), {"modes", "MDE", "verdict"});
  for (const auto& r : a.rows) {
    const auto& s = r.series;
    std::vector<TableCell> row = {s.group,
                                  s.name,
                                  s.runtime,
                                  s.metric,
                                  s.unit,
                                  ToString(s.direction),
                                  Num(static_cast<double>(s.values.size())),
                                  Num(r.median, 5),
                                  Num(r.q1, 5),
                                  Num(r.q3, 5),
                                  Num(r.min, 5),
                                  Num(r.max, 5),
                                  Percent(r.cv, 1)};
    if (r.vs_baseline) {
      const auto& v = *r.vs_baseline;
      row.insert(row.end(), {Ratio(v.speed), Ratio(v.speed_ci.low), Ratio(v.speed_ci.high),
                             Num(v.p, 3), TableCell(SigMark(v))});
    } else {
      row.insert(row.end(), {Empty(), Empty(), Empty(), Empty(), TableCell("")});
    }
    row.push_back(r.cv > a.options.cv_warn
                      ? TableCell(fmt::format("CV>{:.0f}%", a.options.cv_warn * 100))
                      : TableCell(""));
    const VsBaseline* v = r.vs_baseline ? &*r.vs_baseline : nullptr;
    const bool base_mm = v && v->base_multimodal;
    row.push_back(r.multimodal && base_mm ? "multimodal, " + a.options.baseline + " too"
                  : r.multimodal          ? "multimodal"
                  : base_mm               ? a.options.baseline + " multimodal"
                                          : "");
    if (v)
      row.insert(row.end(), {MdeCell(v->mde), TableCell(VerdictText(*v))});
    else
      row.insert(row.end(), {Empty(), TableCell("")});
    t.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(t));
  return s;
}

// Where the Redis and HTTP servers and clients ran in this run (run.json config.placement),
// beside the study's placement; "" when the run does not say.
static std::string PlacementSentence(const nlohmann::json& run) {
  const auto c = run.find("config");
  if (c == run.end() || !c->is_object() || !c->contains("placement")) return "";
  const std::string p = c->value("placement", "");
  const auto placement = Parse<Placement>(p);
  return fmt::format(
      "Redis and HTTP placement in this run: {} ({}). The embedded study's is `both` (two "
      "containers on a bridge network); `ocibench run --placement` chooses.",
      p, placement ? TermOf(*placement).sentence : "unknown placement");
}

Section StudyTablesSection(const Results& r, const Analysis& a, const Reference& ref) {
  Section s;
  s.title = "Summary like the studies";
  const std::string arch = RunArch(r);
  const std::string other = arch == "arm64" ? "amd64" : "arm64";
  s.paragraphs.push_back(fmt::format(
      "This run's ratios beside the published ones (results/reference/). This run is {}; the "
      "embedded study measured x86-64 (Intel i5-8250U laptop) and ARM (Raspberry Pi 4). The "
      "studies' setups differ from ours (Docker/Podman, redis-benchmark over the network "
      "between two containers, 7-Zip's own benchmark): compare shapes, not digits.",
      arch.empty() ? "of an unknown architecture" : arch));
  if (!ref.loaded)
    s.paragraphs.push_back("The reference figures were not found (" + ref.dir.string() +
                           "): reference columns are empty.");
  if (const std::string p = PlacementSentence(r.run.raw); !p.empty()) s.paragraphs.push_back(p);
  std::vector<std::string> others(a.runtimes.begin(), a.runtimes.end());
  others.erase(std::remove(others.begin(), others.end(), a.options.baseline), others.end());

  auto is_redis = [](const Series& x) { return x.name.starts_with("Redis_"); };
  auto is_lzma = [](const Series& x) { return x.name.starts_with("LZMA_"); };
  auto is_comp = [](const Series& x) { return x.name.starts_with("LZMA_Compress"); };
  auto is_decomp = [](const Series& x) { return x.name.starts_with("LZMA_Decompress"); };

  {  // Table 5.1: Redis requests/s ratio min–max per runtime.
    Table t{.id = "study_redis_rps",
            .title = "Redis requests/s / native (like Table 5.1 of the embedded study)",
            .columns = {"runtime", "tests", "min – max", "geometric mean",
                        "study " + (arch.empty() ? std::string("amd64") : arch), "study " + other}};
    for (const auto& rt : others) {
      auto v = Compared(a, rt, is_redis);
      if (v.empty()) continue;
      const auto study = StudyRuntimeName(rt);
      t.rows.push_back({rt, Num(static_cast<double>(v.size())), RangeOf(v), GeoMeanCell(v, true),
                        StudyRange(ref, "redis_rps", arch.empty() ? "amd64" : arch, study),
                        StudyRange(ref, "redis_rps", other, study)});
      NoteMultimodal(t, v);
    }
    s.tables.push_back(std::move(t));
  }
  {  // Table 5.2: LZMA rating ratio per runtime, plus the 7z tables' ratios.
    const std::string arch_a = arch.empty() ? "amd64" : arch;
    Table t{.id = "study_lzma_rating",
            .title = "LZMA rating / native (like Table 5.2 of the embedded study)",
            .columns = {"runtime", "benchmarks", "min – max", "compression (geo. mean)",
                        "decompression (geo. mean)", "study " + arch_a, "study " + other,
                        "study " + arch_a + " compression avg",
                        "study " + arch_a + " decompression avg"}};
    for (const auto& rt : others) {
      auto v = Compared(a, rt, is_lzma);
      if (v.empty()) continue;
      const auto study = StudyRuntimeName(rt);
      NoteMultimodal(t, v);
      t.rows.push_back({rt, Num(static_cast<double>(v.size())), RangeOf(v),
                        GeoMeanCell(Compared(a, rt, is_comp), true),
                        GeoMeanCell(Compared(a, rt, is_decomp), true),
                        StudyRange(ref, "lzma_rating", arch_a, study),
                        StudyRange(ref, "lzma_rating", other, study),
                        Study7zRatio(ref, arch_a, study, "compression_average"),
                        Study7zRatio(ref, arch_a, study, "decompression_average")});
    }
    t.notes.push_back(
        "Study columns: Table 5.2 as printed; the last two are rating / native rating computed "
        "from Table 4.7 (x86) or 4.8 (ARM).");
    s.tables.push_back(std::move(t));
  }
  {  // Per-category geometric means (pyperformance study, Fleming & Wallace).
    Table t{.id = "category_geomean",
            .title = "Geometric mean of the speed ratio per category (group) and runtime",
            .columns = {"group"}};
    for (const auto& rt : others) t.columns.push_back(rt);
    std::vector<std::string> cats = a.groups;
    cats.push_back("all");
    for (const auto& g : cats) {
      std::vector<TableCell> row = {g};
      bool any = false;
      for (const auto& rt : others) {
        auto v = Compared(a, rt, [&](const Series& x) { return g == "all" || x.group == g; });
        row.push_back(GeoMeanCell(v, false));
        any = any || !v.empty();
        if (g == "all") NoteMultimodal(t, v);
      }
      if (any) t.rows.push_back(std::move(row));
    }
    t.notes.push_back(
        "As the pyperformance study (Björklund 2021, section 7) summarised categories: the "
        "geometric mean of per-benchmark ratios (Fleming & Wallace 1986). 1 = like native. "
        "\"below what this run can resolve\": |ln mean| < sqrt(Σ MDEᵢ²)/k, the minimum "
        "detectable effect of a mean of k log ratios.");
    if (ref.loaded) {
      std::string kata;
      for (const auto& row : ref.pyperf_categories)
        kata += (kata.empty() ? "" : ", ") + row.at("category") + " +" +
                row.at("kata_vs_crun_overhead_pct") + "%";
      t.notes.push_back(
          "Published Kata overhead vs crun per pyperformance category "
          "(Björklund 2021, sections 7.1–7.11): " +
          kata + ".");
    }
    s.tables.push_back(std::move(t));
  }
  if (auto t = AppsCategoryTable(a, ref)) s.tables.push_back(std::move(*t));  // report_apps.cc
  {  // Per Redis test beside the study's per-test ratios.
    Table t{.id = "study_redis_tests",
            .title = "Redis requests/s / native per test, this run and the study",
            .columns = {"test"}};
    for (const auto& rt : others) {
      t.columns.push_back(rt);
      t.columns.push_back(rt + " study amd64");
      t.columns.push_back(rt + " study arm64");
    }
    std::vector<std::string> tests;
    for (const auto& row : a.rows)
      if (is_redis(row.series) &&
          std::find(tests.begin(), tests.end(), row.series.name) == tests.end())
        tests.push_back(row.series.name);
    for (const auto& name : tests) {
      const std::string id = name.substr(6);
      std::vector<TableCell> row = {id};
      for (const auto& rt : others) {
        const SeriesStats* st = nullptr;
        for (const auto& x : a.rows)
          if (x.series.name == name && x.series.runtime == rt) st = &x;
        if (st && st->vs_baseline) {
          const VsBaseline& v = *st->vs_baseline;
          row.push_back(Marked(Percent(v.speed, 1), Marks(v.AnyMultimodal(), v.speed, v.mde)));
        } else {
          row.push_back(Empty());
        }
        for (const char* ar : {"amd64", "arm64"}) {
          auto v = StudyRedisRps(ref, ar, StudyRuntimeName(rt), id);
          auto n = StudyRedisRps(ref, ar, "native", id);
          row.push_back(v && n ? Percent(*v / *n, 1) : Empty());
        }
      }
      t.rows.push_back(std::move(row));
    }
    t.notes.push_back(
        "Study columns computed from the appendix Tables A.1–A.9 (rps / native rps).");
    if (!tests.empty()) s.tables.push_back(std::move(t));
  }
  if (ref.loaded) {
    Table t{.id = "study_install_size",
            .title = "Install size with dependencies (embedded study, Table 4.9)",
            .columns = {"runtime", "arch", "size MB", "packages"}};
    std::set<std::string> mine;
    for (const auto& rt : others) mine.insert(StudyRuntimeName(rt));
    for (const auto& row : ref.install_size)
      if (mine.count(row.at("runtime")))
        t.rows.push_back(
            {row.at("runtime"), row.at("arch"),
             row.at("size_mb").empty() ? Empty() : Num(std::stod(row.at("size_mb"))),
             row.at("packages").empty() ? Empty() : Num(std::stod(row.at("packages")))});
    t.notes.push_back(
        "Reference only: this run does not measure install size (`ocibench footprint` does).");
    if (!t.rows.empty()) s.tables.push_back(std::move(t));
  }
  return s;
}

TableCell StudyRange(const Reference& ref, const std::string& table, const std::string& arch,
                     const std::string& study_rt) {
  for (const auto& row : ref.summary_ratios)
    if (row.at("table") == table && row.at("arch") == arch && row.at("runtime") == study_rt)
      return TableCell(
          row.at("ratio_min_pct") == row.at("ratio_max_pct")
              ? row.at("ratio_min_pct") + "%"
              : fmt::format("{} – {}%", row.at("ratio_min_pct"), row.at("ratio_max_pct")),
          nlohmann::json{{"min", std::stod(row.at("ratio_min_pct")) / 100},
                         {"max", std::stod(row.at("ratio_max_pct")) / 100}});
  return Empty();
}

}  // namespace ocibench::report
