// `ocibench report RESULTS_DIR`: report.md, report.html, report.json, report_*.csv and
// plots/*.svg into the run's directory (or --out). A fleet directory (fleet.json) or several
// results directories get the fleet report (report_fleet.h).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "harness/command.h"
#include "harness/process/install_paths.h"
#include "harness/report/report.h"
#include "harness/report/report_fleet.h"

namespace ocibench::report {
namespace {

namespace fs = std::filesystem;

struct Flags {
  std::vector<std::string> dirs;
  std::string out;
  std::string format;
  std::string baseline = "native";
  std::string reference = process::SelfInstallPaths().reference.string();
  int top = 10;
  int resamples = 2000;
  std::string gnuplot = "gnuplot";
  bool no_plots = false;
  std::vector<std::string> aa;
};

// A fleet directory, or several results directories: one report across hosts. A host that
// cannot be read is reported in it, never fatal for the others.
int RunFleetReport(const Flags& f, const ReportOptions& o) {
  const bool fleet_dir = f.dirs.size() == 1;
  if (!fleet_dir && f.out.empty()) {
    std::fprintf(stderr,
                 "ocibench report: several results directories need --out DIR for the report "
                 "across them\n");
    return cli::kExitUsage;
  }
  Fleet fleet;
  try {
    if (fleet_dir) {
      fleet = LoadFleet(f.dirs.front());
    } else {
      std::vector<fs::path> dirs(f.dirs.begin(), f.dirs.end());
      fleet = FleetOfDirs(dirs);
    }
  } catch (const ResultsError& e) {
    std::fprintf(stderr, "ocibench report: %s\n", e.what());
    return cli::kExitUsage;
  }
  for (const auto& h : fleet.hosts)
    if (!h.results)
      std::fprintf(stderr, "ocibench report: host %s not reported: %s\n", h.name.c_str(),
                   h.reason.empty() ? "no results" : h.reason.c_str());
  for (const auto& m : fleet.mismatches) std::fprintf(stderr, "ocibench report: %s\n", m.c_str());
  if (ReadableHosts(fleet).empty()) {
    std::fprintf(stderr, "ocibench report: no host of the fleet has readable results\n");
    return cli::kExitFailure;
  }
  const fs::path out = f.out.empty() ? fs::path(f.dirs.front()) : fs::path(f.out);
  Document doc;
  const auto written = WriteFleetReport(fleet, out, o.analysis, o.reference_dir, &doc);
  std::fputs(RenderAs(doc, f.format, "fleet_ratios").c_str(), stdout);
  std::fprintf(stderr, "ocibench report: wrote %zu files to %s (report.html, report.md)\n",
               written.size(), out.c_str());
  return cli::kExitOk;
}

std::function<int()> SetupReport(CLI::App& app) {
  auto f = std::make_shared<Flags>();
  app.add_option("RESULTS_DIR", f->dirs,
                 "a results directory written by `ocibench run`, a fleet directory "
                 "(fleet.json), or several results directories (one report across hosts)")
      ->required();
  app.add_option("--out", f->out, "write the report here instead of into RESULTS_DIR");
  app.add_option("--format", f->format,
                 "also print the report to stdout as md, json or csv "
                 "(csv: the per-benchmark table)")
      ->check(CLI::IsMember({"md", "json", "csv"}));
  app.add_option("--baseline", f->baseline, "the runtime the others are compared with")
      ->capture_default_str();
  app.add_option("--reference", f->reference, "the studies' figures (results/reference)")
      ->capture_default_str();
  app.add_option("--top", f->top, "hotspots per runtime")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--resamples", f->resamples, "bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(100, 1000000));
  app.add_option("--aa", f->aa,
                 "A,B: the same runtime under two names; report the host's false-positive rate "
                 "between them (default: detected from run.json)")
      ->delimiter(',')
      ->expected(2);
  app.add_flag("--no-plots", f->no_plots, "skip the gnuplot SVGs");
  app.add_option("--gnuplot", f->gnuplot, "the gnuplot binary")->capture_default_str();
  return [f]() -> int {
    ReportOptions o;
    o.analysis.baseline = f->baseline;
    o.analysis.resamples = f->resamples;
    o.top_n = f->top;
    o.reference_dir = f->reference;
    o.plots = !f->no_plots;
    o.gnuplot = f->gnuplot;
    o.aa = f->aa;
    if (f->dirs.size() > 1 || IsFleetDir(f->dirs.front())) return RunFleetReport(*f, o);
    const std::string& dir = f->dirs.front();
    const fs::path out = f->out.empty() ? fs::path(dir) : fs::path(f->out);
    Document doc;
    std::vector<fs::path> written;
    try {
      written = WriteReport(dir, out, o, &doc);
    } catch (const ResultsError& e) {
      std::fprintf(stderr, "ocibench report: %s\n", e.what());
      return cli::kExitUsage;
    }
    std::fputs(RenderAs(doc, f->format, "benchmarks").c_str(), stdout);
    int missing = 0;
    for (const auto& s : doc.sections)
      for (const auto& p : s.plots)
        if (p.svg.empty()) {
          missing++;
          std::fprintf(stderr, "ocibench report: plot %s not drawn: %s\n", p.id.c_str(),
                       p.missing.c_str());
        }
    std::fprintf(stderr, "ocibench report: wrote %zu files to %s (report.html, report.md)\n",
                 written.size(), out.c_str());
    return cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::report

OCIBENCH_COMMAND(report,
                 "Report a results directory: ratios to native with confidence, "
                 "the studies' tables, hotspots, memory, lifecycle, plots",
                 ocibench::report::SetupReport);
