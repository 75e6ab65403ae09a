// The report's plots, rendered by gnuplot (Debian gnuplot-nox) to SVG: Redis requests/s bars,
// latency percentiles, LZMA ratings, memory time series per runtime, and a heatmap of the
// speed ratio (benchmark × runtime). Each plot's data and script are kept next to its SVG.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/document.h"
#include "harness/report/results.h"

namespace ocibench::report {

// Plot ids: "redis_rps", "latency", "lzma_rating", "memory_<runtime>", "ratio_heatmap".
// A plot without data, or every plot when gnuplot is missing or fails, comes back with
// `missing` set (one line saying why) instead of an SVG.
// For a plot of another file (report_why.cc): the SVG terminal lines of plot `id` in `dir`, and
// running `script` (kept as dir/<id>.gp) to fill `plot.svg`, or `plot.missing` with why not.
std::string GnuplotHead(const std::filesystem::path& dir, const std::string& id, int w, int h);
Plot RenderGnuplot(Plot plot, const std::filesystem::path& dir, const std::string& script,
                   const std::string& gnuplot);

std::vector<Plot> RenderPlots(const Results& r, const Analysis& a, const std::filesystem::path& dir,
                              const std::string& gnuplot = "gnuplot");

// Runs gnuplot on `script` (60 s at most): "" on success, else one line (its stderr is kept in
// `log`). For plots rendered outside RenderPlots (report_startup.cc).
std::string RunGnuplotScript(const std::string& gnuplot, const std::filesystem::path& script,
                             const std::filesystem::path& log);

}  // namespace ocibench::report
