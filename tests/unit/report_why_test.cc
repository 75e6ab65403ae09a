// The report's Why section from a fixture results directory: bench JSON of native and two
// runtimes, one stored profile; checks the predicted slowdown, the explained fraction, the top
// call and that a slowdown the calls do not explain is said to be not explained.
#include "harness/report/report_why.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/profile/profile_file.h"

namespace ocibench::report {
namespace {
namespace fs = std::filesystem;

void WriteBench(const fs::path& file, const std::map<std::string, double>& ns) {
  nlohmann::json doc = {{"context", {{"date", "x"}}}, {"benchmarks", nlohmann::json::array()}};
  for (const auto& [name, t] : ns)
    doc["benchmarks"].push_back({{"name", name + "/min_time:0.200/real_time"},
                                 {"run_type", "iteration"},
                                 {"iterations", 10},
                                 {"real_time", t},
                                 {"cpu_time", t},
                                 {"time_unit", "ns"}});
  fs::create_directories(file.parent_path());
  std::ofstream(file) << doc.dump();
}

TEST(ReportWhy, PredictsExplainsAndSaysWhatSystemCallsDoNotExplain) {
  char tmpl[] = "/tmp/report-why-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  // getpid +1000 ns under "slow" and "stalls"; the workload takes 10 µs natively, 20 µs under
  // "slow" (its 10 getpids explain all of it) and 100 µs under "stalls" (they explain 1/9).
  WriteBench(dir / "bench/native/probes/rep-1.json",
             {{"Probe_sys_getpid_raw", 100}, {"Work", 10000}});
  WriteBench(dir / "bench/slow/probes/rep-1.json",
             {{"Probe_sys_getpid_raw", 1100}, {"Work", 20000}});
  WriteBench(dir / "bench/stalls/probes/rep-1.json",
             {{"Probe_sys_getpid_raw", 1100}, {"Work", 100000}});
  EXPECT_TRUE(Attribute(dir).rows.empty());  // no profile yet: nothing claimed
  profile::BenchmarkProfile p;
  p.benchmark = "Work";
  p.group = "probes";
  p.calls = {{"getpid", 10}};
  profile::WriteProfile(dir, p);

  const WhyResult w = Attribute(dir);
  ASSERT_EQ(w.rows.size(), 2u);
  const WhyRow& slow = w.rows[0];
  EXPECT_EQ(slow.runtime, "slow");
  EXPECT_NEAR(slow.measured, 2.0, 1e-9);
  EXPECT_NEAR(slow.pred.Slowdown(), 2.0, 1e-9);
  EXPECT_NEAR(*slow.explained, 1.0, 1e-9);
  EXPECT_EQ(slow.pred.contributions.at(0).syscall, "getpid");
  const WhyRow& stalls = w.rows[1];
  EXPECT_NEAR(*stalls.explained, 1.0 / 9, 1e-9);

  const Section s = WhySection(w);
  ASSERT_GE(s.tables.size(), 2u);
  EXPECT_EQ(s.tables[0].id, "why");
  ASSERT_EQ(s.tables[0].rows.size(), 2u);
  EXPECT_EQ(s.tables[0].rows[0].back().text, "explained by system calls");
  EXPECT_NE(s.tables[0].rows[1].back().text.find("not explained by system calls: 89%"),
            std::string::npos)
      << s.tables[0].rows[1].back().text;
  EXPECT_NE(s.tables[0].rows[0][7].text.find("getpid 10 ×"), std::string::npos);
  EXPECT_EQ(s.tables[1].id, "why_calls");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ocibench::report
