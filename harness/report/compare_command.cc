// `ocibench compare BASE NEW`: exit 1 when a benchmark regresses significantly past tolerance.
#include <cstdio>
#include <memory>

#include "harness/command.h"
#include "harness/process/atomic_file.h"
#include "harness/report/compare.h"

namespace ocibench::report {
namespace {

struct Flags {
  std::string base, next, tolerance = "5%", config, format = "md", out;
  double alpha = 0.05;
  int resamples = 2000;
};

std::function<int()> SetupCompare(CLI::App& app) {
  auto f = std::make_shared<Flags>();
  app.add_option("BASE", f->base, "results directory of the baseline run")->required();
  app.add_option("NEW", f->next, "results directory of the run to judge")->required();
  app.add_option("--tolerance", f->tolerance, "allowed performance loss, e.g. 5% or 0.05")
      ->capture_default_str();
  app.add_option("--config", f->config,
                 "TOML: tolerance, alpha and [[metric]] name/runtime/tolerance overrides");
  app.add_option("--alpha", f->alpha, "significance level")
      ->capture_default_str()
      ->check(CLI::Range(1e-9, 0.5));
  app.add_option("--resamples", f->resamples, "bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(100, 1000000));
  app.add_option("--format", f->format, "md (for a CI comment), json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"md", "json", "csv"}));
  app.add_option("--out", f->out, "write the output to this file instead of stdout");
  return [f]() -> int {
    CompareOptions o;
    o.alpha = f->alpha;
    o.resamples = f->resamples;
    try {
      o.tolerance = ParseTolerance(f->tolerance);
      if (!f->config.empty()) LoadCompareConfig(f->config, &o);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ocibench compare: %s\n", e.what());
      return cli::kExitUsage;
    }
    Results base, next;
    try {
      base = LoadResults(f->base);
      next = LoadResults(f->next);
    } catch (const ResultsError& e) {
      std::fprintf(stderr, "ocibench compare: %s\n", e.what());
      return cli::kExitUsage;
    }
    // Two runs or nothing: a directory compared with itself proves nothing.
    if (const std::string same = SameRun(base, next); !same.empty()) {
      std::fprintf(stderr, "ocibench compare: %s; compare two different runs\n", same.c_str());
      return cli::kExitFailure;
    }
    const Comparison c = Compare(base, next, o);
    const Document d = CompareDocument(base, next, c, o);
    const std::string text = RenderAs(
        d, f->format, "", {{"regressions", c.regressions}, {"improvements", c.improvements}});
    if (f->out.empty()) {
      std::fputs(text.c_str(), stdout);
    } else {
      process::WriteFileAtomic(f->out, text);
    }
    // A cell that worked in BASE and fails in NEW is a regression whatever its numbers.
    if (const auto lost = CellsLost(base, next); !lost.empty()) {
      for (const auto& l : lost) std::fprintf(stderr, "ocibench compare: %s\n", l.c_str());
      std::fprintf(stderr, "ocibench compare: %zu cell(s) ok in BASE failed in NEW\n", lost.size());
      return cli::kExitFailure;
    }
    if (c.regressions > 0) {
      std::fprintf(stderr, "ocibench compare: %d significant regression(s) past tolerance\n",
                   c.regressions);
      return cli::kExitFailure;
    }
    return cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::report

OCIBENCH_COMMAND(compare,
                 "Compare two results directories; exit 1 on a significant regression "
                 "past tolerance",
                 ocibench::report::SetupCompare);
