// The placement table through the launcher interface: which launcher runs the server and the
// client, on which network, with which cgroup and id, which one is the main workload, and what
// a failure or a stop records. Recording launchers; no runtime, no container.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/run/cell.h"
#include "harness/run/placement_run.h"

namespace {
namespace fs = std::filesystem;
using namespace ocibench;
using namespace ocibench::run;

std::string NetName(const NetworkChoice& n) {
  switch (n.kind) {
    case NetworkChoice::Kind::kHost:
      return "host";
    case NetworkChoice::Kind::kNetns:
      return "netns:" + n.ip;
    case NetworkChoice::Kind::kDefault:
      break;
  }
  return "default";
}

struct Calls {
  std::vector<std::string> log;
  std::vector<ServerDescription> servers;  // as StartServer got them
  bool server_ready = true;
};

class RecordingServer : public RunningServer {
 public:
  RecordingServer(Calls& calls, std::string who, ServerDescription d)
      : calls_(calls), who_(std::move(who)), d_(std::move(d)) {}
  const ServerDescription& description() const override { return d_; }
  bool Ready() override { return calls_.server_ready; }
  std::string Gone() override { return ""; }
  void Stop() override {
    if (!stopped_) calls_.log.push_back(who_ + " stop server");
    stopped_ = true;
  }
  Lifecycle lifecycle() const override { return {-1, -1, -1, 42, -1}; }

 private:
  Calls& calls_;
  std::string who_;
  ServerDescription d_;
  bool stopped_ = false;
};

class RecordingLauncher : public Launcher {
 public:
  RecordingLauncher(Calls& calls, std::string who, RuntimeKind kind)
      : calls_(calls), who_(std::move(who)), kind_(kind) {}
  RuntimeKind kind() const override { return kind_; }
  std::string ScratchFsType(const CellRun&) const override { return "tmpfs"; }
  int ServerStartSeconds() const override { return 1; }
  void RunBench(CellRun& cell, const Launch& l, const std::string& server) override {
    calls_.log.push_back(who_ + " bench " + Describe(cell, l) + " server=" + server);
    if (l.main) cell.recorder.SetLifecycle({-1, -1, 7, 8, -1});
  }
  std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& l,
                                             const ServerDescription& d) override {
    calls_.log.push_back(who_ + " server " + Describe(cell, l));
    calls_.servers.push_back(d);
    ServerDescription real = d;
    real.what = "fake server";
    if (real.ip.empty()) real.ip = "127.0.0.1", real.port = 6379;  // a native server's
    return std::make_unique<RecordingServer>(calls_, who_, real);
  }

 private:
  // "id cgroup network main|other", the id and cgroup relative to the cell's.
  static std::string Describe(const CellRun& cell, const Launch& l) {
    return l.id.substr(cell.id.size()) + "|" + l.cgroup.substr(cell.cgroup.size()) + "|" +
           NetName(l.network) + "|" + (l.main ? "main" : "other");
  }
  Calls& calls_;
  std::string who_;
  RuntimeKind kind_;
};

class PlacementTest : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("ocibench-placement-" + std::to_string(::getpid()));
  std::atomic<bool> stop{false};
  std::unique_ptr<ResultsDir> results;
  RunContext ctx;
  RuntimeEntry rt;
  GroupDef redis{"redis", "^Redis_", {}, Server::kRedis};
  GroupDef lzma{"lzma", "^LZMA_", {}, Server::kNone};
  CellSpec spec{3, "fake", "redis", 1};
  Calls calls;

  void SetUp() override {
    fs::remove_all(dir);
    results = std::make_unique<ResultsDir>(ResultsDir::Create(dir, {{"cells", {}}}));
    ctx.run_id = "r";
    ctx.results = results.get();
    ctx.stop = &stop;
    rt.name = "fake";
    rt.kind = RuntimeKind::kOci;
  }
  void TearDown() override { fs::remove_all(dir); }

  // Runs one cell of `group` with `placement`; returns its recorder's status line.
  std::string Run(Placement placement, const GroupDef& group, bool warmup = false) {
    ctx.config.placement = placement;
    CellRun cell(ctx, spec, rt, group, warmup);
    cell.bridge_namespaces = [&] {
      calls.log.push_back("bridge");
      return std::pair{NetworkChoice{NetworkChoice::Kind::kNetns, "/run/netns/s", "10.0.0.2"},
                       NetworkChoice{NetworkChoice::Kind::kNetns, "/run/netns/c", "10.0.0.3"}};
    };
    RecordingLauncher runtime(calls, "runtime", rt.kind),
        native(calls, "native", RuntimeKind::kNative);
    RunPlacement(cell, rt.kind == RuntimeKind::kNative ? native : runtime, native);
    lifecycle = cell.recorder.LifecycleRow("");
    log = cell.recorder.log();
    return ToString(cell.recorder.status()) +
           std::string(cell.recorder.error().empty() ? "" : ": ") + cell.recorder.error();
  }
  std::string lifecycle, log;
};

