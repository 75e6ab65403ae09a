// The report's apps category table on series made by the test: one row per category present
// with the geometric mean of its speed ratios, "apps (all)", the study's figures from
// results/reference, and no table without apps benchmarks.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/report.h"

namespace ocibench::report {
namespace {

void Add(Results& r, const std::string& rt, const std::string& name, double v) {
  for (int rep = 1; rep <= 5; rep++) {
    BenchEntry e;
    e.runtime = rt;
    e.group = "apps";
    e.repetition = rep;
    e.name = name;
    e.metric = "real_time";
    e.unit = "us";
    e.value = v * (1 + 0.001 * rep);
    r.entries.push_back(e);
  }
}

Results AppsRun() {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}, {"runsc", "oci", "", "", "", {}}};
  r.run.groups = {"apps"};
  // runsc: xml 2x and 8x slower (geo. mean 1/4), sql as fast.
  for (const auto& [name, native, runsc] :
       std::vector<std::tuple<std::string, double, double>>{{"Apps_xml_parse", 100, 200},
                                                            {"Apps_xml_iterparse", 100, 800},
                                                            {"Apps_sql_commit_full", 50, 50}}) {
    Add(r, "native", name, native);
    Add(r, "runsc", name, runsc);
  }
  return r;
}

TEST(ReportApps, OneRowPerCategoryWithTheGeometricMeanAndTheStudy) {
  const Reference ref = LoadReference(OCIBENCH_REFERENCE_DIR);
  ASSERT_TRUE(ref.loaded);
  const auto t = AppsCategoryTable(Analyze(AppsRun(), AnalysisOptions{}), ref);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->rows.size(), 3u);  // xml, sql, all
  EXPECT_EQ(t->rows[0][0].text, "xml");
  EXPECT_EQ(t->rows[0][1].text, "2");
  EXPECT_NEAR(t->rows[0][2].value.get<double>(), 0.25, 0.01);
  EXPECT_NE(t->rows[0][3].text.find("Serialize +6.18%"), std::string::npos) << t->rows[0][3].text;
  EXPECT_NE(t->rows[0][4].text.find("XML etree parse +19.8%"), std::string::npos);
  EXPECT_EQ(t->rows[1][0].text, "sql");
  EXPECT_NEAR(t->rows[1][2].value.get<double>(), 1.0, 0.01);
  EXPECT_EQ(t->rows[2][0].text, "apps (all)");
  EXPECT_NEAR(t->rows[2][2].value.get<double>(), std::pow(0.5 * 0.125, 1.0 / 3), 0.01);
}

TEST(ReportApps, NoTableWithoutAppsBenchmarks) {
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}};
  r.run.groups = {"probes"};
  EXPECT_FALSE(AppsCategoryTable(Analyze(r, AnalysisOptions{}), Reference{}).has_value());
}

// The template category stands for the study's section 7.9 (Django template, Mako).
TEST(ReportApps, TheTemplateCategoryIsBesideTheStudysTemplateTests) {
  const Reference ref = LoadReference(OCIBENCH_REFERENCE_DIR);
  ASSERT_TRUE(ref.loaded);
  Results r;
  r.run.runtimes = {{"native", "native", "", "", "", {}}, {"runsc", "oci", "", "", "", {}}};
  r.run.groups = {"apps"};
  Add(r, "native", "Apps_template_render", 100);
  Add(r, "runsc", "Apps_template_render", 125);
  const auto t = AppsCategoryTable(Analyze(r, AnalysisOptions{}), ref);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->rows.size(), 2u);  // template, all
  EXPECT_EQ(t->rows[0][0].text, "template");
  EXPECT_NEAR(t->rows[0][2].value.get<double>(), 0.8, 0.01);
  EXPECT_NE(t->rows[0][3].text.find("Template +1.57%"), std::string::npos) << t->rows[0][3].text;
  EXPECT_NE(t->rows[0][4].text.find("Django template +0.5%"), std::string::npos);
  EXPECT_NE(t->rows[0][4].text.find("Mako +2.6%"), std::string::npos) << t->rows[0][4].text;
}

}  // namespace
}  // namespace ocibench::report
