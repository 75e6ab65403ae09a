// harness/startup's pure parts: percentiles, the clock stamp, CSV fields, the density floor,
// failure reasons and the comma lists of the flags.
#include <gtest/gtest.h>

#include "harness/run/config.h"
#include "harness/startup/common_flags.h"
#include "harness/startup/density_run.h"
#include "harness/startup/percentiles.h"
#include "harness/startup/startup_run.h"
#include "harness/startup/startup_sample.h"
#include "harness/startup/target.h"

namespace ocibench::startup {
namespace {

TEST(StartupPercentiles, InterpolatesLikeNumpy) {
  const Percentiles p = Summarize({5, 1, 4, 2, 3});
  EXPECT_EQ(p.n, 5);
  EXPECT_DOUBLE_EQ(p.p50, 3);
  EXPECT_DOUBLE_EQ(p.p95, 4.8);  // numpy.percentile([1,2,3,4,5], 95)
  EXPECT_DOUBLE_EQ(p.max, 5);
  EXPECT_EQ(Summarize({}).n, 0);
}

TEST(StartupSample, ParsesTheStampAndRejectsJunk) {
  EXPECT_EQ(ParseStamp("x\nocibench-stamp 1764612345123456789\n"), 1764612345123456789LL);
  EXPECT_FALSE(ParseStamp("ocibench-stamp \n").has_value());
  EXPECT_FALSE(ParseStamp("nothing here").has_value());
  EXPECT_FALSE(ParseStamp("ocibench-stamp 99999999999999999999999").has_value());
}

TEST(StartupSample, RowsQuoteErrorsAndLeaveMissingPhasesEmpty) {
  StartupSample s;
  s.runtime = "runc";
  s.variant = "default";
  s.workload = "bench";
  s.total_ms = 12.5;
  s.error = "runc create x: exited with code 1: \"bad\", really";
  const std::string row = CsvRow(s);
  EXPECT_EQ(row,
            "runc,default,bench,sequential,1,0,,,,,,,12.500,failed,"
            "\"runc create x: exited with code 1: \"\"bad\"\", really\"\n");
}

TEST(StartupDensity, StopsBeforeTheFloorWithMargin) {
  constexpr std::uint64_t MiB = 1 << 20;
  EXPECT_FALSE(WouldCrossFloor(4096 * MiB, 10 * MiB, 1024 * MiB));
  EXPECT_TRUE(WouldCrossFloor(1100 * MiB, 10 * MiB, 1024 * MiB));   // margin: 2 × 64 MiB minimum
  EXPECT_TRUE(WouldCrossFloor(1500 * MiB, 300 * MiB, 1024 * MiB));  // margin: 2 × the largest step
}

TEST(StartupRun, FailureReasonsAreCountedMostFrequentFirst) {
  EXPECT_EQ(FailureReasons({"b", "a", "b"}), "b: 2; a: 1");
  EXPECT_EQ(FailureReasons({}), "");
}

TEST(StartupFlags, CountsAreCheckedWithOneLine) {
  EXPECT_EQ(ParseCounts("--counts", "1,10,50", 100), (std::vector<int>{1, 10, 50}));
  EXPECT_THROW(ParseCounts("--counts", "1,x", 100), run::ConfigError);
  EXPECT_THROW(ParseCounts("--counts", "0", 100), run::ConfigError);
  EXPECT_THROW(ParseCounts("--counts", "101", 100), run::ConfigError);
  try {
    ParseCounts("--concurrency", "2,-1", 64);
  } catch (const run::ConfigError& e) {
    EXPECT_STREQ(e.what(), "--concurrency '-1': use a comma list of whole numbers 1..64");
  }
}

TEST(StartupVariants, NamesRoundTrip) {
  for (const char* v : {"default", "no-seccomp", "no-cgroup", "host-network", "fresh-rootfs"})
    EXPECT_EQ(ToString(*ParseVariant(v)), v);
  EXPECT_FALSE(ParseVariant("bundle").has_value());  // only through --bundle
  EXPECT_FALSE(ParseVariant("fast").has_value());
}

}  // namespace
}  // namespace ocibench::startup