TEST_F(PlacementTest, ServerOnlyRunsTheServerInTheRuntimeAndTheClientNative) {
  EXPECT_EQ(Run(Placement::kServerOnly, redis), "ok");
  ASSERT_EQ(calls.log.size(), 3u);
  EXPECT_EQ(calls.log[0], "runtime server -server||host|main");
  EXPECT_TRUE(calls.log[1].starts_with("native bench -client|-client|host|other server=127.0.0.1:"))
      << calls.log[1];
  EXPECT_EQ(calls.log[2], "runtime stop server");
  EXPECT_EQ(lifecycle, ",,,42.000,\n");  // the server container's life: the main workload
  EXPECT_NE(log.find("server: fake server in a fake container at 127.0.0.1:"), std::string::npos);
  EXPECT_NE(log.find("(host network)"), std::string::npos) << log;
}

TEST_F(PlacementTest, ClientOnlyRunsTheServerNativeAndTheClientInTheRuntime) {
  EXPECT_EQ(Run(Placement::kClientOnly, redis), "ok");
  ASSERT_EQ(calls.log.size(), 3u);
  EXPECT_EQ(calls.log[0], "native server -server|-server|host|other");
  EXPECT_EQ(calls.log[1], "runtime bench -client||host|main server=127.0.0.1:6379");
  EXPECT_EQ(calls.log[2], "native stop server");
  EXPECT_EQ(lifecycle, ",,7.000,8.000,\n");
  EXPECT_NE(log.find("server: fake server native at 127.0.0.1:6379"), std::string::npos) << log;
}

TEST_F(PlacementTest, BothPutsEachInTheRuntimeOnTheBridge) {
  EXPECT_EQ(Run(Placement::kBoth, redis), "ok");
  ASSERT_EQ(calls.log.size(), 4u);
  EXPECT_EQ(calls.log[0], "bridge");
  EXPECT_EQ(calls.log[1], "runtime server -server|-server|netns:10.0.0.2|other");
  EXPECT_EQ(calls.log[2], "runtime bench -client||netns:10.0.0.3|main server=10.0.0.2:6379");
  EXPECT_NE(log.find("(CNI bridge)"), std::string::npos) << log;
}

// Issue 20: a Redis server on the bridge is bound to its namespace's address and has a fresh
// password that is in 0600 files only, never on its command line; the client is told where.
TEST_F(PlacementTest, RedisOnTheBridgeIsBoundAndHasAPasswordInFilesOnly) {
  EXPECT_EQ(Run(Placement::kBoth, redis), "ok");
  ASSERT_EQ(calls.servers.size(), 1u);
  const ServerDescription& d = calls.servers[0];
  ASSERT_EQ(d.password.size(), 24u);
  const auto has = [&](const std::string& a, const std::string& b) {
    for (std::size_t i = 0; i + 1 < d.args.size(); ++i)
      if (d.args[i] == a && d.args[i + 1] == b) return true;
    return false;
  };
  EXPECT_TRUE(has("--bind", "10.0.0.2"));
  EXPECT_TRUE(has("--include", "/srv/ocibench-redis/auth.conf"));
  for (const auto& a : d.args) EXPECT_EQ(a.find(d.password), std::string::npos) << a;
  ASSERT_FALSE(d.binds.empty());
  EXPECT_EQ(d.binds.back().container, "/srv/ocibench-redis");
  EXPECT_TRUE(d.binds.back().readonly);
  const fs::path work = results->dir() / ".work" / "cell-3";
  for (const auto& [file, text] :
       {std::pair{work / "redis-auth/auth.conf", "requirepass " + d.password + "\n"},
        std::pair{work / "redis-password", d.password}}) {
    std::ifstream in(file);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), text) << file;
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write)
        << file;
  }
}

