// The Redis load against a real redis-server (harness/servers): every command of the suite has
// its effect, counts follow redis-benchmark's rules, and every failure ends quickly with one
// message naming the address.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <thread>

#include "harness/process/child_process.h"
#include "harness/servers/redis_server.h"
#include "workloads/redis/load.h"
#include "workloads/redis/sync_client.h"
#include "workloads/redis/test_list.h"

namespace ocibench::redis {
namespace {

using servers::RedisServer;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

const TestCase& Find(const std::vector<TestCase>& tests, const std::string& id) {
  for (const auto& t : tests)
    if (t.id == id) return t;
  throw std::runtime_error("no test " + id);
}

class RedisLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      server_ = std::make_unique<RedisServer>(servers::WithUnixSocket());
    } catch (const std::exception& e) {
      GTEST_SKIP() << "redis-server not available: " << e.what();
    }
    options_.server = ParseEndpoint(server_->address());
    options_.clients = 10;
    options_.requests = 2000;
  }
  Reply Q(const std::vector<std::string>& argv) { return Query(options_.server, argv); }
  long long Int(const std::vector<std::string>& argv) {
    const Reply r = Q(argv);
    EXPECT_EQ(r.type, Reply::Type::kInteger) << argv[0] << ": " << r.str;
    return r.integer;
  }

  std::unique_ptr<RedisServer> server_;
  LoadOptions options_;
};

TEST_F(RedisLoadTest, EveryTestOfTheSuiteHasItsEffect) {
  const long long n = options_.requests;
  // What each test leaves behind, checked right after it (literal keys: no --keyspace).
  const std::map<std::string, std::function<void()>> check = {
      {"SET",
       [&] {
         EXPECT_EQ(Q({"GET", "key:__rand_int__"}).str, "VXK");
       }},
      {"GET", [&] { EXPECT_EQ(Int({"DBSIZE"}), 1); }},
      {"INCR",
       [&] {
         EXPECT_EQ(Q({"GET", "counter:__rand_int__"}).str, std::to_string(n));
       }},
      {"LPUSH",
       [&] {
         EXPECT_EQ(Int({"LLEN", "mylist"}), n);
       }},
      {"RPUSH",
       [&] {
         EXPECT_EQ(Int({"LLEN", "mylist"}), 2 * n);
       }},
      {"LPOP",
       [&] {
         EXPECT_EQ(Int({"LLEN", "mylist"}), n);
       }},
      {"RPOP",
       [&] {
         EXPECT_EQ(Int({"LLEN", "mylist"}), 0);
       }},
      {"SADD",
       [&] {
         EXPECT_EQ(Int({"SISMEMBER", "myset", "element:__rand_int__"}), 1);
       }},
      {"HSET",
       [&] {
         EXPECT_EQ(Q({"HGET", "myhash", "element:__rand_int__"}).str, "VXK");
       }},
      {"SPOP",
       [&] {
         EXPECT_EQ(Int({"SCARD", "myset"}), 0);
       }},
      {"ZADD",
       [&] {
         EXPECT_EQ(Int({"ZCARD", "myzset"}), 1);
       }},
      {"ZPOPMIN",
       [&] {
         EXPECT_EQ(Int({"ZCARD", "myzset"}), 0);
       }},
      {"LPUSH_FILL",
       [&] {
         EXPECT_EQ(Int({"LLEN", "mylist"}), n);
       }},
      {"MSET",
       [&] {
         EXPECT_EQ(Q({"GET", "key:__rand_int__"}).str, "VXK");
       }},
  };
  const auto tests = SelectTests("", 3, false);
  ASSERT_EQ(tests.size(), 20u);
  for (const auto& t : tests) {
    SCOPED_TRACE(t.id);
    const LoadResult r = RunLoad(options_, t.command);
    EXPECT_EQ(r.requests, n);
    EXPECT_EQ(r.latency_ns.count(), static_cast<std::uint64_t>(n));
    EXPECT_EQ(r.error_replies, 0) << r.first_error_reply;
    EXPECT_GT(r.rps(), 0);
    EXPECT_GT(r.latency_ns.min(), 0u);
    if (auto it = check.find(t.id); it != check.end()) it->second();
  }
  EXPECT_EQ(Int({"LLEN", "mylist"}), n);  // LRANGE reads, leaves the fill as it was
}

TEST_F(RedisLoadTest, PipelinedBatchesCanPassRequestsByLessThanOneBatch) {
  options_.pipeline = 16;
  options_.requests = 1000;  // 62.5 batches: redis-benchmark sends 63, i.e. 1008 pushes
  const auto tests = SelectTests("lrange_100", 3, false);
  const LoadResult r = RunLoad(options_, Find(tests, "LPUSH_FILL").command);
  EXPECT_EQ(Int({"LLEN", "mylist"}), 1008);
  EXPECT_EQ(r.requests, 1008);
  EXPECT_EQ(r.latency_ns.count(), 1000u);  // latency recorded for the first n replies only
}

TEST_F(RedisLoadTest, MsetWithRandomKeysSetsTenKeys) {
  options_.keyspace = 1000000000;
  options_.clients = 1;
  options_.requests = 1;
  const auto tests = SelectTests("mset", 3, true);
  RunLoad(options_, Find(tests, "MSET").command);
  const Reply keys = Q({"KEYS", "*"});
  ASSERT_EQ(keys.elements.size(), 10u);
  for (const auto& k : keys.elements) {
    EXPECT_EQ(k.str.size(), 16u) << k.str;
    EXPECT_TRUE(k.str.starts_with("key:")) << k.str;
    EXPECT_EQ(k.str.find_first_not_of("0123456789", 4), std::string::npos) << k.str;
    EXPECT_EQ(Q({"GET", k.str}).str, "VXK");
  }
}

