// The report's "Why" section (issue 14): per benchmark with a stored native profile
// (profile/<group>/<benchmark>.json) and per runtime, the measured slowdown beside the one its
// system calls predict from the same run's probe costs, what is explained and by which calls.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/profile/attribution.h"
#include "harness/report/document.h"

namespace ocibench::report {

struct WhyRow {
  std::string benchmark, group, unit, runtime;
  double measured = 0;       // slowdown, runtime ÷ native (from the results)
  profile::Prediction pred;  // per unit; pred.Slowdown() is the predicted slowdown
  std::optional<double> explained;
};

struct WhyResult {
  std::vector<WhyRow> rows;
  std::vector<std::string> notes;  // missing costs, bad profile files, benchmarks without figures
};

// Everything the section and its plot show, from a results directory's files only.
WhyResult Attribute(const std::filesystem::path& results_dir);

// Below this explained fraction the row says what is left is not system calls.
inline constexpr double kExplainedEnough = 0.8;
// A measured slowdown closer to 1 than this is not split (the explained fraction is then the
// ratio of two differences within this host's noise).
inline constexpr double kSmallSlowdown = 0.10;

Section WhySection(const WhyResult& w);

// Stacked bars (id "why"): per benchmark × runtime, the added time over native split by its top
// system calls, the other calls and the unexplained rest. `missing` set when there is nothing
// to plot or gnuplot fails.
Plot RenderWhyPlot(const WhyResult& w, const std::filesystem::path& dir,
                   const std::string& gnuplot = "gnuplot");

}  // namespace ocibench::report
