// `ocibench run`'s summary and `ocibench report` read a results directory through the same
// module (harness/benchjson): for every runtime and group, the run's summary (median over the
// group's benchmarks of the ratio of medians) equals the median of the report's per-benchmark
// speed ratios. The directory mixes higher-is-better counters and lower-is-better times.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "harness/report/analysis.h"
#include "harness/report/results.h"
#include "harness/run/matrix.h"

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

json Entry(const std::string& name, double real_time, const json& counters = json::object()) {
  json e = {{"name", name},     {"run_name", name},       {"run_type", "iteration"},
            {"iterations", 10}, {"real_time", real_time}, {"cpu_time", real_time},
            {"time_unit", "ns"}};
  for (const auto& [k, v] : counters.items()) e[k] = v;
  return e;
}

TEST(RunSummary, AgreesWithTheReportOnAResultsDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("ocibench-agree-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  json run = {{"format", 1},
              {"seed", 1},
              {"repetitions", 3},
              {"groups", {"lzma", "probes", "redis"}},
              {"runtimes", json::array()},
              {"cells", json::array()}};
  const std::vector<std::pair<std::string, double>> runtimes = {
      {"native", 1.0}, {"runc", 0.9}, {"runsc", 0.25}};
  for (const auto& [rt, speed] : runtimes)
    run["runtimes"].push_back({{"name", rt}, {"kind", rt == "native" ? "native" : "oci"}});
  int index = 0;
  for (int rep = 1; rep <= 3; ++rep)
    for (const auto& [rt, speed] : runtimes)
      for (const std::string g : {"lzma", "probes", "redis"}) {
        const double noise = 1 + 0.01 * rep;  // differs per repetition
        json benchmarks = json::array();
        if (g == "lzma") {
          benchmarks.push_back(
              Entry("LZMA_Compress/sdk/dict:22", 1e6, {{"rating_MIPS", 3000 * speed * noise}}));
          benchmarks.push_back(Entry("LZMA_Decompress/sdk/dict:22", 1e6,
                                     {{"rating_MIPS", 4000 * speed * speed * noise}}));
        } else if (g == "probes") {
          benchmarks.push_back(Entry("Probe_sys_getpid/min_time:0.020", 100 / speed * noise));
          benchmarks.push_back(Entry("Probe_fs_stat/min_time:0.020", 900 / speed / speed));
          benchmarks.push_back(Entry("Probe_mem_mmap/min_time:0.020", 50 * noise));
        } else {
          benchmarks.push_back(
              Entry("Redis_PING_INLINE/pipeline:1", 5e8, {{"rps", 90000 * speed * noise}}));
        }
        const std::string file = "bench/" + rt + "/" + g + "/rep-" + std::to_string(rep) + ".json";
        fs::create_directories((dir / file).parent_path());
        std::ofstream(dir / file) << json{
            {"context", {{"ocibench_runtime", rt}}},
            {"benchmarks", benchmarks}}.dump();
        run["cells"].push_back({{"index", index++},
                                {"runtime", rt},
                                {"group", g},
                                {"repetition", rep},
                                {"status", "ok"},
                                {"error", nullptr},
                                {"file", file},
                                {"duration_s", 1.0}});
      }
  std::ofstream(dir / "run.json") << run.dump(2);

  const json summary = ocibench::run::Summarize(dir, run);
  const auto results = ocibench::report::LoadResults(dir);
  const auto analysis = ocibench::report::Analyze(results, {});
  int compared = 0;
  for (const auto& [rt, speed] : runtimes) {
    if (rt == "native") continue;
    for (const std::string g : {"lzma", "probes", "redis"}) {
      std::vector<double> ratios;
      for (const auto& row : analysis.rows)
        if (row.series.runtime == rt && row.series.group == g && row.vs_baseline)
          ratios.push_back(row.vs_baseline->speed);
      ASSERT_FALSE(ratios.empty()) << rt << " " << g;
      ASSERT_TRUE(summary[rt][g].is_number()) << summary.dump();
      EXPECT_NEAR(summary[rt][g].get<double>(), Median(ratios), 1e-9) << rt << " " << g;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 6);
  // And the direction is right: runsc is slower than runc in every group, both below native.
  for (const std::string g : {"lzma", "probes", "redis"}) {
    EXPECT_LT(summary["runsc"][g].get<double>(), summary["runc"][g].get<double>()) << g;
    EXPECT_LT(summary["runc"][g].get<double>(), 1.0) << g;
  }
  fs::remove_all(dir);
}

}  // namespace
