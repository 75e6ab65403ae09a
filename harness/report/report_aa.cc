// The A/A section: one runtime run twice under two names, so every "significant" difference
// between them is a false positive of this host and these statistics (docs/harness.md, "A/A").
#include <fmt/format.h>

#include <cmath>

#include "harness/report/report.h"

namespace ocibench::report {

std::optional<AaPair> DetectAaPair(const RunInfo& run) {
  const auto& rts = run.runtimes;
  for (std::size_t i = 0; i < rts.size(); i++)
    for (std::size_t j = i + 1; j < rts.size(); j++)
      if (rts[i].kind != "native" && !rts[i].path.empty() && rts[i].kind == rts[j].kind &&
          rts[i].path == rts[j].path && rts[i].args == rts[j].args)
        return AaPair{rts[i].name, rts[j].name, true};
  return std::nullopt;
}

AaResult AaFalsePositives(const Analysis& aa, const std::string& b) {
  AaResult res;
  for (const auto& r : aa.rows) {
    if (r.series.runtime != b || !r.vs_baseline) continue;
    const VsBaseline& v = *r.vs_baseline;
    res.compared++;
    if (v.AnyMultimodal()) res.multimodal++;
    if (v.too_noisy) res.too_noisy++;
    if (v.significant_before_gates) {
      res.raw_significant++;
      res.flagged.push_back(&r);
    }
    if (v.significant) res.significant++;
  }
  return res;
}

Section AaSection(const Analysis& aa, const AaPair& pair) {
  Section s;
  s.title = "A/A: this host's false-positive rate";
  s.paragraphs.push_back(fmt::format(
      "{0} and {1} are the same runtime ({2}), so every difference between them is this host's "
      "noise. The false-positive rate is the fraction of benchmarks the report would call "
      "significant between them ({1} vs {0}, same rules as the benchmarks table); at α = {3} it "
      "should be at most {4:.0f}%. A higher rate says how far this host's verdicts between "
      "different runtimes can be trusted.",
      pair.a, pair.b,
      pair.detected ? "same kind, binary path and arguments in run.json" : "named by --aa",
      aa.options.alpha, aa.options.alpha * 100));
  const AaResult res = AaFalsePositives(aa, pair.b);
  auto fraction = [&](int k) {
    return res.compared == 0 ? Empty() : Percent(static_cast<double>(k) / res.compared, 1);
  };
  Table rate{.id = "aa_rate", .columns = {"what", "benchmarks", "of compared"}};
  rate.rows.push_back({"compared", Num(res.compared), fraction(res.compared)});
  rate.rows.push_back({"falsely significant (the report's verdict)", Num(res.significant),
                       fraction(res.significant)});
  rate.rows.push_back({"p < α and CI excludes 1 (before the multimodal and noise gates)",
                       Num(res.raw_significant), fraction(res.raw_significant)});
  rate.rows.push_back({"multimodal (either name)", Num(res.multimodal), fraction(res.multimodal)});
  rate.rows.push_back({fmt::format("too noisy (a CV above {:.0f}%)", aa.options.cv_max * 100),
                       Num(res.too_noisy), fraction(res.too_noisy)});
  if (res.compared == 0)
    rate.notes.push_back("No benchmark has repetitions under both " + pair.a + " and " + pair.b +
                         ".");
  s.tables.push_back(std::move(rate));
  Table t{.id = "aa_false_positives",
          .title = "Benchmarks with p < α and a CI excluding 1 between the two names",
          .columns = {"group", "benchmark", "n", pair.a + " median", pair.b + " median", "unit",
                      "ratio", "CI low", "CI high", "p", "MDE", "verdict"}};
  for (const auto* r : res.flagged) {
    const VsBaseline& v = *r->vs_baseline;
    const SeriesStats* base = aa.Find(r->series.group, r->series.name, pair.a);
    t.rows.push_back(
        {r->series.group, r->series.name, Num(static_cast<double>(r->series.values.size())),
         Num(base ? base->median : std::nan(""), 5), Num(r->median, 5), r->series.unit,
         Num(v.speed, 4), Num(v.speed_ci.low, 4), Num(v.speed_ci.high, 4), Num(v.p, 3),
         MdeText(v.mde), v.significant ? "falsely significant" : "held back: " + VerdictText(v)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ocibench::report
