#include "harness/report/report.h"

#include <fmt/format.h>

#include "harness/report/plots.h"

namespace ocibench::report {

namespace fs = std::filesystem;

namespace {

void Attach(Section& s, const std::vector<Plot>& plots, const std::string& prefix) {
  for (const auto& p : plots)
    if (p.id.starts_with(prefix)) s.plots.push_back(p);
}

}  // namespace

Document BuildReport(const Results& r, const Analysis& a, const Reference& ref,
                     const std::vector<Plot>& plots, int top_n) {
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
  Section mem = MemorySection(r, a, ref);
  Attach(mem, plots, "memory_");
  d.sections.push_back(std::move(mem));
  d.sections.push_back(LifecycleSection(r, a));
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
  Document doc = BuildReport(r, a, ref, plots, o.top_n);
  std::vector<fs::path> written;
  WriteFileAtomic(out_dir / "report.md", RenderMarkdown(doc));
  written.push_back(out_dir / "report.md");
  WriteFileAtomic(out_dir / "report.html", RenderHtml(doc));
  written.push_back(out_dir / "report.html");
  WriteFileAtomic(out_dir / "report.json", RenderJson(doc).dump(2) + "\n");
  written.push_back(out_dir / "report.json");
  for (const auto& p : WriteCsvFiles(doc, out_dir)) written.push_back(p);
  for (const auto& p : plots)
    if (!p.svg.empty()) written.push_back(p.svg);
  if (doc_out) *doc_out = std::move(doc);
  return written;
}

}  // namespace ocibench::report
