// Between-host statistics (report/fleet_stats.h) and the comparability rules of a fleet
// (report/fleet_results.h) on small hand-made series and run.json objects.
#include <gtest/gtest.h>

#include "harness/report/fleet_results.h"
#include "harness/report/fleet_stats.h"

namespace ocibench::report {
namespace {

using nlohmann::json;

TEST(CompareOverheads, RatioOfTheTwoHostsRatiosToNative) {
  // Host A: the runtime keeps half of native's rate; host B: a quarter. Higher is better.
  const std::vector<double> na = {100, 101, 99, 100, 102}, ra = {50, 51, 49, 50, 50};
  const std::vector<double> nb = {200, 202, 198, 200, 201}, rb = {50, 50, 51, 49, 50};
  const auto d = CompareOverheads(na, ra, nb, rb, Direction::kHigherIsBetter, 7, 500);
  EXPECT_NEAR(d.ratio, 0.5, 0.01);
  EXPECT_TRUE(d.differs);
  EXPECT_LT(d.ci.high, 1.0);
  EXPECT_LE(d.ci.low, d.ratio);
  EXPECT_GE(d.ci.high, d.ratio);
}

TEST(CompareOverheads, DirectionAwareAndEqualCostsCannotBeTold) {
  // Times (lower is better): the runtime takes 2x native on both hosts, B is 3x slower overall.
  const std::vector<double> na = {10, 11, 9, 10}, ra = {20, 22, 18, 20};
  const std::vector<double> nb = {30, 33, 27, 30}, rb = {60, 66, 54, 60};
  const auto d = CompareOverheads(na, ra, nb, rb, Direction::kLowerIsBetter, 7, 500);
  EXPECT_NEAR(d.ratio, 1.0, 1e-9);
  EXPECT_FALSE(d.differs);
  EXPECT_THROW(CompareOverheads({}, ra, nb, rb, Direction::kLowerIsBetter, 7),
               std::invalid_argument);
}

TEST(CompareAcrossHosts, AFasterMachineIsSignificantAndGated) {
  SeriesStats a, b;
  a.series = {.group = "lzma",
              .name = "LZMA_Compress",
              .runtime = "runc",
              .metric = "rating_MIPS",
              .unit = "MIPS",
              .direction = Direction::kHigherIsBetter,
              .values = {100, 101, 99, 100, 102, 98},
              .counters = {}};
  b.series = a.series;
  b.series.values = {150, 151, 149, 150, 152, 148};
  a.cv = Cv(a.series.values);
  b.cv = Cv(b.series.values);
  AnalysisOptions o;
  o.resamples = 500;
  auto v = CompareAcrossHosts(a, b, o);
  EXPECT_NEAR(v.speed, 1.5, 1e-9);
  EXPECT_TRUE(v.significant);
  b.multimodal = true;  // a gate holds the verdict back
  v = CompareAcrossHosts(a, b, o);
  EXPECT_FALSE(v.significant);
  EXPECT_TRUE(v.significant_before_gates);
}

// A readable host made from a run.json object only.
FleetHost Host(const std::string& name, const json& run) {
  FleetHost h;
  h.name = name;
  h.status = "ok";
  Results r;
  r.run.raw = run;
  h.results = r;
  return h;
}

json RunJson(const std::string& version, const std::string& placement, const json& redis_args) {
  return {{"id", version + placement},
          {"ocibench_version", version},
          {"config",
           {{"config_file", "/etc/ocibench/fleet.toml"},
            {"cpus", 2},
            {"placement", placement},
            {"bench", "/somewhere/" + version},  // paths differ between machines: ignored
            {"groups", {"lzma", "redis"}},
            {"group",
             {{"lzma", {{"filter", "^LZMA_"}, {"args", json::array()}, {"server", ""}}},
              {"redis", {{"filter", "^Redis_"}, {"args", redis_args}, {"server", "redis"}}}}}}}};
}

TEST(CheckComparable, SameSettingsAreComparable) {
  Fleet f;
  f.config = "fleet.toml";
  f.hosts = {Host("a", RunJson("0.1.0", "server-only", json::array())),
             Host("b", RunJson("0.1.0", "server-only", json::array()))};
  f.hosts[1].results->run.raw["id"] = "other";
  CheckComparable(f);
  EXPECT_TRUE(f.mismatches.empty()) << f.mismatches.front();
  EXPECT_TRUE(f.incomparable_groups.empty());
}

TEST(CheckComparable, VersionPlacementGroupsConfigFileAndSameRunAreNamed) {
  Fleet f;
  f.config = "fleet.toml";
  f.hosts = {Host("a", RunJson("0.1.0", "server-only", json::array())),
             Host("b", RunJson("0.2.0", "both", json::array({"--redis_pipeline=4"}))),
             Host("c", RunJson("0.1.0", "server-only", json::array()))};
  f.hosts[2].results->run.raw["id"] = f.hosts[0].results->run.raw["id"];
  f.hosts[2].results->run.raw["config"]["config_file"] = "other.toml";
  CheckComparable(f);
  std::string all;
  for (const auto& m : f.mismatches) all += m + "\n";
  EXPECT_NE(all.find("b: ocibench 0.2.0"), std::string::npos) << all;
  EXPECT_NE(all.find("b: config differs from a's in placement (both vs server-only)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("group redis"), std::string::npos) << all;
  EXPECT_NE(all.find("a and c hold the same run"), std::string::npos) << all;
  EXPECT_NE(all.find("c: ran with config 'other.toml', not the fleet's 'fleet.toml'"),
            std::string::npos)
      << all;
  EXPECT_EQ(f.incomparable_groups, std::set<std::string>{"redis"});  // lzma has no server
}

TEST(CheckComparable, CpuLimitMakesEveryGroupIncomparable) {
  Fleet f;
  json b = RunJson("0.1.0", "server-only", json::array());
  b["config"]["cpus"] = 1;
  b["id"] = "x";
  f.hosts = {Host("a", RunJson("0.1.0", "server-only", json::array())), Host("b", b)};
  CheckComparable(f);
  EXPECT_EQ(f.incomparable_groups, (std::set<std::string>{"lzma", "redis"}));
}

}  // namespace
}  // namespace ocibench::report
