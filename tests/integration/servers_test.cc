// The server launchers: a real redis-server and nginx start on a free loopback port, are ready
// when the constructor returns, and leave no process and no directory behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "harness/process/child_process.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"
#include "workloads/redis/endpoint.h"
#include "workloads/redis/load.h"
#include "workloads/redis/sync_client.h"

namespace ocibench::servers {
namespace {

using process::ChildProcess;
using process::TempDir;

// Running (not gone, not a zombie waiting for a reaper).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (pid <= 0 || !std::getline(stat, line)) return false;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

TEST(RedisServerLauncher, StartsWithoutPersistenceAndCleansUp) {
  pid_t pid = -1;
  std::string dir;
  {
    std::unique_ptr<RedisServer> s;
    try {
      s = std::make_unique<RedisServer>(WithUnixSocket());
    } catch (const std::exception& e) {
      GTEST_SKIP() << e.what();
    }
    pid = s->pid();
    EXPECT_NE(s->port(), 6379);
    dir = std::filesystem::path(s->log_path()).parent_path();
    const auto tcp = redis::ParseEndpoint(s->address());
    EXPECT_EQ(redis::Query(tcp, {"PING"}).str, "PONG");
    EXPECT_EQ(redis::Query(redis::ParseEndpoint(s->unix_socket()), {"PING"}).str, "PONG");
    const auto save = redis::Query(tcp, {"CONFIG", "GET", "save"});
    ASSERT_EQ(save.elements.size(), 2u);
    EXPECT_EQ(save.elements[1].str, "");
    EXPECT_EQ(redis::Query(tcp, {"CONFIG", "GET", "appendonly"}).elements.at(1).str, "no");
    EXPECT_EQ(redis::Query(tcp, {"CONFIG", "GET", "bind"}).elements.at(1).str, "127.0.0.1");
    EXPECT_TRUE(Alive(pid));
  }
  EXPECT_FALSE(Alive(pid)) << "redis-server " << pid << " left running";
  EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
}

TEST(RedisServerLauncher, MissingBinaryIsOneClearError) {
  try {
    RedisServerOptions o;
    o.binary = "ocibench-no-such-redis-server";
    RedisServer s(o);
    FAIL() << "started";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "ocibench-no-such-redis-server: could not start: No such file or directory "
                 "(is it installed? see scripts/install-deps)");
  }
}

TEST(RedisServerLauncher, ABadArgumentReportsTheServersOwnMessage) {
  try {
    RedisServerOptions o;
    o.extra_args = {"--no-such-option", "1"};
    RedisServer s(o);
    FAIL() << "started";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    if (msg.find("could not start") != std::string::npos) GTEST_SKIP() << msg;
    EXPECT_NE(msg.find("redis-server did not start on 127.0.0.1:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no-such-option"), std::string::npos) << msg;
  }
}

TEST(NginxServerLauncher, ServesTheGeneratedFilesAndCleansUp) {
  pid_t pid = -1;
  std::string root;
  {
    std::unique_ptr<NginxServer> s;
    try {
      NginxServerOptions o;
      o.files = {{"1KB", 1024}, {"1MB", 1 << 20}};
      s = std::make_unique<NginxServer>(o);
    } catch (const std::exception& e) {
      GTEST_SKIP() << e.what();
    }
    root = s->root();
    EXPECT_EQ(std::filesystem::file_size(root + "/1KB"), 1024u);
    EXPECT_EQ(std::filesystem::file_size(root + "/1MB"), 1u << 20);
    EXPECT_TRUE(s->Running());
    EXPECT_EQ(s->url("1MB"), "http://" + s->address() + "/1MB");
  }
  EXPECT_FALSE(std::filesystem::exists(root));
  (void)pid;
}

TEST(NginxServerLauncher, StandardFilesAreTheDocumentedSizes) {
  const auto files = StandardHttpFiles();
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0], (std::pair<std::string, std::uint64_t>{"1KB", 1024}));
  EXPECT_EQ(files[1], (std::pair<std::string, std::uint64_t>{"1MB", 1048576}));
  EXPECT_EQ(files[2], (std::pair<std::string, std::uint64_t>{"16MB", 16777216}));
  EXPECT_EQ(files[3], (std::pair<std::string, std::uint64_t>{"256MB", 268435456}));
}

TEST(ChildProcessTest, StopEndsTheWholeProcessGroup) {
  TempDir dir("ocibench-child");
  const std::string pidfile = dir.path() + "/grandchild.pid";
  pid_t grandchild = -1;
  {
    // sh starts a background sleep (a grandchild in the same group) and waits.
    ChildProcess p({"sh", "-c", "sleep 60 & echo $! > " + pidfile + "; wait"}, dir.path() + "/log");
    for (int i = 0; i < 200 && grandchild <= 0; i++) {
      std::ifstream in(pidfile);
      in >> grandchild;
      if (grandchild <= 0) usleep(10000);
    }
    ASSERT_GT(grandchild, 0);
    EXPECT_TRUE(Alive(grandchild));
  }
  // The grandchild is reparented to init when killed; give init a moment to reap it.
  for (int i = 0; i < 100 && Alive(grandchild); i++) usleep(10000);
  EXPECT_FALSE(Alive(grandchild)) << "sleep " << grandchild << " left running";
}

}  // namespace
}  // namespace ocibench::servers
