#include "workloads/redis/test_list.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>

namespace ocibench::redis {

std::string BenchmarkData(int size) {
  std::string data(static_cast<std::size_t>(std::max(size, 0)), '\0');
  std::uint32_t state = 1234;
  for (char& ch : data) {
    state = state * 1103515245u + 12345u;
    ch = static_cast<char>('0' + ((state >> 16) & 63));
  }
  return data;
}

std::string FormatCommand(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  char* out = nullptr;
  const int n =
      redisFormatCommandArgv(&out, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  if (n < 0 || out == nullptr) throw std::runtime_error("redisFormatCommandArgv failed");
  std::string cmd(out, static_cast<std::size_t>(n));
  redisFreeCommand(out);
  return cmd;
}

const std::vector<std::string>& KnownTestNames() {
  static const std::vector<std::string> names = {
      "ping_inline", "ping_mbulk", "ping",       "set",        "get",        "incr",       "lpush",
      "rpush",       "lpop",       "rpop",       "sadd",       "hset",       "spop",       "zadd",
      "zpopmin",     "lrange",     "lrange_100", "lrange_300", "lrange_500", "lrange_600", "mset"};
  return names;
}

namespace {

// redis-benchmark's test_is_selected: ",name," must occur in ",<list>,".
class Selection {
 public:
  explicit Selection(std::string list) {
    std::transform(list.begin(), list.end(), list.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    all_ = list.empty();
    list_ = "," + list + ",";
    std::size_t start = 0;
    while (!all_ && start <= list.size()) {
      const auto comma = list.find(',', start);
      const std::string name =
          list.substr(start, comma == std::string::npos ? comma : comma - start);
      const auto& known = KnownTestNames();
      if (!name.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
        std::string all;
        for (const auto& k : known) all += (all.empty() ? "" : ",") + k;
        throw std::invalid_argument("unknown Redis test '" + name + "' (known: " + all + ")");
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  bool operator()(const std::string& name) const {
    return all_ || list_.find("," + name + ",") != std::string::npos;
  }

 private:
  bool all_ = false;
  std::string list_;
};

}  // namespace

std::vector<TestCase> SelectTests(const std::string& tests, int data_size, bool random_keys) {
  const Selection sel(tests);
  const std::string data = BenchmarkData(data_size);
  std::vector<TestCase> out;
  auto add = [&](const char* id, const char* title, std::vector<std::string> argv) {
    out.push_back({id, title, FormatCommand(argv)});
  };
  if (sel("ping_inline") || sel("ping")) out.push_back({"PING_INLINE", "PING_INLINE", "PING\r\n"});
  if (sel("ping_mbulk") || sel("ping")) add("PING_MBULK", "PING_MBULK", {"PING"});
  if (sel("set")) add("SET", "SET", {"SET", "key:__rand_int__", data});
  if (sel("get")) add("GET", "GET", {"GET", "key:__rand_int__"});
  if (sel("incr")) add("INCR", "INCR", {"INCR", "counter:__rand_int__"});
  if (sel("lpush")) add("LPUSH", "LPUSH", {"LPUSH", "mylist", data});
  if (sel("rpush")) add("RPUSH", "RPUSH", {"RPUSH", "mylist", data});
  if (sel("lpop")) add("LPOP", "LPOP", {"LPOP", "mylist"});
  if (sel("rpop")) add("RPOP", "RPOP", {"RPOP", "mylist"});
  if (sel("sadd")) add("SADD", "SADD", {"SADD", "myset", "element:__rand_int__"});
  if (sel("hset")) add("HSET", "HSET", {"HSET", "myhash", "element:__rand_int__", data});
  if (sel("spop")) add("SPOP", "SPOP", {"SPOP", "myset"});
  if (sel("zadd"))
    add("ZADD", "ZADD",
        {"ZADD", "myzset", random_keys ? "__rand_int__" : "0", "element:__rand_int__"});
  if (sel("zpopmin")) add("ZPOPMIN", "ZPOPMIN", {"ZPOPMIN", "myzset"});
  const bool lrange = sel("lrange");
  if (lrange || sel("lrange_100") || sel("lrange_300") || sel("lrange_500") || sel("lrange_600"))
    add("LPUSH_FILL", "LPUSH (needed to benchmark LRANGE)", {"LPUSH", "mylist", data});
  if (lrange || sel("lrange_100"))
    add("LRANGE_100", "LRANGE_100 (first 100 elements)", {"LRANGE", "mylist", "0", "99"});
  if (lrange || sel("lrange_300"))
    add("LRANGE_300", "LRANGE_300 (first 300 elements)", {"LRANGE", "mylist", "0", "299"});
  if (lrange || sel("lrange_500"))
    add("LRANGE_500", "LRANGE_500 (first 500 elements)", {"LRANGE", "mylist", "0", "499"});
  if (lrange || sel("lrange_600"))
    add("LRANGE_600", "LRANGE_600 (first 600 elements)", {"LRANGE", "mylist", "0", "599"});
  if (sel("mset")) {
    std::vector<std::string> argv = {"MSET"};
    for (int i = 0; i < 10; i++) {
      argv.push_back("key:__rand_int__");
      argv.push_back(data);
    }
    add("MSET", "MSET (10 keys)", argv);
  }
  return out;
}

}  // namespace ocibench::redis
