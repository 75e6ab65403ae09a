// redis-benchmark 7.0.15's default test suite: the same tests in the same order, sending the
// same commands, keys and arguments (research notes, section 2.2).
#pragma once

#include <string>
#include <vector>

namespace ocibench::redis {

struct TestCase {
  std::string id;       // benchmark name part: "SET", "LRANGE_100", "LPUSH_FILL", "MSET"
  std::string title;    // redis-benchmark's title, the first CSV column
  std::string command;  // one RESP-formatted command (PING_INLINE: the inline "PING\r\n")
};

// The value bytes redis-benchmark sends (-d): its LCG, seed 1234. Size 3 gives "VXK".
std::string BenchmarkData(int size);

// Tests selected by `tests`, a comma list of redis-benchmark's -t names (case-insensitive;
// empty = all), in suite order. Any LRANGE test brings the "LPUSH (needed to benchmark
// LRANGE)" fill before it, as redis-benchmark does. `random_keys` (-r given) makes ZADD's
// score random too. Throws std::invalid_argument naming an unknown test name.
std::vector<TestCase> SelectTests(const std::string& tests, int data_size, bool random_keys);

// All -t names redis-benchmark knows, for help texts.
const std::vector<std::string>& KnownTestNames();

// RESP encoding of one command (hiredis' redisFormatCommandArgv).
std::string FormatCommand(const std::vector<std::string>& argv);

}  // namespace ocibench::redis
