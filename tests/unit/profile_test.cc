// harness/profile without tracing anything: strace's summary parser, the costs from a results
// directory and their CSV, the attribution maths.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/profile/attribution.h"
#include "harness/profile/costs.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/profile_file.h"
#include "harness/profile/strace_summary.h"
#include "harness/profile/syscall_probes.h"

namespace ocibench::profile {
namespace {
namespace fs = std::filesystem;

constexpr const char* kSummary =
    "strace: Process 12 attached\n"
    "syscall              calls    errors\n"
    "---------------- --------- ---------\n"
    "openat                  34        13\n"
    "mmap                    30          \n"
    "execve                   1          \n"
    "---------------- --------- ---------\n"
    "total                   65        13\n";

TEST(StraceSummary, CountsAndErrorsPerSystemCall) {
  const auto c = ParseStraceSummary(kSummary);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.at("openat").calls, 34u);
  EXPECT_EQ(c.at("openat").errors, 13u);
  EXPECT_EQ(c.at("mmap").calls, 30u);
  EXPECT_EQ(c.at("mmap").errors, 0u);
}

TEST(StraceSummary, RefusesWhatIsNotAWholeSummary) {
  EXPECT_THROW(ParseStraceSummary("hello\n"), ProfileError);
  std::string cut = kSummary;
  cut = cut.substr(0, cut.find("----------------", 60));  // no total row
  EXPECT_THROW(ParseStraceSummary(cut), ProfileError);
  EXPECT_THROW(ParseStraceSummary("syscall calls errors\nread x\ntotal 1\n"), ProfileError);
}

RuntimeCosts Costs() {
  RuntimeCosts rc{"rt", {}, {}, {}};
  rc.by_syscall["read"] = {"read", 1000, "Probe_io_seq_read/block:4096", false};
  rc.fallback = SyscallCost{"*", 100, kFallbackProbe, true};
  return rc;
}

TEST(Attribution, PredictedTimeIsNativePlusCallsTimesAddedCost) {
  // 1 ms native; 500 reads × 1 µs + 2000 others × 0.1 µs = 0.7 ms added.
  const Prediction p = Predict({{"read", 500}, {"futex", 2000}}, 1e-3, Costs());
  EXPECT_NEAR(p.predicted_s, 1.7e-3, 1e-12);
  EXPECT_NEAR(p.Slowdown(), 1.7, 1e-9);
  ASSERT_EQ(p.contributions.size(), 2u);
  EXPECT_EQ(p.contributions[0].syscall, "read");  // largest first
  EXPECT_FALSE(p.contributions[0].fallback);
  EXPECT_EQ(p.contributions[1].syscall, "futex");
  EXPECT_TRUE(p.contributions[1].fallback);
  EXPECT_TRUE(p.uncosted.empty());
  EXPECT_THROW(Predict({}, 0, Costs()), ProfileError);
}

TEST(Attribution, WithoutAFallbackUnmappedCallsAreNamedNotGuessed) {
  RuntimeCosts rc = Costs();
  rc.fallback.reset();
  const Prediction p = Predict({{"read", 10}, {"futex", 5}}, 1e-3, rc);
  EXPECT_EQ(p.uncosted, std::vector<std::string>{"futex"});
  EXPECT_NEAR(p.predicted_s, 1e-3 + 10e-6, 1e-12);
}

TEST(Attribution, ExplainedFraction) {
  EXPECT_NEAR(*ExplainedFraction(1.5, 2.0), 0.5, 1e-12);
  EXPECT_NEAR(*ExplainedFraction(11, 12), 10.0 / 11, 1e-12);
  EXPECT_FALSE(ExplainedFraction(1.2, 1.005).has_value());
  EXPECT_EQ(CallsPer({{"read", {30, 0}}}, 3).at("read"), 10);
}

void WriteBench(const fs::path& file, const std::map<std::string, double>& ns) {
  nlohmann::json doc = {{"context", {{"date", "x"}}}, {"benchmarks", nlohmann::json::array()}};
  for (const auto& [name, t] : ns)
    doc["benchmarks"].push_back({{"name", name + "/min_time:0.020/real_time"},
                                 {"run_type", "iteration"},
                                 {"iterations", 10},
                                 {"real_time", t},
                                 {"cpu_time", t},
                                 {"time_unit", "ns"}});
  fs::create_directories(file.parent_path());
  std::ofstream(file) << doc.dump();
}

TEST(Costs, MedianDifferencePerSystemCallOfTheProbe) {
  char tmpl[] = "/tmp/profile-costs-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  EXPECT_THROW(CostsFromResults(dir), ProfileError);  // no native probes
  for (int rep = 1; rep <= 3; ++rep) {
    WriteBench(dir / "bench/native/probes" / ("rep-" + std::to_string(rep) + ".json"),
               {{"Probe_sys_getpid_raw", 100.0 + rep},
                {"Probe_fs_open_close", 2000},
                {"Probe_net_tcp_rr", 10000}});
    WriteBench(dir / "bench/slow/probes" / ("rep-" + std::to_string(rep) + ".json"),
               {{"Probe_sys_getpid_raw", 1100.0 + 10 * rep},
                {"Probe_fs_open_close", 6000},
                {"Probe_net_tcp_rr", 14000}});
  }
  const auto costs = CostsFromResults(dir);
  ASSERT_EQ(costs.size(), 1u);
  const RuntimeCosts& rc = costs[0];
  EXPECT_EQ(rc.runtime, "slow");
  EXPECT_NEAR(rc.by_syscall.at("getpid").added_ns, 1120 - 102, 1e-9);  // medians
  EXPECT_NEAR(rc.by_syscall.at("openat").added_ns, 4000.0 / 2, 1e-9);  // 2 calls per iteration
  EXPECT_NEAR(rc.fallback->added_ns, 1018, 1e-9);
  EXPECT_TRUE(rc.For("execve")->fallback);
  // No socket probe in this run: sendto takes its second row, the TCP round trip (4 calls).
  EXPECT_EQ(rc.by_syscall.at("sendto").probe, "Probe_net_tcp_rr");
  EXPECT_NEAR(rc.by_syscall.at("sendto").added_ns, 1000, 1e-9);
  EXPECT_FALSE(rc.missing.empty());  // e.g. Probe_io_seq_read/block:4096

  const auto back = ParseCostsCsv(CostsCsv(costs));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_NEAR(back[0].by_syscall.at("close").added_ns, 2000, 1e-3);
  EXPECT_NEAR(back[0].fallback->added_ns, 1018, 1e-3);
  EXPECT_THROW(ParseCostsCsv("runtime,syscall,added_ns,probe,basis\nrt,read,abc,p,probe\n"),
               ProfileError);
  EXPECT_THROW(ParseCostsCsv("nonsense\n"), ProfileError);
  fs::remove_all(dir);
}

TEST(PerUnit, TheSizeGoesWhereverTheCommandSaysNAndNowhereElse) {
  EXPECT_EQ(WithUnits({"bench", "--iterations={n}", "-x"}, 20),
            (std::vector<std::string>{"bench", "--iterations=20", "-x"}));
  EXPECT_THROW(WithUnits({"/bin/true"}, 1), UsageError);
  EXPECT_THROW(ProfilePerUnit({"x{n}"}, 5, 5, 1, std::chrono::seconds(1)), UsageError);
}

TEST(SyscallProbes, EveryRowNamesAProbeAndAPositiveCount) {
  for (const auto& row : SyscallProbeTable()) {
    EXPECT_TRUE(row.probe.starts_with("Probe_")) << row.syscall;
    EXPECT_GT(row.calls_per_iteration, 0) << row.syscall;
  }
}

TEST(SyscallProbes, ASocketProfileIsCostedBySocketRowsElseByTheCallsOwn) {
  const auto calls = WithFdKind({{"read", 2}, {"epoll_wait", 1}, {"futex", 3}}, FdKind::kSocket);
  EXPECT_EQ(calls.at("read@socket"), 2);
  EXPECT_EQ(calls.at("epoll_wait@socket"), 1);
  EXPECT_EQ(calls.at("futex"), 3);  // no socket row: unchanged
  EXPECT_EQ(WithFdKind({{"read", 2}}, FdKind::kFile).count("read"), 1u);
  RuntimeCosts rc = Costs();
  EXPECT_EQ(rc.For("read@socket")->probe, "Probe_io_seq_read/block:4096");  // no socket probe
  EXPECT_FALSE(rc.For("read@socket")->fallback);
  rc.by_syscall["read@socket"] = {"read@socket", 300, "Probe_sock_tcp_rw/bytes:64", false};
  EXPECT_EQ(rc.For("read@socket")->added_ns, 300);
  EXPECT_FALSE(ParseFdKind("pipe").has_value());
}

// A server on the host network: its socket calls cost the bare trap (the socket's work is the
// host kernel's), a call without a host-network row its socket row, else its own.
TEST(SyscallProbes, AHostSocketProfileIsCostedAsTheBareTrap) {
  const auto calls = WithFdKind({{"read", 1}, {"recvfrom", 1}, {"epoll_wait", 0.02}, {"futex", 3}},
                                FdKind::kHostSocket);
  EXPECT_EQ(calls.at("read@hostnet"), 1);
  EXPECT_EQ(calls.at("recvfrom@hostnet"), 1);
  EXPECT_EQ(calls.at("epoll_wait@hostnet"), 0.02);
  EXPECT_EQ(calls.at("futex"), 3);
  EXPECT_EQ(ParseFdKind("host-socket"), FdKind::kHostSocket);
  EXPECT_STREQ(FdKindName(FdKind::kHostSocket), "host-socket");
  RuntimeCosts rc = Costs();
  rc.fallback = SyscallCost{"*", 45000, "Probe_sys_getpid_raw", true};
  // A costs file from before the host-network rows: the trap, and not marked a fallback.
  const auto c = rc.For("write@hostnet");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->added_ns, 45000);
  EXPECT_FALSE(c->fallback);
}

TEST(ProfileFile, WrittenAndReadBackAndABadFileIsNamed) {
  char tmpl[] = "/tmp/profile-file-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  BenchmarkProfile p;
  p.benchmark = "Probe_fs_stat_depth/depth:1";
  p.group = "probes";
  p.fd_kind = FdKind::kSocket;
  p.calls = {{"newfstatat", 1.0}};
  WriteProfile(dir, p);
  EXPECT_TRUE(fs::exists(dir / "profile/probes/Probe_fs_stat_depth_depth:1.json"));
  std::ofstream(dir / "profile/probes/broken.json") << "{";
  std::vector<std::string> bad;
  const auto back = ReadProfiles(dir, &bad);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].benchmark, p.benchmark);
  EXPECT_EQ(back[0].fd_kind, FdKind::kSocket);
  EXPECT_EQ(back[0].calls.at("newfstatat"), 1.0);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("broken.json"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ocibench::profile
