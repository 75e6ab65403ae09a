// The "Why" section, its tables and its plot (report_why.h): stored profiles × the same run's
// probe costs (harness/profile/, which reads files only), beside the measured slowdowns.
#include "harness/report/report_why.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/profile/costs.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/profile_file.h"
#include "harness/profile/syscall_probes.h"
#include "harness/report/plots.h"

namespace ocibench::report {
namespace fs = std::filesystem;
namespace {

std::string Duration(double s) {
  const double a = std::abs(s);
  if (a >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  if (a >= 1e-6) return fmt::format("{:.3g} µs", s * 1e6);
  return fmt::format("{:.3g} ns", s * 1e9);
}

std::string Top3(const profile::Prediction& p) {
  std::string out;
  for (std::size_t i = 0; i < p.contributions.size() && i < 3; ++i) {
    const auto& c = p.contributions[i];
    out += fmt::format("{}{} {:.4g} × {} = {}{}", i ? "; " : "", c.syscall, c.calls,
                       Duration(c.added_s / c.calls), Duration(c.added_s),
                       c.fallback ? " (bare-trap fallback)" : "");
  }
  return out.empty() ? "no system calls" : out;
}

// What the row says about the rest: the unexplained part, plainly.
std::string Verdict(const WhyRow& r) {
  if (!r.explained) return "no slowdown to explain";
  // A ratio of two small numbers says nothing: e.g. 1.02x predicted against 1.04x measured.
  if (std::abs(r.measured - 1) < kSmallSlowdown)
    return fmt::format("within {:.0f}% of native: too small to split", kSmallSlowdown * 100);
  const double f = *r.explained;
  if (f >= kExplainedEnough && f <= 1.2) return "explained by system calls";
  if (f > 1.2)
    return fmt::format("over-predicted ({:.0f}%): the probes cost more than this workload's calls",
                       f * 100);
  if (f < 0.5)
    return fmt::format(
        "not explained by system calls: {:.0f}% of the slowdown is elsewhere (page faults, "
        "scheduling, the network stack, the gofer, waits)",
        (1 - std::max(f, 0.0)) * 100);
  return fmt::format("{:.0f}% not explained by system calls", (1 - f) * 100);
}

}  // namespace

WhyResult Attribute(const fs::path& dir) {
  WhyResult w;
  std::vector<std::string> bad;
  const auto profiles = profile::ReadProfiles(dir, &bad);
  for (const auto& b : bad) w.notes.push_back("profile file skipped: " + b);
  if (profiles.empty()) return w;
  std::vector<profile::RuntimeCosts> costs;
  try {
    costs = profile::CostsFromResults(dir);
  } catch (const std::exception& e) {
    w.notes.push_back(std::string("no costs, nothing predicted: ") + e.what());
    return w;
  }
  for (const auto& rc : costs)
    if (!rc.missing.empty())
      w.notes.push_back(
          fmt::format("{}: no results of the probes {} (their calls use the "
                      "fallback: the socket rows the file row, the others {})",
                      rc.runtime, fmt::join(rc.missing, ", "), profile::kFallbackProbe));
  for (const auto& p : profiles) {
    const profile::Measured m = p.unit == "request"
                                    ? profile::MeasuredPerRequest(dir.string(), p.benchmark)
                                    : profile::MeasuredSlowdowns(dir.string(), p.benchmark);
    if (!(m.native_s > 0)) {
      w.notes.push_back(p.benchmark + ": a profile but no native figure in bench/native/");
      continue;
    }
    const auto calls = profile::WithFdKind(p.calls, p.fd_kind);
    for (const auto& rc : costs) {
      const auto it = m.slowdowns.find(rc.runtime);
      if (it == m.slowdowns.end()) continue;
      WhyRow row{p.benchmark, p.group,    p.unit,
                 rc.runtime,  it->second, profile::Predict(calls, m.native_s, rc),
                 std::nullopt};
      row.explained = profile::ExplainedFraction(row.pred.Slowdown(), row.measured);
      w.rows.push_back(std::move(row));
    }
  }
  std::sort(w.rows.begin(), w.rows.end(), [](const WhyRow& a, const WhyRow& b) {
    return std::tie(a.benchmark, a.runtime) < std::tie(b.benchmark, b.runtime);
  });
  return w;
}

Section WhySection(const WhyResult& w) {
  Section s;
  s.title = "Why: slowdowns attributed to system calls";
  s.paragraphs.push_back(
      "Per benchmark with a native system-call profile in profile/ (strace -f -c, per unit of "
      "work) and per runtime: predicted slowdown = (native time + Σ calls × the runtime's added "
      "cost per call, from this run's probes) ÷ native time; explained = (predicted − 1) ÷ "
      "(measured − 1). Below 80% the rest is stated as not explained by system calls; it is "
      "not split further. A slowdown within 10% of native is not split at all (docs/profile.md).");
  if (w.rows.empty()) {
    s.paragraphs.push_back(
        "No benchmark of this run has a profile (profile/<group>/<benchmark>.json; `ocibench "
        "profile --save`, harness/profile/why-server --save).");
  }
  Table t{
      .id = "why",
      .title = "Measured and predicted slowdown",
      .columns = {"benchmark", "runtime", "unit", "native per unit", "measured", "predicted",
                  "explained", "top system calls (calls × added cost = added time)", "verdict"}};
  Table c{.id = "why_calls",
          .title = "Added time per unit by system call",
          .columns = {"benchmark", "runtime", "syscall", "calls per unit", "added per call (ns)",
                      "added per unit (ns)", "share of native time", "probe", "basis"}};
  for (const auto& r : w.rows) {
    t.rows.push_back({r.benchmark, r.runtime, r.unit,
                      TableCell(Duration(r.pred.native_s), r.pred.native_s),
                      TableCell(fmt::format("{:.2f}x", r.measured), r.measured),
                      TableCell(fmt::format("{:.2f}x", r.pred.Slowdown()), r.pred.Slowdown()),
                      r.explained ? Percent(*r.explained, 0) : Empty(), Top3(r.pred), Verdict(r)});
    for (const auto& x : r.pred.contributions)
      c.rows.push_back({r.benchmark, r.runtime, x.syscall, Num(x.calls, 4),
                        Num(x.added_s / x.calls * 1e9, 4), Num(x.added_s * 1e9, 4),
                        Percent(x.added_s / r.pred.native_s, 1), x.probe,
                        x.fallback ? "fallback" : "probe"});
    if (!r.pred.uncosted.empty())
      t.notes.push_back(fmt::format("{} under {}: not predicted, no cost for {}", r.benchmark,
                                    r.runtime, fmt::join(r.pred.uncosted, ", ")));
  }
  for (const auto& n : w.notes) t.notes.push_back(n);
  s.tables.push_back(std::move(t));
  if (!c.rows.empty()) s.tables.push_back(std::move(c));
  return s;
}

Plot RenderWhyPlot(const WhyResult& w, const fs::path& dir, const std::string& gnuplot) {
  Plot plot{"why", "Added time over native, by system call, and the unexplained rest", {}, {}};
  // Only rows that are slower (the bars stack added time; a faster runtime has none to split).
  std::vector<const WhyRow*> rows;
  for (const auto& r : w.rows)
    if (r.measured > 1.05) rows.push_back(&r);
  if (rows.empty()) {
    plot.missing = "no profiled benchmark is more than 5% slower in any runtime";
    return plot;
  }
  // Columns: the three calls that add most over all rows, "other calls", "not system calls".
  std::map<std::string, double> total;
  for (const auto* r : rows)
    for (const auto& c : r->pred.contributions) total[c.syscall] += c.added_s / r->pred.native_s;
  std::vector<std::pair<std::string, double>> ranked(total.begin(), total.end());
  std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::vector<std::string> named;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) named.push_back(ranked[i].first);
  std::string data = "bar";
  for (const auto& n : named) data += " " + n;
  data += " other_calls not_system_calls\n";
  for (const auto* r : rows) {
    // In units of native time: the bar's height is measured − 1 (or predicted − 1 if above).
    std::map<std::string, double> part;
    double other = 0, sum = 0;
    for (const auto& c : r->pred.contributions) {
      const double v = std::max(0.0, c.added_s / r->pred.native_s);
      sum += v;
      if (std::find(named.begin(), named.end(), c.syscall) != named.end())
        part[c.syscall] += v;
      else
        other += v;
    }
    data += fmt::format("{}@{}", r->benchmark, r->runtime);
    for (const auto& n : named) data += fmt::format(" {:.6g}", part[n]);
    data += fmt::format(" {:.6g} {:.6g}\n", other, std::max(0.0, r->measured - 1 - sum));
  }
  fs::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir / "why.dat").c_str(), "w");
    if (!f) {
      plot.missing = (dir / "why.dat").string() + ": cannot write";
      return plot;
    }
    std::fputs(data.c_str(), f);
    std::fclose(f);
  }
  std::string script = GnuplotHead(dir, "why", 1000, 560) +
                       "set style data histograms\nset style histogram rowstacked\n"
                       "set style fill solid 0.85 border -1\nset boxwidth 0.7\n"
                       "set xtics rotate by -40 scale 0\nset bmargin 16\n"
                       "set ylabel 'added time ÷ native time (slowdown − 1)'\nset yrange [0:*]\n";
  script +=
      fmt::format("plot '{}' using 2:xtic(1) title columnheader(2)", (dir / "why.dat").string());
  for (std::size_t col = 3; col <= named.size() + 3; ++col)
    script += fmt::format(", '' using {} title columnheader({})", col, col);
  return RenderGnuplot(plot, dir, script + "\n", gnuplot);
}

}  // namespace ocibench::report
