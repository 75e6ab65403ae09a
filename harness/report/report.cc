#include "harness/report/report.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/report/plots.h"
#include "harness/report/report_why.h"

namespace ocibench::report {

namespace fs = std::filesystem;

namespace {

void Attach(Section& s, const std::vector<Plot>& plots, const std::string& prefix) {
  for (const auto& p : plots)
    if (p.id.starts_with(prefix)) s.plots.push_back(p);
}

// --aa A,B (checked against run.json's runtimes) or the detected pair; none without either.
std::optional<AaPair> ResolveAaPair(const Results& r, const std::vector<std::string>& names) {
  if (names.empty()) return DetectAaPair(r.run);
  std::string known;
  for (const auto& rt : r.run.runtimes) known += (known.empty() ? "" : ", ") + rt.name;
  if (names.size() != 2 || names[0] == names[1])
    throw ResultsError("--aa wants two different runtime names A,B (run.json has " + known + ")");
  for (const auto& n : names)
    if (std::none_of(r.run.runtimes.begin(), r.run.runtimes.end(),
                     [&](const RunRuntime& rt) { return rt.name == n; }))
      throw ResultsError("--aa: runtime '" + n + "' is not in " + (r.dir / "run.json").string() +
                         " (runtimes: " + known + ")");
  return AaPair{names[0], names[1], false};
}

}  // namespace

Document BuildReport(const Results& r, const Analysis& a, const Reference& ref,
                     const std::vector<Plot>& plots, int top_n, const Section* aa) {
  Document d;
  d.title = "ocibench report: " + r.dir.filename().string();
  std::string rts;
  for (const auto& rt : a.runtimes) rts += (rts.empty() ? "" : ", ") + rt;
  std::string groups;
  for (const auto& g : a.groups) groups += (groups.empty() ? "" : ", ") + g;
  d.intro.push_back(fmt::format(
      "Results directory {}: runtimes {}; groups {}; {} benchmark "
      "results from {} cells. Baseline: {}.",
      r.dir.string(), rts, groups, r.entries.size(), r.run.cells.size(), a.options.baseline));
  Section summary = StudyTablesSection(r, a, ref);
  Attach(summary, plots, "redis_rps");
  Attach(summary, plots, "latency");
  Attach(summary, plots, "lzma_rating");
  d.sections.push_back(std::move(summary));
  Section per = PerBenchmarkSection(a);
  Attach(per, plots, "ratio_heatmap");
  d.sections.push_back(std::move(per));
  d.sections.push_back(HotspotSection(a, top_n));
  Section why = WhySection(Attribute(r.dir));
  Attach(why, plots, "why");
  d.sections.push_back(std::move(why));
  if (aa) d.sections.push_back(*aa);
  if (auto engine = EngineSection(r, a)) d.sections.push_back(std::move(*engine));
  Section mem = MemorySection(r, a, ref);
  Attach(mem, plots, "memory_");
  d.sections.push_back(std::move(mem));
  d.sections.push_back(LifecycleSection(r, a));
  if (HasStartupResults(r)) {
    Section startup = StartupSection(r, ref);
    Attach(startup, plots, "startup_cdf_");
    d.sections.push_back(std::move(startup));
  }
  d.sections.push_back(FootprintSection(r));
  d.sections.push_back(HostSection(r));
  d.sections.push_back(NotesSection(r));
  return d;
}

std::vector<fs::path> WriteReport(const fs::path& results_dir, const fs::path& out_dir,
                                  const ReportOptions& o, Document* doc_out) {
  const Results r = LoadResults(results_dir);
  AnalysisOptions ao = o.analysis;
  if (r.run.seed && ao.seed == AnalysisOptions{}.seed) ao.seed = *r.run.seed;
  const Analysis a = Analyze(r, ao);
  const Reference ref = LoadReference(o.reference_dir);
  fs::create_directories(out_dir);
  std::vector<Plot> plots;
  if (o.plots) plots = RenderPlots(r, a, out_dir / "plots", o.gnuplot);
  if (o.plots && HasStartupResults(r))
    for (auto& p : RenderStartupPlots(r, out_dir / "plots", o.gnuplot)) plots.push_back(p);
  if (o.plots) plots.push_back(RenderWhyPlot(Attribute(r.dir), out_dir / "plots", o.gnuplot));
  std::optional<Section> aa;
  if (const auto pair = ResolveAaPair(r, o.aa)) {
    AnalysisOptions aa_options = ao;
    aa_options.baseline = pair->a;
    aa = AaSection(Analyze(r, aa_options), *pair);
  }
  Document doc = BuildReport(r, a, ref, plots, o.top_n, aa ? &*aa : nullptr);
  std::vector<fs::path> written = WriteDocument(doc, out_dir);
  for (const auto& p : plots)
    if (!p.svg.empty()) written.push_back(p.svg);
  if (doc_out) *doc_out = std::move(doc);
  return written;
}

}  // namespace ocibench::report
