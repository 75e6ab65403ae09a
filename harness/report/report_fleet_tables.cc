// The fleet report's tables: the studies' summaries with a column group per host, each host's
// ratios to its own native, and the differences between hosts with confidence intervals.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/report/fleet_stats.h"
#include "harness/report/report.h"
#include "harness/report/report_fleet.h"

namespace ocibench::report {

namespace {

bool IsRedis(const Series& x) { return x.name.starts_with("Redis_"); }
bool IsLzma(const Series& x) { return x.name.starts_with("LZMA_"); }

// Min–max and geometric mean of a runtime's speed ratios on one host, as two cells.
std::pair<TableCell, TableCell> RangeAndMean(const std::vector<const SeriesStats*>& rows) {
  if (rows.empty()) return {Empty(), Empty()};
  std::vector<double> v;
  for (const auto* r : rows) v.push_back(r->vs_baseline->speed);
  const double lo = *std::min_element(v.begin(), v.end());
  const double hi = *std::max_element(v.begin(), v.end());
  return {TableCell(fmt::format("{:.0f} – {:.0f}%", lo * 100, hi * 100),
                    nlohmann::json{{"min", lo}, {"max", hi}}),
          Percent(GeoMean(v), 1)};
}

// One study table: per runtime, a (tests, min – max, geo. mean) group per host, then the
// study's two platforms.
Table StudySummary(const std::vector<HostAnalysis>& hosts, const Reference& ref,
                   const std::string& id, const std::string& title, const std::string& study_table,
                   const std::function<bool(const Series&)>& pred) {
  Table t{.id = id, .title = title, .columns = {"runtime"}};
  for (const auto& h : hosts)
    for (const char* c : {"n", "min – max", "geo. mean"})
      t.columns.push_back(h.host->name + ": " + c);
  t.columns.insert(t.columns.end(), {"study amd64", "study arm64"});
  for (const auto& rt : FleetRuntimes(hosts)) {
    std::vector<TableCell> row = {rt};
    bool any = false;
    for (const auto& h : hosts) {
      const auto v = Compared(h.analysis, rt, pred);
      any = any || !v.empty();
      auto [range, mean] = RangeAndMean(v);
      row.insert(row.end(), {v.empty() ? Empty() : Num(static_cast<double>(v.size())),
                             std::move(range), std::move(mean)});
    }
    for (const char* arch : {"amd64", "arm64"})
      row.push_back(StudyRange(ref, study_table, arch, StudyRuntimeName(rt)));
    if (any) t.rows.push_back(std::move(row));
  }
  return t;
}

// Every (group, benchmark, runtime) that some host has, in the first host's order and then
// the others'.
std::vector<const SeriesStats*> UnionOfRows(const std::vector<HostAnalysis>& hosts) {
  std::vector<const SeriesStats*> out;
  for (const auto& h : hosts)
    for (const auto& r : h.analysis.rows)
      if (std::none_of(out.begin(), out.end(), [&](const SeriesStats* x) {
            return x->series.group == r.series.group && x->series.name == r.series.name &&
                   x->series.runtime == r.series.runtime;
          }))
        out.push_back(&r);
  return out;
}

}  // namespace

Section FleetStudySection(const std::vector<HostAnalysis>& hosts, const Reference& ref) {
  Section s;
  s.title = "Summary like the studies, per host";
  s.paragraphs.push_back(
      "Each host's runtimes against that host's own native (like the embedded study's x86-64 "
      "and Raspberry Pi 4 columns), then the study's published ranges. Compare shapes, not "
      "digits: the studies' setups differ from ours.");
  if (!ref.loaded)
    s.paragraphs.push_back("The reference figures were not found (" + ref.dir.string() +
                           "): study columns are empty.");
  s.tables.push_back(StudySummary(hosts, ref, "fleet_study_redis_rps",
                                  "Redis requests/s / native per host (like Table 5.1)",
                                  "redis_rps", IsRedis));
  s.tables.push_back(StudySummary(hosts, ref, "fleet_study_lzma_rating",
                                  "LZMA rating / native per host (like Table 5.2)", "lzma_rating",
                                  IsLzma));
  Table t{.id = "fleet_category_geomean",
          .title = "Geometric mean of the speed ratio per group, runtime and host",
          .columns = {"runtime", "group"}};
  for (const auto& h : hosts) t.columns.push_back(h.host->name);
  for (const auto& rt : FleetRuntimes(hosts)) {
    std::vector<std::string> groups;
    for (const auto& h : hosts)
      for (const auto& g : h.analysis.groups)
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    groups.push_back("all");
    for (const auto& g : groups) {
      std::vector<TableCell> row = {rt, g};
      bool any = false;
      for (const auto& h : hosts) {
        const auto v =
            Compared(h.analysis, rt, [&](const Series& x) { return g == "all" || x.group == g; });
        std::vector<double> speeds;
        for (const auto* r : v) speeds.push_back(r->vs_baseline->speed);
        row.push_back(speeds.empty() ? Empty() : Ratio(GeoMean(speeds)));
        any = any || !speeds.empty();
      }
      if (any) t.rows.push_back(std::move(row));
    }
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section FleetRatiosSection(const std::vector<HostAnalysis>& hosts) {
  Section s;
  s.title = "Each runtime against its host's native, per benchmark";
  s.paragraphs.push_back(
      "vs native: direction-aware speed ratio of the medians (> 1 better), its bootstrap 95% CI "
      "and the verdict of the single-host report, per host. \"–\": the host has no such series.");
  Table t{.id = "fleet_ratios", .columns = {"group", "benchmark", "runtime"}};
  for (const auto& h : hosts)
    for (const char* c : {"vs native", "CI low", "CI high", "verdict"})
      t.columns.push_back(h.host->name + ": " + c);
  for (const SeriesStats* key : UnionOfRows(hosts)) {
    const Series& k = key->series;
    bool any = false;
    std::vector<TableCell> row = {k.group, k.name, k.runtime};
    for (const auto& h : hosts) {
      const SeriesStats* r = h.analysis.Find(k.group, k.name, k.runtime);
      if (!r || !r->vs_baseline) {
        row.insert(row.end(), {Empty(), Empty(), Empty(), TableCell("")});
        continue;
      }
      any = true;
      const VsBaseline& v = *r->vs_baseline;
      row.insert(row.end(), {Ratio(v.speed), Ratio(v.speed_ci.low), Ratio(v.speed_ci.high),
                             TableCell(VerdictText(v))});
    }
    if (any) t.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section FleetDifferencesSection(const Fleet& fleet, const std::vector<HostAnalysis>& hosts) {
  Section s;
  s.title = "Differences between hosts";
  const HostAnalysis& ref = hosts.front();
  const std::string& refname = ref.host->name;
  s.paragraphs.push_back(fmt::format(
      "Every host against {0}. \"speed vs {0}\": the same benchmark and runtime on the two "
      "machines (direction-aware ratio of medians, > 1 = faster than on {0}), with its "
      "bootstrap 95% CI, Mann–Whitney p and the verdict with the report's gates and MDE. "
      "\"cost vs {0}\": the runtime's ratio to native on this host divided by its ratio to "
      "native on {0} (> 1: the runtime loses less of its host's speed here), with a bootstrap "
      "95% CI over the four series; \"cannot tell from these runs\" when the CI contains 1.",
      refname));
  if (hosts.size() < 2) {
    s.paragraphs.push_back("Only one readable host: nothing to compare it with.");
    return s;
  }
  if (!fleet.incomparable_groups.empty())
    s.paragraphs.push_back(
        "Groups left out here because their settings differ between hosts: see Hosts.");
  Table t{.id = "fleet_differences",
          .columns = {"group", "benchmark", "runtime", "host", "speed vs " + refname, "CI low",
                      "CI high", "p", "verdict", "cost vs " + refname, "cost CI low",
                      "cost CI high", "cost verdict"}};
  const AnalysisOptions& o = ref.analysis.options;
  for (std::size_t i = 1; i < hosts.size(); i++) {
    const HostAnalysis& h = hosts[i];
    for (const auto& r : h.analysis.rows) {
      const Series& x = r.series;
      if (fleet.incomparable_groups.count(x.group)) continue;
      const SeriesStats* a = ref.analysis.Find(x.group, x.name, x.runtime);
      if (!a || a->median <= 0 || r.median <= 0) continue;
      const VsBaseline v = CompareAcrossHosts(*a, r, o);
      std::vector<TableCell> row = {x.group,
                                    x.name,
                                    x.runtime,
                                    h.host->name,
                                    Ratio(v.speed),
                                    Ratio(v.speed_ci.low),
                                    Ratio(v.speed_ci.high),
                                    Num(v.p, 3),
                                    TableCell(VerdictText(v))};
      const SeriesStats* na = ref.analysis.Find(x.group, x.name, o.baseline);
      const SeriesStats* nb = h.analysis.Find(x.group, x.name, h.analysis.options.baseline);
      if (x.runtime != o.baseline && na && nb && na->median > 0 && nb->median > 0) {
        const OverheadDifference d = CompareOverheads(
            na->series.values, a->series.values, nb->series.values, x.values, x.direction,
            SeriesSeed(o.seed, x.group, x.name, x.runtime + "@cost"), o.resamples);
        row.insert(row.end(),
                   {Ratio(d.ratio), Ratio(d.ci.low), Ratio(d.ci.high),
                    TableCell(d.differs ? (d.ratio > 1 ? "costs less here" : "costs more here")
                                        : "cannot tell from these runs")});
      } else {
        row.insert(row.end(), {Empty(), Empty(), Empty(), TableCell("")});
      }
      t.rows.push_back(std::move(row));
    }
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ocibench::report
