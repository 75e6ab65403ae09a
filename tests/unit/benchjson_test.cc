// harness/benchjson on small documents and files written by the test: each primary-metric rule
// and its direction, a missing counter, counter directions, the cell-output check's lines, the
// iteration entries, name decorations, user counters and times in ms.
#include "harness/benchjson/benchjson.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ocibench::benchjson {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char t[] = "/tmp/ocibench-benchjson-unit-XXXXXX";
    const int fd = mkstemp(t);
    close(fd);
    p_ = t;
    std::ofstream(p_) << text;
  }
  ~TempFile() { fs::remove(p_); }
  const fs::path& path() const { return p_; }

 private:
  fs::path p_;
};

// The counter rules: LZMA_ → rating_MIPS, Redis_ → rps, HTTP_Download → bytes_per_second, each
// higher is better even though the entry has a real_time.
TEST(BenchJson, CounterRulesAreHigherIsBetter) {
  struct Case {
    const char* name;
    const char* counter;
    const char* unit;
  };
  for (const Case& c :
       {Case{"LZMA_Compress/sdk/dict:22", "rating_MIPS", "MIPS"}, Case{"Redis_GET", "rps", "req/s"},
        Case{"HTTP_Download/1MB", "bytes_per_second", "B/s"}}) {
    const auto p = PrimaryMetric({{"name", c.name}, {"real_time", 10}, {c.counter, 2500}});
    ASSERT_TRUE(p) << c.name;
    EXPECT_EQ(p->metric, c.counter) << c.name;
    EXPECT_EQ(p->unit, c.unit) << c.name;
    EXPECT_EQ(p->direction, Direction::kHigherIsBetter) << c.name;
    EXPECT_EQ(p->value, 2500) << c.name;
  }
}

TEST(BenchJson, EverythingElseIsRealTimeLowerIsBetter) {
  // An HTTP latency benchmark has an rps counter too; its primary metric is still real_time.
  const auto lat = PrimaryMetric({{"name", "HTTP_Request1KB/keepalive"},
                                  {"real_time", 55.5},
                                  {"time_unit", "us"},
                                  {"rps", 1}});
  ASSERT_TRUE(lat);
  EXPECT_EQ(lat->metric, "real_time");
  EXPECT_EQ(lat->unit, "us");
  EXPECT_EQ(lat->direction, Direction::kLowerIsBetter);
  EXPECT_EQ(lat->value, 55.5);
  const auto probe = PrimaryMetric({{"name", "Probe_stat"}, {"real_time", 700}});
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->unit, "ns");  // Google Benchmark's default time unit
  EXPECT_EQ(probe->direction, Direction::kLowerIsBetter);
}

// The apps group (docs/apps.md): time per pass even with items/s and bytes/s counters; the
// start-up's manual time is written as real_time.
TEST(BenchJson, AppsAreRealTimeLowerIsBetter) {
  for (const char* name : {"Apps_xml_parse/min_time:0.050/real_time",
                           "Apps_startup_exec/min_time:0.050/manual_time"}) {
    const auto p = PrimaryMetric({{"name", name},
                                  {"real_time", 3.3},
                                  {"time_unit", "ms"},
                                  {"items_per_second", 300},
                                  {"bytes_per_second", 1e8}});
    ASSERT_TRUE(p) << name;
    EXPECT_EQ(p->metric, "real_time") << name;
    EXPECT_EQ(p->unit, "ms") << name;
    EXPECT_EQ(p->direction, Direction::kLowerIsBetter) << name;
  }
}

TEST(BenchJson, MissingCounterHasNoPrimaryMetric) {
  // real_time is there, but an LZMA benchmark is judged by its rating only.
  EXPECT_FALSE(PrimaryMetric({{"name", "LZMA_Compress/sdk/dict:22"}, {"real_time", 900}}));
  EXPECT_FALSE(PrimaryMetric({{"name", "Redis_GET"}, {"real_time", 10}}));
  EXPECT_FALSE(PrimaryMetric({{"name", "HTTP_Download/1MB"}, {"real_time", 10}}));
  EXPECT_FALSE(PrimaryMetric({{"name", "Probe_stat"}, {"real_time", "fast"}}));
}

TEST(BenchJson, DirectionNamesAndCounterDirections) {
  EXPECT_EQ(ToString(Direction::kHigherIsBetter), "higher");
  EXPECT_EQ(ToString(Direction::kLowerIsBetter), "lower");
  for (const char* c :
       {"rps", "bytes_per_second", "items_per_second", "rating_MIPS", "ru_MIPS", "speed_KiBps"})
    EXPECT_EQ(CounterDirection(c), Direction::kHigherIsBetter) << c;
  for (const char* c : {"lat_p99_us", "lat_avg_us", "create_ms", "stat_ns"})
    EXPECT_EQ(CounterDirection(c), Direction::kLowerIsBetter) << c;
  EXPECT_FALSE(CounterDirection("pack_ratio"));
  EXPECT_FALSE(CounterDirection("usage_pct"));
}

TEST(BenchJson, CheckFileAcceptsValidOutput) {
  TempFile f(R"({"context":{},"benchmarks":[{"name":"A","real_time":1}]})");
  EXPECT_EQ(CheckFile(f.path()), "");
}