// A native Redis server gets one too, through its --include of the same file.
TEST_F(PlacementTest, ANativeRedisServerHasAPasswordToo) {
  EXPECT_EQ(Run(Placement::kClientOnly, redis), "ok");
  ASSERT_EQ(calls.servers.size(), 1u);
  EXPECT_EQ(calls.servers[0].password.size(), 24u);
  EXPECT_EQ(calls.servers[0].auth_conf.filename(), "auth.conf");
}

TEST_F(PlacementTest, BothHostPutsEachInTheRuntimeOnTheHostNetwork) {
  EXPECT_EQ(Run(Placement::kBothHost, redis), "ok");
  ASSERT_EQ(calls.log.size(), 3u);
  EXPECT_EQ(calls.log[0], "runtime server -server|-server|host|other");
  EXPECT_TRUE(calls.log[1].starts_with("runtime bench -client||host|main server=127.0.0.1:"));
}

TEST_F(PlacementTest, NativeRuntimeRunsBothSidesNativeWhateverThePlacement) {
  rt.name = "native";
  rt.kind = RuntimeKind::kNative;
  EXPECT_EQ(Run(Placement::kBoth, redis), "ok");
  ASSERT_EQ(calls.log.size(), 3u);
  EXPECT_EQ(calls.log[0], "native server -server|-server|default|other");
  EXPECT_EQ(calls.log[1], "native bench -client||default|main server=127.0.0.1:6379");
}

TEST_F(PlacementTest, GroupWithoutServerAndWarmupRunOnlyTheBench) {
  EXPECT_EQ(Run(Placement::kBoth, lzma), "ok");
  EXPECT_EQ(Run(Placement::kBoth, redis, /*warmup=*/true), "ok");
  ASSERT_EQ(calls.log.size(), 2u);
  EXPECT_EQ(calls.log[0], "runtime bench ||default|main server=");
  EXPECT_EQ(calls.log[1], "runtime bench ||default|main server=");
}

TEST_F(PlacementTest, AServerThatNeverAnswersFailsTheCellAndIsStopped) {
  calls.server_ready = false;
  const std::string status = Run(Placement::kServerOnly, redis);
  EXPECT_TRUE(status.starts_with("failed: fake: the fake server container did not answer PING"))
      << status;
  ASSERT_EQ(calls.log.size(), 2u);  // no client ran
  EXPECT_EQ(calls.log[1], "runtime stop server");
}

TEST_F(PlacementTest, AStopWhileWaitingLeavesTheCellPending) {
  calls.server_ready = false;
  stop = true;
  EXPECT_EQ(Run(Placement::kBothHost, redis), "pending");
}

TEST_F(PlacementTest, ABridgeThatCannotBeMadeFailsTheCellBeforeAnythingStarts) {
  ctx.config.placement = Placement::kBoth;
  CellRun cell(ctx, spec, rt, redis, false);
  cell.bridge_namespaces = []() -> std::pair<NetworkChoice, NetworkChoice> {
    throw std::runtime_error("cni: bridge plugin not found");
  };
  RecordingLauncher runtime(calls, "runtime", RuntimeKind::kOci),
      native(calls, "native", RuntimeKind::kNative);
  RunPlacement(cell, runtime, native);
  EXPECT_EQ(cell.recorder.status(), CellStatus::kFailed);
  EXPECT_EQ(cell.recorder.error(), "fake: cni: bridge plugin not found");
  EXPECT_TRUE(calls.log.empty());
}

TEST(CellRecorder, FirstFailureWinsAndAStopMakesItPending) {
  std::atomic<bool> stop{false};
  CellRecorder r(stop);
  EXPECT_EQ(r.status(), CellStatus::kOk);
  r.Fail(CellStatus::kTimeout, "a: timed out");
  r.Fail("b: exited with code 1");
  EXPECT_EQ(r.status(), CellStatus::kTimeout);
  EXPECT_EQ(r.error(), "a: timed out");
  CellRecorder s(stop);
  stop = true;
  s.Fail("c: killed by signal 9");
  EXPECT_EQ(s.status(), CellStatus::kPending);
  EXPECT_EQ(s.LifecycleRow("x,y,1,"), "");
  s.SetLifecycle({1, 2, -1, 4.5, 0});
  EXPECT_EQ(s.LifecycleRow("x,y,1,"), "x,y,1,1.000,2.000,,4.500,0.000\n");
}

}  // namespace
