// The apps group's categories beside the pyperformance study (Björklund 2021, section 7): per
// category the geometric mean of this run's speed ratios per runtime, the study's published
// category figure (pyperformance2021_categories.csv) and the speed ratio Kata/crun computed
// from the study's means of the tests our category stands for (pyperformance2021_crun_kata.csv).
#include <fmt/format.h>

#include <algorithm>

#include "harness/report/report.h"
#include "harness/report/stats.h"

namespace ocibench::report {
namespace {

struct AppsCategory {
  const char* id;              // Apps_<id>_*
  const char* study_category;  // its row in pyperformance2021_categories.csv ("" = none)
  std::vector<const char*> study_tests;
};

// Which of the study's tests each category stands for. start-up is in the study's "Various",
// which has no category figure (section 7.10 prints none).
const std::vector<AppsCategory>& Categories() {
  static const std::vector<AppsCategory> c = {
      {"serialize", "Serialize", {"JSON dumps", "JSON loads", "Pickle", "Unpickle"}},
      {"xml",
       "Serialize",
       {"XML etree parse", "XML etree iterparse", "XML etree generate", "XML etree process"}},
      {"sql", "SQL", {"Sqllite synth", "SQL alch declarative", "SQL alch imperative"}},
      {"regex", "Regex", {"Regex compile", "Regex DNA", "Regex effbot", "Regex v8"}},
      {"logging", "Logging", {"Logging format", "Logging silent", "Logging simple"}},
      // Section 7.9: Django and Mako, both a 150x150-cell HTML table (Chameleon is in Apps).
      {"template", "Template", {"Django template", "Mako"}},
      {"startup", "", {"Python startup", "Python startup no site"}},
  };
  return c;
}

std::string CategoryOf(const Series& x) {
  if (x.group != "apps" || !x.name.starts_with("Apps_")) return "";
  const std::string rest = x.name.substr(5);
  return rest.substr(0, rest.find('_'));
}

// Kata/crun speed ratio: the geometric mean over the tests of crun_mean / kata_mean (the
// study's means are times, lower is better), and the tests found.
TableCell StudyTestsSpeed(const Reference& ref, const AppsCategory& c) {
  std::vector<double> speeds;
  std::string names;
  for (const char* t : c.study_tests)
    for (const auto& row : ref.pyperf_tests)
      if (row.at("test") == t) {
        speeds.push_back(std::stod(row.at("crun_mean")) / std::stod(row.at("kata_mean")));
        names += fmt::format("{}{} {:+.1f}%", names.empty() ? "" : ", ", t,
                             std::stod(row.at("difference_pct")));
      }
  if (speeds.empty()) return Empty();
  const double g = GeoMean(speeds);
  return TableCell(fmt::format("{:.3f} ({})", g, names), g);
}

TableCell StudyCategory(const Reference& ref, const AppsCategory& c) {
  for (const auto& row : ref.pyperf_categories)
    if (row.at("category") == c.study_category)
      return TableCell(
          fmt::format("{} +{}%", c.study_category, row.at("kata_vs_crun_overhead_pct")),
          std::stod(row.at("kata_vs_crun_overhead_pct")) / 100);
  return Empty();
}

}  // namespace

std::optional<Table> AppsCategoryTable(const Analysis& a, const Reference& ref) {
  if (std::find(a.groups.begin(), a.groups.end(), "apps") == a.groups.end()) return std::nullopt;
  std::vector<std::string> others;
  for (const auto& rt : a.runtimes)
    if (rt != a.options.baseline) others.push_back(rt);
  Table t{.id = "apps_categories",
          .title =
              "Apps categories: geometric mean of the speed ratio per runtime, beside the "
              "pyperformance study (Kata vs crun)",
          .columns = {"category", "benchmarks"}};
  for (const auto& rt : others) t.columns.push_back(rt);
  t.columns.push_back("study category (Kata overhead vs crun)");
  t.columns.push_back(
      "study Kata/crun speed of the matching tests (geo. mean; each test's overhead)");
  std::vector<const AppsCategory*> rows;
  for (const auto& c : Categories()) rows.push_back(&c);
  rows.push_back(nullptr);  // all apps benchmarks
  for (const AppsCategory* c : rows) {
    auto in = [&](const Series& x) {
      const std::string cat = CategoryOf(x);
      return !cat.empty() && (!c || cat == c->id);
    };
    std::vector<TableCell> row = {c ? c->id : "apps (all)"};
    std::size_t n = 0;
    for (const auto& rt : others) {
      const auto v = Compared(a, rt, in);
      n = std::max(n, v.size());
      row.push_back(GeoMeanCell(v, false));
      if (!c) NoteMultimodal(t, v);  // once, on the row of all of them
    }
    if (n == 0) continue;
    row.insert(row.begin() + 1, Num(static_cast<double>(n)));
    if (c) {
      row.push_back(ref.loaded ? StudyCategory(ref, *c) : Empty());
      row.push_back(ref.loaded ? StudyTestsSpeed(ref, *c) : Empty());
    } else {
      row.push_back(Empty());
      row.push_back(Empty());
    }
    t.rows.push_back(std::move(row));
  }
  if (t.rows.empty()) return std::nullopt;
  t.notes.push_back(
      "Ours: each runtime's speed ratio to " + a.options.baseline +
      " (1 = like it, 0.5 = half as fast), the geometric mean over the category's Apps_* "
      "benchmarks (Fleming & Wallace 1986, as the study did). The study compared Kata with crun "
      "(not with bare metal): its category column is the overhead it printed (Björklund 2021, "
      "sections 7.1–7.9; XML is part of its Serialize), its last column the speed ratio "
      "computed from its crun and Kata means (section 7.11) of the tests our category stands "
      "for. start-up is in the study's Various, which has no category figure. Compare shapes, "
      "not digits: Python on Kata there, native C++ libraries on these runtimes here.");
  return t;
}

}  // namespace ocibench::report
