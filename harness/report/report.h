// `ocibench report`: the Document for one results directory, and writing it out.
#pragma once

#include <filesystem>
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
};

// Sections (each builds from the analysed run; plots are attached by id when present).
Section HostSection(const Results& r);
Section PerBenchmarkSection(const Analysis& a);
Section StudyTablesSection(const Results& r, const Analysis& a, const Reference& ref);
Section HotspotSection(const Analysis& a, int top_n);
Section MemorySection(const Results& r, const Analysis& a, const Reference& ref);
Section LifecycleSection(const Results& r, const Analysis& a);
Section FootprintSection(const Results& r);  // footprint.json, portability.json
Section NotesSection(const Results& r);

// The study's arch name for this run ("amd64" | "arm64" | …), from run.json's host.arch.
std::string RunArch(const Results& r);

// Everything, in reading order. `plots` (RenderPlots) are placed in their sections.
Document BuildReport(const Results& r, const Analysis& a, const Reference& ref,
                     const std::vector<Plot>& plots, int top_n);

// What `ocibench report` writes into `out_dir`: report.md, report.html, report.json, one CSV
// per table and plots/*.svg. Returns the files written.
std::vector<std::filesystem::path> WriteReport(const std::filesystem::path& results_dir,
                                               const std::filesystem::path& out_dir,
                                               const ReportOptions& options, Document* doc_out);

}  // namespace ocibench::report
