// harness/engine: podman run command lines (limits, ulimits from getrlimit, networks, runsc's
// network flag) and lifecycle timings from podman's events log.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>

#include "harness/engine/podman_args.h"
#include "harness/engine/podman_events.h"

namespace ocibench::engine {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

PodmanRunSpec Spec() {
  PodmanRunSpec s;
  s.name = "ocibench-abc-cell-1";
  s.runtime = "/usr/sbin/runc";
  s.image = "0123abcd";
  s.args = {"--benchmark_filter=x"};
  s.cpus = 1.5;
  s.memory_bytes = 1 << 30;
  s.cgroup_parent = "/ocibench-run/abc/cell-1";
  return s;
}

TEST(PodmanArgs, LimitsCgroupNetworkAndImageLast) {
  const auto a = RunArgs(Spec());
  EXPECT_EQ(a[0], "run");
  EXPECT_TRUE(Has(a, "--rm"));
  EXPECT_TRUE(Has(a, "--cpus=1.5"));
  EXPECT_TRUE(Has(a, "--memory=1073741824b"));
  EXPECT_TRUE(Has(a, "--memory-swap=1073741824b"));
  EXPECT_TRUE(Has(a, "--cgroup-parent=/ocibench-run/abc/cell-1"));
  EXPECT_TRUE(Has(a, "--network=none"));
  ASSERT_GE(a.size(), 2u);
  EXPECT_EQ(a[a.size() - 2], "0123abcd");
  EXPECT_EQ(a.back(), "--benchmark_filter=x");
  PodmanRunSpec ns = Spec();
  ns.network = {PodmanNetwork::Kind::kNetns, "/run/netns/x"};
  EXPECT_TRUE(Has(RunArgs(ns), "--network=ns:/run/netns/x"));
}

TEST(PodmanArgs, UlimitsAreTheHardLimitsCappedAtPodmansOwn) {
  rlimit nofile{}, nproc{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &nofile), 0);
  ASSERT_EQ(::getrlimit(RLIMIT_NPROC, &nproc), 0);
  auto capped = [](rlim_t hard, rlim_t cap) {
    return std::to_string(hard == RLIM_INFINITY ? cap : std::min(hard, cap));
  };
  const std::string f = capped(nofile.rlim_max, 1048576), p = capped(nproc.rlim_max, 32768);
  const auto u = HostUlimits();
  EXPECT_TRUE(Has(u, "nofile=" + f + ":" + f)) << u[0];
  EXPECT_TRUE(Has(u, "nproc=" + p + ":" + p)) << u[1];
  EXPECT_TRUE(Has(RunArgs(Spec()), "--ulimit=nofile=" + f + ":" + f));
}

TEST(PodmanArgs, RunscNetworkIsNoneOrHost) {
  EXPECT_EQ(RunscNetwork({PodmanNetwork::Kind::kNone, ""}), "none");
  EXPECT_EQ(RunscNetwork({PodmanNetwork::Kind::kHost, ""}), "host");
  EXPECT_EQ(RunscNetwork({PodmanNetwork::Kind::kNetns, "/run/netns/x"}), "host");
}

TEST(PodmanEvents, TimingsOfOneContainerFromItsFirstEvents) {
  const std::string log =
      R"({"ID":"a","Name":"other","Status":"create","Time":"2026-12-01T18:44:20.000000000Z","Type":"container"})"
      "\n"
      R"({"ID":"b","Name":"c1","Status":"create","Time":"2026-12-01T18:44:24.415196495Z","Type":"container"})"
      "\n"
      R"({"ID":"b","Name":"c1","Status":"init","Time":"2026-12-01T18:44:24.953842769Z","Type":"container"})"
      "\n"
      R"({"ID":"b","Name":"c1","Status":"start","Time":"2026-12-01T18:44:24.983684868Z","Type":"container"})"
      "\n"
      "not json\n"
      R"({"ID":"b","Name":"c1","Status":"died","Time":"2026-12-01T18:44:28.014054453Z","Type":"container"})"
      "\n"
      R"({"ID":"b","Name":"c1","Status":"remove","Time":"2026-12-01T18:44:28.345756235Z","Type":"container"})"
      "\n";
  const EventTimings t = ParseEventTimings(log, "c1");
  EXPECT_NEAR(t.create_ms, 538.646, 0.01);
  EXPECT_NEAR(t.start_ms, 29.842, 0.01);
  EXPECT_NEAR(t.delete_ms, 331.702, 0.01);
  const EventTimings none = ParseEventTimings(log, "missing");
  EXPECT_LT(none.create_ms, 0);
  EXPECT_LT(none.delete_ms, 0);
}

}  // namespace
}  // namespace ocibench::engine
