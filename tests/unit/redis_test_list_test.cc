// redis-benchmark's test suite: names, order, exact commands, -t selection, value bytes, CSV.
#include <gtest/gtest.h>

#include <stdexcept>

#include "workloads/redis/csv.h"
#include "workloads/redis/endpoint.h"
#include "workloads/redis/test_list.h"

namespace ocibench::redis {
namespace {

std::vector<std::string> Ids(const std::vector<TestCase>& tests) {
  std::vector<std::string> ids;
  for (const auto& t : tests) ids.push_back(t.id);
  return ids;
}

TEST(RedisTestList, DefaultSuiteInRedisBenchmarkOrder) {
  const std::vector<std::string> want = {
      "PING_INLINE", "PING_MBULK", "SET",        "GET",        "INCR",       "LPUSH", "RPUSH",
      "LPOP",        "RPOP",       "SADD",       "HSET",       "SPOP",       "ZADD",  "ZPOPMIN",
      "LPUSH_FILL",  "LRANGE_100", "LRANGE_300", "LRANGE_500", "LRANGE_600", "MSET"};
  EXPECT_EQ(Ids(SelectTests("", 3, false)), want);
}

TEST(RedisTestList, ValueBytesMatchRedisBenchmark) {
  EXPECT_EQ(BenchmarkData(3), "VXK");  // seen in MONITOR with -d 3 (research notes 2.1)
  EXPECT_EQ(BenchmarkData(0), "");
  EXPECT_EQ(BenchmarkData(100).size(), 100u);
}

TEST(RedisTestList, CommandsAreRedisBenchmarksExactBytes) {
  const auto tests = SelectTests("", 3, false);
  auto cmd = [&](const std::string& id) {
    for (const auto& t : tests)
      if (t.id == id) return t.command;
    return std::string();
  };
  EXPECT_EQ(cmd("PING_INLINE"), "PING\r\n");
  EXPECT_EQ(cmd("PING_MBULK"), "*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(cmd("SET"), "*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nVXK\r\n");
  EXPECT_EQ(cmd("GET"), "*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n");
  EXPECT_EQ(cmd("INCR"), "*2\r\n$4\r\nINCR\r\n$20\r\ncounter:__rand_int__\r\n");
  EXPECT_EQ(cmd("ZADD"),
            "*4\r\n$4\r\nZADD\r\n$6\r\nmyzset\r\n$1\r\n0\r\n$20\r\nelement:__rand_int__\r\n");
  EXPECT_EQ(cmd("LRANGE_500"), "*4\r\n$6\r\nLRANGE\r\n$6\r\nmylist\r\n$1\r\n0\r\n$3\r\n499\r\n");
  EXPECT_EQ(cmd("LPUSH_FILL"), cmd("LPUSH"));
  const std::string mset = cmd("MSET");
  EXPECT_TRUE(mset.starts_with("*21\r\n$4\r\nMSET\r\n")) << mset;
  std::size_t keys = 0;
  for (auto p = mset.find("key:__rand_int__"); p != std::string::npos;
       p = mset.find("key:__rand_int__", p + 1))
    keys++;
  EXPECT_EQ(keys, 10u);
}

TEST(RedisTestList, RandomKeysMakeTheZaddScoreRandom) {
  for (const auto& t : SelectTests("zadd", 3, true))
    EXPECT_NE(t.command.find("$12\r\n__rand_int__\r\n$20\r\nelement:"), std::string::npos);
}

TEST(RedisTestList, SelectionFollowsRedisBenchmarkNames) {
  EXPECT_EQ(Ids(SelectTests("set,GET", 3, false)), (std::vector<std::string>{"SET", "GET"}));
  EXPECT_EQ(Ids(SelectTests("ping", 3, false)),
            (std::vector<std::string>{"PING_INLINE", "PING_MBULK"}));
  EXPECT_EQ(Ids(SelectTests("lrange_300", 3, false)),
            (std::vector<std::string>{"LPUSH_FILL", "LRANGE_300"}));
  EXPECT_EQ(Ids(SelectTests("lrange", 3, false)).size(), 5u);
  EXPECT_EQ(Ids(SelectTests("mset,lpush", 3, false)), (std::vector<std::string>{"LPUSH", "MSET"}));
  EXPECT_THROW(SelectTests("set,bogus", 3, false), std::invalid_argument);
}

TEST(RedisEndpoint, ParsesHostPortAndSocketPaths) {
  const Endpoint tcp = ParseEndpoint("127.0.0.1:6380");
  EXPECT_EQ(tcp.host, "127.0.0.1");
  EXPECT_EQ(tcp.port, 6380);
  EXPECT_FALSE(tcp.is_unix());
  EXPECT_EQ(tcp.ToString(), "127.0.0.1:6380");
  EXPECT_EQ(ParseEndpoint("[::1]:7000").host, "::1");
  EXPECT_EQ(ParseEndpoint("[::1]:7000").ToString(), "[::1]:7000");
  const Endpoint unix_ep = ParseEndpoint("/run/redis/redis.sock");
  EXPECT_TRUE(unix_ep.is_unix());
  EXPECT_EQ(unix_ep.ToString(), "/run/redis/redis.sock");
  for (const char* bad : {"localhost", "127.0.0.1:", ":6379", "127.0.0.1:0", "h:70000", "h:12x"})
    EXPECT_THROW(ParseEndpoint(bad), std::invalid_argument) << bad;
}

TEST(RedisCsv, HeaderAndRowFormatsAreRedisBenchmarks) {
  EXPECT_EQ(CsvHeader(),
            "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
            "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n");
  LoadResult r;
  r.requests = 100000;
  r.seconds = 2.05;
  for (int i = 1; i <= 100; i++) r.latency_ns.Record(static_cast<std::uint64_t>(i) * 10000);
  EXPECT_EQ(CsvRow("SET", r),
            "\"SET\",\"48780.49\",\"0.505\",\"0.010\",\"0.500\",\"0.950\",\"0.990\",\"1.000\"\n");
}

}  // namespace
}  // namespace ocibench::redis