TEST(BenchJson, CheckFileMissing) {
  EXPECT_EQ(CheckFile("/nonexistent/dir/out.json"),
            "no benchmark output (out.json was not written)");
}

TEST(BenchJson, CheckFileInvalidAndEmpty) {
  TempFile bad("{\"context\":");
  EXPECT_TRUE(CheckFile(bad.path()).starts_with("benchmark output is not valid JSON: "))
      << CheckFile(bad.path());
  TempFile empty("");  // an interrupted cell: the file exists, nothing was written
  // nlohmann_json's own reason follows (its wording differs between versions).
  EXPECT_TRUE(CheckFile(empty.path()).starts_with("benchmark output is not valid JSON: "))
      << CheckFile(empty.path());
}

TEST(BenchJson, CheckFileNoBenchmarks) {
  for (const char* text : {R"({"context":{},"benchmarks":[]})", R"({"benchmarks":[{"name":"A"}]})",
                           R"({"context":{}})", "[1]"}) {
    TempFile f(text);
    EXPECT_EQ(CheckFile(f.path()), "benchmark output has no benchmarks") << text;
  }
}

TEST(BenchJson, CheckFileErrorOccurred) {
  TempFile f(R"({"context":{},"benchmarks":[{"name":"A","real_time":1},
    {"name":"Redis_GET","error_occurred":true,"error_message":"connection refused"}]})");
  EXPECT_EQ(CheckFile(f.path()), "Redis_GET: connection refused");
  TempFile bare(R"({"context":{},"benchmarks":[{"error_occurred":true}]})");
  EXPECT_EQ(CheckFile(bare.path()), "?: error");
}

TEST(BenchJson, IterationsSkipAggregatesAndFailures) {
  const json doc = {{"benchmarks",
                     {{{"name", "A"}, {"run_type", "iteration"}},
                      {{"name", "A_mean"}, {"run_type", "aggregate"}},
                      {{"name", "E"}, {"error_occurred", true}},
                      {{"name", "B"}}}}};
  auto names = [](const std::vector<const json*>& v) {
    std::vector<std::string> out;
    for (const json* b : v) out.push_back((*b)["name"]);
    return out;
  };
  EXPECT_EQ(names(Iterations(doc)), (std::vector<std::string>{"A", "B"}));
  const auto all = Iterations(doc, /*keep_failed=*/true);
  EXPECT_EQ(names(all), (std::vector<std::string>{"A", "E", "B"}));
  EXPECT_TRUE(Failed(*all[1]));
  EXPECT_FALSE(Failed(*all[0]));
}

TEST(BenchJson, IterationsRejectWhatIsNotBenchmarkJson) {
  try {
    Iterations(json::object());
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "not Google Benchmark JSON (no \"benchmarks\" array)");
  }
  try {
    Iterations({{"benchmarks", {1}}});
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "a benchmark entry is not an object");
  }
}

TEST(BenchJson, ReadFileNamesTheFile) {
  try {
    ReadFile("/nonexistent/x.json");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/x.json: cannot read (missing or not readable)");
  }
  TempFile bad("{");
  try {
    ReadFile(bad.path());
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(bad.path().string() + ": not valid JSON ("))
        << e.what();
  }
  TempFile good(R"({"benchmarks":[]})");
  EXPECT_TRUE(ReadFile(good.path())["benchmarks"].is_array());
}

TEST(BenchJson, BaseNameDropsHowItRan) {
  EXPECT_EQ(BaseName("LZMA_Compress/sdk/dict:22/min_time:0.020/iterations:3/process_time/"
                     "real_time"),
            "LZMA_Compress/sdk/dict:22");
  EXPECT_EQ(BaseName("LZMA_Compress_MT/dict:22/iterations:3/real_time/threads:2"),
            "LZMA_Compress_MT/dict:22/threads:2");
  EXPECT_EQ(BaseName("Redis_GET/manual_time"), "Redis_GET");
}

TEST(BenchJson, CountersAreTheUserFields) {
  const auto c = Counters({{"name", "A"},
                           {"iterations", 3},
                           {"real_time", 1.0},
                           {"cpu_time", 2.0},
                           {"threads", 1},
                           {"rating_MIPS", 2400.0},
                           {"usage_pct", 180.0},
                           {"label", "x"}});
  EXPECT_EQ(c, (std::map<std::string, double>{{"rating_MIPS", 2400.0}, {"usage_pct", 180.0}}));
}

TEST(BenchJson, RealTimeInMilliseconds) {
  EXPECT_DOUBLE_EQ(*RealTimeMs({{"real_time", 2.5}, {"time_unit", "ms"}}), 2.5);
  EXPECT_DOUBLE_EQ(*RealTimeMs({{"real_time", 1500000}}), 1.5);  // ns by default
  EXPECT_DOUBLE_EQ(*RealTimeMs({{"real_time", 250}, {"time_unit", "us"}}), 0.25);
  EXPECT_DOUBLE_EQ(*RealTimeMs({{"real_time", 2}, {"time_unit", "s"}}), 2000);
  EXPECT_FALSE(RealTimeMs({{"real_time", 2}, {"time_unit", "fortnight"}}));
}

}  // namespace
}  // namespace ocibench::benchjson