TEST_F(RedisLoadTest, RandomKeysStayInTheKeyspace) {
  options_.keyspace = 50;
  const auto tests = SelectTests("set", 3, true);
  RunLoad(options_, Find(tests, "SET").command);
  const long long keys = Int({"DBSIZE"});
  EXPECT_GT(keys, 40);  // 2000 draws from 50 keys hit (almost surely) all of them
  EXPECT_LE(keys, 50);
  EXPECT_EQ(Q({"GET", "key:000000000049"}).str, "VXK");
}

TEST_F(RedisLoadTest, UnixSocketAndThreads) {
  options_.server = ParseEndpoint(server_->unix_socket());
  options_.threads = 3;
  options_.clients = 7;
  const auto tests = SelectTests("incr", 3, false);
  const LoadResult r = RunLoad(options_, Find(tests, "INCR").command);
  EXPECT_EQ(r.requests, options_.requests);
  EXPECT_EQ(r.latency_ns.count(), static_cast<std::uint64_t>(options_.requests));
  EXPECT_EQ(Q({"GET", "counter:__rand_int__"}).str, std::to_string(options_.requests));
}

TEST_F(RedisLoadTest, ErrorRepliesAreCountedNotFatal) {
  Q({"SET", "mylist", "not a list"});
  const auto tests = SelectTests("lpush", 3, false);
  const LoadResult r = RunLoad(options_, Find(tests, "LPUSH").command);
  EXPECT_EQ(r.requests, options_.requests);
  EXPECT_EQ(r.error_replies, options_.requests);
  EXPECT_NE(r.first_error_reply.find("WRONGTYPE"), std::string::npos) << r.first_error_reply;
}

TEST_F(RedisLoadTest, ServerDyingMidRunEndsTheRunWithTheAddress) {
  options_.requests = 1000000000;  // would take hours
  const auto tests = SelectTests("set", 3, false);
  const auto start = Clock::now();
  auto run = std::async(std::launch::async, [&] { return RunLoad(options_, tests[0].command); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server_->Kill();
  ASSERT_EQ(run.wait_for(std::chrono::seconds(15)), std::future_status::ready) << "hang";
  try {
    run.get();
    FAIL() << "no error after the server died";
  } catch (const RedisError& e) {
    EXPECT_NE(std::string(e.what()).find(server_->address()), std::string::npos) << e.what();
  }
  EXPECT_LT(SecondsSince(start), 5);
}

// No server: refused at once, with the address in the message.
TEST(RedisLoadErrors, NothingListeningFailsAtOnce) {
  LoadOptions o;
  o.server = ParseEndpoint("127.0.0.1:" + std::to_string(process::FreeLoopbackPort()));
  o.connect_timeout_s = 2;
  const auto start = Clock::now();
  try {
    RunLoad(o, FormatCommand({"PING"}));
    FAIL() << "no error";
  } catch (const RedisError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to Redis at " + o.server.ToString()),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(SecondsSince(start), o.connect_timeout_s);
  EXPECT_THROW(Query(o.server, {"PING"}, 1), RedisError);
  o.server = ParseEndpoint("/nonexistent/redis.sock");
  EXPECT_THROW(RunLoad(o, FormatCommand({"PING"})), RedisError);
}

// A socket that listens but never accepts: connects complete (backlog), replies never come.
class SilentListener {
 public:
  explicit SilentListener(int backlog) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd_, backlog) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("listener");
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(RedisLoadErrors, ServerThatNeverAnswersHitsTheRequestTimeout) {
  SilentListener silent(64);
  LoadOptions o;
  o.server = ParseEndpoint(silent.address());
  o.clients = 4;
  o.request_timeout_s = 0.5;
  const auto start = Clock::now();
  try {
    RunLoad(o, FormatCommand({"PING"}));
    FAIL() << "no error";
  } catch (const RedisError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(silent.address()), std::string::npos) << msg;
    EXPECT_NE(msg.find("sent no reply within 0.5 s"), std::string::npos) << msg;
  }
  const double took = SecondsSince(start);
  EXPECT_GE(took, 0.5);
  EXPECT_LT(took, 2.0);
}

TEST(RedisLoadErrors, ConnectionsThatNeverCompleteHitTheConnectTimeout) {
  SilentListener silent(0);  // a full accept queue: further SYNs are dropped
  LoadOptions o;
  o.server = ParseEndpoint(silent.address());
  o.clients = 20;
  o.connect_timeout_s = 0.5;
  const auto start = Clock::now();
  try {
    RunLoad(o, FormatCommand({"PING"}));
    FAIL() << "no error";
  } catch (const RedisError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cannot connect to Redis at " + silent.address()), std::string::npos) << msg;
  }
  EXPECT_LT(SecondsSince(start), 2.0);
}

TEST(RedisLoadErrors, BadOptionsAreRejected) {
  LoadOptions o;
  o.server = ParseEndpoint("127.0.0.1:6379");
  o.clients = 0;
  EXPECT_THROW(RunLoad(o, "PING\r\n"), std::invalid_argument);
  o.clients = 1;
  o.pipeline = 0;
  EXPECT_THROW(RunLoad(o, "PING\r\n"), std::invalid_argument);
}

}  // namespace
}  // namespace ocibench::redis
