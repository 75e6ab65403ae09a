#include "harness/report/compare.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <tuple>

#include "harness/vocabulary/vocabulary.h"

namespace ocibench::report {

double CompareOptions::ToleranceFor(const std::string& name, const std::string& runtime) const {
  for (const auto& o : overrides) {
    if (fnmatch(o.name.c_str(), name.c_str(), 0) != 0) continue;
    if (!o.runtime.empty() && fnmatch(o.runtime.c_str(), runtime.c_str(), 0) != 0) continue;
    return o.tolerance;
  }
  return tolerance;
}

double ParseTolerance(const std::string& text) {
  std::string t;
  for (char c : text)
    if (c != ' ') t += c;
  const bool pct = !t.empty() && t.back() == '%';
  if (pct) t.pop_back();
  double v = 0;
  try {
    std::size_t used = 0;
    v = std::stod(t, &used);
    if (used != t.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw std::invalid_argument(
        fmt::format("tolerance '{}' is not a number or a percentage (e.g. 5% or 0.05)", text));
  }
  if (pct) v /= 100;
  if (!(v >= 0) || v >= 10)
    throw std::invalid_argument(fmt::format("tolerance '{}' is out of range (0 .. 1000%)", text));
  return v;
}

namespace {

double TomlTolerance(const toml::node& n, const std::string& where) {
  if (auto s = n.value<std::string>()) return ParseTolerance(*s);
  if (auto d = n.value<double>()) return ParseTolerance(fmt::format("{}", *d));
  throw std::runtime_error(where + ": tolerance must be a number (0.05) or a string (\"5%\")");
}

}  // namespace

void LoadCompareConfig(const std::filesystem::path& file, CompareOptions* o) {
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}:{}: {}", file.string(), e.source().begin.line,
                                         std::string(e.description())));
  }
  try {
    if (auto n = t.get("tolerance"))
      o->tolerance = TomlTolerance(*n, file.string() + ": tolerance");
    if (auto n = t.get("alpha")) {
      auto a = n->value<double>();
      if (!a || *a <= 0 || *a >= 1)
        throw std::runtime_error(file.string() + ": alpha must be a number in (0, 1)");
      o->alpha = *a;
    }
    if (auto arr = t["metric"].as_array()) {
      int i = 0;
      for (auto& el : *arr) {
        const std::string where = fmt::format("{}: [[metric]] #{}", file.string(), ++i);
        auto* m = el.as_table();
        if (!m) throw std::runtime_error(where + " is not a table");
        ToleranceOverride ov;
        auto name = (*m)["name"].value<std::string>();
        if (!name) throw std::runtime_error(where + " lacks name = \"<benchmark glob>\"");
        ov.name = *name;
        ov.runtime = (*m)["runtime"].value_or(std::string());
        auto tol = m->get("tolerance");
        if (!tol) throw std::runtime_error(where + " lacks tolerance");
        ov.tolerance = TomlTolerance(*tol, where);
        for (const auto& [k, v] : *m)
          if (k != "name" && k != "runtime" && k != "tolerance" && k != "description")
            throw std::runtime_error(where + ": unknown key '" + std::string(k.str()) +
                                     "' (known: name, runtime, tolerance, description)");
        o->overrides.push_back(ov);
      }
    } else if (t.contains("metric")) {
      throw std::runtime_error(file.string() + ": metric must be an array of tables ([[metric]])");
    }
    for (const auto& [k, v] : t)
      if (k != "tolerance" && k != "alpha" && k != "metric")
        throw std::runtime_error(file.string() + ": unknown key '" + std::string(k.str()) +
                                 "' (known: tolerance, alpha, [[metric]])");
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

std::string ToString(Verdict v) {
  switch (v) {
    case Verdict::kRegression:
      return "REGRESSION";
    case Verdict::kImprovement:
      return "improvement";
    case Verdict::kWithinTolerance:
      return "within tolerance";
    case Verdict::kNotSignificant:
      return "not significant";
    case Verdict::kMissing:
      return "missing";
  }
  return "?";
}

Comparison Compare(const Results& base, const Results& next, const CompareOptions& o) {
  AnalysisOptions ao;
  ao.seed = o.seed;
  ao.resamples = o.resamples;
  ao.alpha = o.alpha;
  const Analysis a = Analyze(base, ao);
  const Analysis b = Analyze(next, ao);
  Comparison c;
  for (const auto& rb : a.rows) {
    const SeriesStats* rn = b.Find(rb.series.group, rb.series.name, rb.series.runtime);
    CompareRow row;
    row.group = rb.series.group;
    row.name = rb.series.name;
    row.runtime = rb.series.runtime;
    row.metric = rb.series.metric;
    row.unit = rb.series.unit;
    row.direction = rb.series.direction;
    row.n_base = rb.series.values.size();
    row.base_median = rb.median;
    row.tolerance = o.ToleranceFor(row.name, row.runtime);
    if (!rn) {
      row.verdict = Verdict::kMissing;
      c.notes.push_back(fmt::format("{} {} ({}): only in BASE", row.name, row.runtime, row.group));
      c.rows.push_back(row);
      continue;
    }
    row.n_new = rn->series.values.size();
    row.new_median = rn->median;
    if (row.base_median <= 0 || row.new_median <= 0) {
      row.verdict = Verdict::kMissing;
      c.notes.push_back(
          fmt::format("{} {}: a median is not positive; not compared", row.name, row.runtime));
      c.rows.push_back(row);
      continue;
    }
    VsBaseline v =
        CompareSeries(rb.series.values, rn->series.values, row.direction,
                      SeriesSeed(o.seed, row.group, row.name, row.runtime), o.resamples, o.alpha);
    // The report's gates hold here too: no verdict rests on a multimodal or too noisy series.
    ApplyGates(v, rb, *rn, ao.cv_max);
    if (v.significant_before_gates && !v.significant)
      c.notes.push_back(fmt::format(
          "{} {} ({}): the difference looks significant, but {}: not a verdict", row.name,
          row.runtime, row.group,
          v.AnyMultimodal() ? std::string(v.base_multimodal ? "BASE" : "NEW") + " is multimodal"
                            : fmt::format("a CV is above {:.0f}%", ao.cv_max * 100)));
    row.change = (row.new_median - row.base_median) / row.base_median;
    row.perf_change = v.speed - 1;
    row.speed_ci = v.speed_ci;
    row.p = v.p;
    if (!v.significant) {
      row.verdict = Verdict::kNotSignificant;
    } else if (row.perf_change < -row.tolerance) {
      row.verdict = Verdict::kRegression;
      c.regressions++;
    } else if (row.perf_change > row.tolerance) {
      row.verdict = Verdict::kImprovement;
      c.improvements++;
    } else {
      row.verdict = Verdict::kWithinTolerance;
    }
    c.rows.push_back(row);
  }
  for (const auto& rn : b.rows)
    if (!a.Find(rn.series.group, rn.series.name, rn.series.runtime))
      c.notes.push_back(fmt::format("{} {} ({}): only in NEW", rn.series.name, rn.series.runtime,
                                    rn.series.group));
  std::stable_sort(c.rows.begin(), c.rows.end(), [](const CompareRow& x, const CompareRow& y) {
    return static_cast<int>(x.verdict) < static_cast<int>(y.verdict);
  });
  return c;
}

Document CompareDocument(const Results& base, const Results& next, const Comparison& c,
                         const CompareOptions& o) {
  Document d;
  d.title = "ocibench compare";
  d.intro.push_back(fmt::format("BASE {} → NEW {}.", base.dir.string(), next.dir.string()));
  if (const auto hd = HostDifferences(base, next); !hd.empty()) {
    std::string facts;
    for (const auto& x : hd) facts += (facts.empty() ? "" : "; ") + x;
    d.intro.push_back(
        "BASE and NEW ran on different hosts (" + facts +
        "): each change below is the machines' difference as well as the runs'; for a "
        "runtime's cost on each machine, `ocibench report BASE NEW --out DIR` sets each "
        "host's ratios to its own native side by side.");
  }
  d.intro.push_back(
      c.regressions > 0
          ? fmt::format("**{} significant regression(s) past tolerance**, {} improvement(s).",
                        c.regressions, c.improvements)
          : fmt::format("No significant regression past tolerance; {} improvement(s).",
                        c.improvements));
  Section s;
  s.title = "Changes";
  s.paragraphs.push_back(fmt::format(
      "change = (NEW − BASE) / BASE of the metric's median; perf = direction-aware change "
      "(> 0 better). Significant: Mann–Whitney U p < {} and the bootstrap 95% CI of the speed "
      "ratio excludes 1. Default tolerance {:.1f}%{}.",
      o.alpha, o.tolerance * 100, o.overrides.empty() ? "" : " with per-metric overrides"));
  Table t{.id = "compare",
          .columns = {"verdict", "group", "benchmark", "runtime", "metric", "unit", "n base",
                      "n new", "base median", "new median", "change", "perf", "CI low", "CI high",
                      "p", "tolerance"}};
  for (const auto& r : c.rows) {
    const bool have = r.verdict != Verdict::kMissing;
    t.rows.push_back({ToString(r.verdict), r.group, r.name, r.runtime, r.metric, r.unit,
                      Num(static_cast<double>(r.n_base)), Num(static_cast<double>(r.n_new)),
                      Num(r.base_median, 5), have ? Num(r.new_median, 5) : Empty(),
                      have ? Percent(r.change, 1) : Empty(),
                      have ? Percent(r.perf_change, 1) : Empty(),
                      have ? Percent(r.speed_ci.low - 1, 1) : Empty(),
                      have ? Percent(r.speed_ci.high - 1, 1) : Empty(),
                      have ? Num(r.p, 3) : Empty(), Percent(r.tolerance, 1)});
  }
  t.notes = c.notes;
  s.tables.push_back(std::move(t));
  d.sections.push_back(std::move(s));
  return d;
}

std::vector<std::string> HostDifferences(const Results& base, const Results& next) {
  const auto host = [](const Results& r) {
    const auto h = r.run.raw.value("host", nlohmann::json::object());
    return h.is_object() ? h : nlohmann::json::object();
  };
  const auto a = host(base), b = host(next);
  std::vector<std::string> out;
  for (const char* k :
       {"hostname", "arch", "cpu_model", "cpus", "mem_bytes", "kernel", "os", "cgroup_mode"}) {
    const auto va = a.value(k, nlohmann::json()), vb = b.value(k, nlohmann::json());
    if (va == vb) continue;
    const auto text = [](const nlohmann::json& v) {
      return v.is_null() ? std::string("?") : v.is_string() ? v.get<std::string>() : v.dump();
    };
    out.push_back(fmt::format("{} {} → {}", k, text(va), text(vb)));
  }
  return out;
}

std::string SameRun(const Results& base, const Results& next) {
  std::error_code ec;
  if (std::filesystem::equivalent(base.dir, next.dir, ec))
    return "BASE and NEW are the same directory (" + base.dir.string() + ")";
  const std::string a = base.run.raw.value("id", ""), b = next.run.raw.value("id", "");
  if (!a.empty() && a == b) return "BASE and NEW are the same run (id " + a + ")";
  return "";
}

std::vector<std::string> CellsLost(const Results& base, const Results& next) {
  std::set<std::tuple<std::string, std::string, int>> ok;
  for (const auto& c : base.run.cells)
    if (c.status == Name(CellStatus::kOk)) ok.insert({c.runtime, c.group, c.repetition});
  std::vector<std::string> lost;
  for (const auto& c : next.run.cells) {
    const auto status = Parse<CellStatus>(c.status);
    if ((status == CellStatus::kFailed || status == CellStatus::kTimeout) &&
        ok.count({c.runtime, c.group, c.repetition}))
      lost.push_back(fmt::format("{} {} rep {}: {} in NEW (ok in BASE){}", c.runtime, c.group,
                                 c.repetition, c.status, c.error.empty() ? "" : ": " + c.error));
  }
  return lost;
}

}  // namespace ocibench::report
