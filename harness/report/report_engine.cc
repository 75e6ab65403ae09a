// The "engine overhead" section: each engine runtime (podman-X, run.json kind "engine") against
// the runtime it runs (X, its "runtime"), per benchmark and per group, with confidence
// intervals: what podman adds (conmon, its mounts, seccomp profile and defaults) to X.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "harness/report/report.h"

namespace ocibench::report {
namespace {

// Median of `values` resampled with replacement.
double ResampledMedian(const std::vector<double>& values, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
  std::vector<double> r(values.size());
  for (auto& x : r) x = values[pick(rng)];
  return Median(r);
}

struct GroupOverhead {
  std::vector<const SeriesStats*> rows;  // the engine runtime's series with a ratio
  double geomean = std::nan("");
  Interval ci{std::nan(""), std::nan("")};
};

// The geometric mean of the benchmarks' speed ratios and its percentile-bootstrap 95 % CI:
// each resample draws every benchmark's repetitions on both sides with replacement (the
// benchmarks are the group's fixed set, so they are not resampled themselves).
void Summarize(GroupOverhead& g, const Analysis& vs, const std::string& base, std::uint64_t seed,
               int resamples) {
  std::vector<double> logs;
  std::vector<std::pair<const Series*, const Series*>> pairs;
  for (const auto* r : g.rows) {
    const SeriesStats* b = vs.Find(r->series.group, r->series.name, base);
    if (!b) continue;
    logs.push_back(std::log(r->vs_baseline->speed));
    pairs.push_back({&b->series, &r->series});
  }
  if (pairs.empty()) return;
  double sum = 0;
  for (double l : logs) sum += l;
  g.geomean = std::exp(sum / static_cast<double>(logs.size()));
  std::mt19937_64 rng(seed);
  std::vector<double> means;
  for (int i = 0; i < resamples; ++i) {
    double s = 0;
    for (const auto& [b, e] : pairs)
      s += std::log(SpeedRatio(ResampledMedian(e->values, rng), ResampledMedian(b->values, rng),
                               e->direction));
    means.push_back(std::exp(s / static_cast<double>(pairs.size())));
  }
  g.ci = {Quantile(means, 0.025), Quantile(means, 0.975)};
}

std::string GroupVerdict(const GroupOverhead& g) {
  if (std::isnan(g.ci.low)) return "";
  if (g.ci.high < 1) return "slower through the engine";
  if (g.ci.low > 1) return "faster through the engine";
  return "cannot tell on this host";
}

}  // namespace

std::optional<Section> EngineSection(const Results& r, const Analysis& a) {
  std::vector<const RunRuntime*> engines;
  for (const auto& rt : r.run.runtimes)
    if (rt.kind == "engine") engines.push_back(&rt);
  if (engines.empty()) return std::nullopt;
  Section s;
  s.title = "Engine overhead";
  s.paragraphs.push_back(
      "Each engine runtime against the runtime it runs (podman-runc against runc): the speed "
      "ratio engine / runtime per benchmark (> 1 = faster through the engine) with its bootstrap "
      "95% CI and the same gates as the benchmarks table, and per group the geometric mean of "
      "the ratios with a bootstrap 95% CI (every benchmark's repetitions resampled on both "
      "sides). Both ran in the same interleaved matrix with the same CPU and memory limits; "
      "what differs is the engine: podman's conmon, its mounts and default seccomp profile and "
      "capabilities, and its own create and start path.");
  Table groups{.id = "engine_overhead",
               .title = "Per group: geometric mean of engine / runtime",
               .columns = {"engine runtime", "runtime", "group", "benchmarks", "ratio", "CI low",
                           "CI high", "verdict"}};
  Table per{
      .id = "engine_overhead_benchmarks",
      .title = "Per benchmark: engine / runtime",
      .columns = {"engine runtime", "runtime", "group", "benchmark", "n", "runtime median",
                  "engine median", "unit", "ratio", "CI low", "CI high", "p", "MDE", "verdict"}};
  for (const RunRuntime* e : engines) {
    if (e->over.empty() ||
        std::find(a.runtimes.begin(), a.runtimes.end(), e->over) == a.runtimes.end()) {
      groups.notes.push_back(fmt::format(
          "{} runs {}, which is not in this run: run both (--runtimes {},{}) to see what the "
          "engine adds.",
          e->name, e->over.empty() ? "an unnamed runtime" : e->over, e->name,
          e->over.empty() ? "X" : e->over));
      continue;
    }
    AnalysisOptions o = a.options;
    o.baseline = e->over;
    const Analysis vs = Analyze(r, o);
    std::map<std::string, GroupOverhead> by_group;
    for (const auto& row : vs.rows) {
      if (row.series.runtime != e->name || !row.vs_baseline) continue;
      by_group[row.series.group].rows.push_back(&row);
      const VsBaseline& v = *row.vs_baseline;
      const SeriesStats* base = vs.Find(row.series.group, row.series.name, e->over);
      per.rows.push_back({e->name, e->over, row.series.group, row.series.name,
                          Num(static_cast<double>(row.series.values.size())),
                          Num(base ? base->median : std::nan(""), 5), Num(row.median, 5),
                          row.series.unit, Num(v.speed, 4), Num(v.speed_ci.low, 4),
                          Num(v.speed_ci.high, 4), Num(v.p, 3), MdeText(v.mde), VerdictText(v)});
    }
    for (auto& [group, g] : by_group) {
      Summarize(g, vs, e->over, SeriesSeed(o.seed, group, e->name, e->over), o.resamples);
      groups.rows.push_back({e->name, e->over, group, Num(static_cast<double>(g.rows.size())),
                             Num(g.geomean, 4), Num(g.ci.low, 4), Num(g.ci.high, 4),
                             GroupVerdict(g)});
    }
    if (by_group.empty())
      groups.notes.push_back(
          fmt::format("{} and {} have no benchmark with repetitions in both.", e->name, e->over));
  }
  s.tables.push_back(std::move(groups));
  s.tables.push_back(std::move(per));
  return s;
}

}  // namespace ocibench::report
