// `ocibench report`: the Document for one results directory, and writing it out.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/document.h"
#include "harness/report/reference.h"
#include "harness/report/results.h"

namespace ocibench::report {

struct ReportOptions {
  AnalysisOptions analysis;
  int top_n = 10;                       // hotspots per runtime
  std::filesystem::path reference_dir;  // results/reference ("" = none)
  bool plots = true;                    // render SVGs with gnuplot
  std::string gnuplot = "gnuplot";
  std::vector<std::string> aa;  // --aa A,B; empty = DetectAaPair
};

// A/A: two names for one runtime (docs/harness.md, "A/A").
struct AaPair {
  std::string a, b;
  bool detected = false;  // from run.json (same kind, path, args), not named by --aa
};
// The first two non-native runtimes of run.json with the same kind, binary path and arguments.
std::optional<AaPair> DetectAaPair(const RunInfo& run);

struct AaResult {
  int compared = 0;         // benchmarks with a ratio b vs a
  int significant = 0;      // the report's verdict (gates applied): the false positives
  int raw_significant = 0;  // significant_before_gates: p < alpha and the CI excludes 1
  int multimodal = 0, too_noisy = 0;
  std::vector<const SeriesStats*> flagged;  // the raw_significant rows (b's)
};
// `aa` is an Analysis whose baseline is the pair's `a`.
AaResult AaFalsePositives(const Analysis& aa, const std::string& b);
Section AaSection(const Analysis& aa, const AaPair& pair);

// Sections (each builds from the analysed run; plots are attached by id when present).
Section HostSection(const Results& r);
Section PerBenchmarkSection(const Analysis& a);
Section StudyTablesSection(const Results& r, const Analysis& a, const Reference& ref);
Section HotspotSection(const Analysis& a, int top_n);
Section MemorySection(const Results& r, const Analysis& a, const Reference& ref);
Section LifecycleSection(const Results& r, const Analysis& a);
Section FootprintSection(const Results& r);  // footprint.json, portability.json
Section NotesSection(const Results& r);
// Engine runtimes (podman-X) against the runtimes they run (X); none when the run has no engine
// runtime (report_engine.cc).
std::optional<Section> EngineSection(const Results& r, const Analysis& a);
// The apps group's categories (Apps_<category>_*) per runtime beside the pyperformance study's
// section 7 figures; nullopt when the run has no apps benchmarks (report_apps.cc).
std::optional<Table> AppsCategoryTable(const Analysis& a, const Reference& ref);
// The geometric mean of the rows' speed ratios as a ratio (or a percentage), marked multimodal
// or below what the run can resolve; a note naming the multimodal rows (report_perf.cc).
TableCell GeoMeanCell(const std::vector<const SeriesStats*>& rows, bool percent);
void NoteMultimodal(Table& t, const std::vector<const SeriesStats*>& rows);
// startup.csv, concurrency.csv, density.csv (report_startup.cc) and the anchors' figures.
bool HasStartupResults(const Results& r);
Section StartupSection(const Results& r, const Reference& ref);
// "startup_cdf_<workload>": the CDF of each runtime's start-up (default bundle).
std::vector<Plot> RenderStartupPlots(const Results& r, const std::filesystem::path& dir,
                                     const std::string& gnuplot);

// A minimum detectable effect (VsBaseline::mde) as a cell: "±12.3%" with the fraction as its
// value, or the text "any" when the run cannot resolve anything.
TableCell MdeCell(double mde);
// "~" beside a ratio the repetitions cannot tell from noise, "" when significant.
std::string SigMark(const VsBaseline& v);
// A speed ratio as "0.953" (empty for NaN).
TableCell Ratio(double v);
// A runtime's rows matching `pred` that have a ratio to the baseline.
std::vector<const SeriesStats*> Compared(const Analysis& a, const std::string& runtime,
                                         const std::function<bool(const Series&)>& pred);

// The study's published min–max of a summary table (summary_ratios.csv: "lzma_rating",
// "redis_rps") for a study runtime and arch, as "88 – 97%" with {min, max}; Empty() if absent.
TableCell StudyRange(const Reference& ref, const std::string& table, const std::string& arch,
                     const std::string& study_rt);

// The study's arch name for this run ("amd64" | "arm64" | …), from run.json's host.arch.
std::string RunArch(const Results& r);

// Everything, in reading order. `plots` (RenderPlots) are placed in their sections.
// `aa`, when given, goes after the hotspots.
Document BuildReport(const Results& r, const Analysis& a, const Reference& ref,
                     const std::vector<Plot>& plots, int top_n, const Section* aa = nullptr);

// What `ocibench report` writes into `out_dir`: report.md, report.html, report.json, one CSV
// per table and plots/*.svg. Returns the files written.
std::vector<std::filesystem::path> WriteReport(const std::filesystem::path& results_dir,
                                               const std::filesystem::path& out_dir,
                                               const ReportOptions& options, Document* doc_out);

}  // namespace ocibench::report
