// The hotspots section: per runtime, the benchmarks with the largest slowdown against the
// baseline and their per-op counters; significant ones first, multimodal ones listed apart.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "harness/report/report.h"

namespace ocibench::report {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

Section HotspotSection(const Analysis& a, int top_n) {
  Section s;
  s.title = "Hotspots";
  bool have_probes = std::any_of(a.rows.begin(), a.rows.end(),
                                 [](const SeriesStats& r) { return r.series.group == "probes"; });
  s.paragraphs.push_back(fmt::format(
      "The {} benchmarks with the largest slowdown against {} per runtime ({}), with their "
      "per-op counters ({} → this runtime, medians over the repetitions) so the cause is "
      "visible. Slowdown = 1 / speed ratio. Significant slowdowns are ranked first; a ~ marks "
      "one the repetitions cannot tell from noise. A benchmark that is multimodal here or in the "
      "baseline is never ranked (listed under the table); \"resolution\" says when a slowdown "
      "is below what this run can resolve (its MDE).",
      top_n, a.options.baseline, have_probes ? "probes group" : "all groups", a.options.baseline));
  Table t{.id = "hotspots",
          .columns = {"runtime", "rank", "benchmark", "slowdown ×", a.options.baseline + " median",
                      "runtime median", "unit", "not sig.", "counters", "MDE", "resolution"}};
  for (const auto& rt : a.runtimes) {
    if (rt == a.options.baseline) continue;
    std::vector<const SeriesStats*> rows;
    std::string multimodal;
    for (const auto* r :
         Compared(a, rt, [&](const Series& x) { return !have_probes || x.group == "probes"; })) {
      if (r->vs_baseline->AnyMultimodal())
        multimodal += (multimodal.empty() ? "" : ", ") + r->series.name;
      else
        rows.push_back(r);
    }
    if (!multimodal.empty())
      t.notes.push_back(rt + ": not ranked, multimodal here or in " + a.options.baseline + ": " +
                        multimodal + ".");
    // Significant slowdowns first: a large ratio that the repetitions cannot tell from noise
    // (marked ~) must not top the list of causes.
    std::sort(rows.begin(), rows.end(), [](auto* x, auto* y) {
      if (x->vs_baseline->significant != y->vs_baseline->significant)
        return x->vs_baseline->significant;
      return x->vs_baseline->speed < y->vs_baseline->speed;
    });
    int rank = 0;
    for (const auto* r : rows) {
      if (rank >= top_n) break;
      rank++;
      const SeriesStats* base = a.Find(r->series.group, r->series.name, a.options.baseline);
      std::string counters;
      for (const auto& [name, values] : r->series.counters) {
        if (name == r->series.metric) continue;
        double b = kNaN;
        if (base && base->series.counters.count(name)) b = Median(base->series.counters.at(name));
        counters += fmt::format("{}{}: {} → {}", counters.empty() ? "" : "; ", name, Num(b).text,
                                Num(Median(values)).text);
      }
      t.rows.push_back({rt, Num(rank), r->series.name, Ratio(1 / r->vs_baseline->speed),
                        Num(base ? base->median : kNaN, 5), Num(r->median, 5), r->series.unit,
                        SigMark(*r->vs_baseline), counters, MdeCell(r->vs_baseline->mde),
                        r->vs_baseline->BelowResolution() ? kBelowResolution : ""});
    }
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ocibench::report
