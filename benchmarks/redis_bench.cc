// redis-benchmark's default suite as Google Benchmarks, on the hiredis client in
// workloads/redis (one event loop for all clients, as redis-benchmark).
//
// Names: Redis_<TEST> in redis-benchmark's order (Redis_PING_INLINE .. Redis_MSET; the LRANGE
// fill is Redis_LPUSH_FILL). One iteration = one redis-benchmark run of --redis_requests
// requests; the time is the load loop's (manual time, connects excluded).
// Counters: rps, lat_{avg,min,p50,p95,p99,max}_us, requests, error_replies.
// Without --redis_server the benchmarks are listed but each ends at once with an error that says
// to pass it, so a result file shows why they did not run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/latency_counters.h"
#include "benchmarks/registry.h"
#include "workloads/redis/csv.h"
#include "workloads/redis/endpoint.h"
#include "workloads/redis/load.h"
#include "workloads/redis/sync_client.h"
#include "workloads/redis/test_list.h"

namespace ocibench::bench {
namespace {

using redis::LoadOptions;
using redis::LoadResult;
using redis::TestCase;

struct Flags {
  std::string server;
  std::string password_file;
  int clients = 50;
  std::int64_t requests = 100000;
  int data_size = 3;
  int pipeline = 1;
  std::int64_t keyspace = 0;
  std::string tests;
  int threads = 0;
  std::string csv;
  double connect_timeout = 5;
  double request_timeout = 10;
} g_flags;

std::vector<TestCase> g_tests;  // registered benchmarks point into this
std::FILE* g_csv = nullptr;

// The password is in a file, not on the command line, which every local user can read.
std::string ReadPassword(const std::string& path) {
  std::ifstream in(path);
  std::string password;
  if (!in || !std::getline(in, password) || password.empty())
    throw redis::RedisError("cannot read a password from --redis_password_file " + path);
  return password;
}

LoadOptions Options() {
  LoadOptions o;
  o.server = redis::ParseEndpoint(g_flags.server);
  if (!g_flags.password_file.empty()) o.server.password = ReadPassword(g_flags.password_file);
  o.clients = g_flags.clients;
  o.requests = g_flags.requests;
  o.pipeline = g_flags.pipeline;
  o.keyspace = g_flags.keyspace;
  o.threads = g_flags.threads;
  o.connect_timeout_s = g_flags.connect_timeout;
  o.request_timeout_s = g_flags.request_timeout;
  return o;
}

void WriteCsv(const std::string& title, const LoadResult& r) {
  if (!g_csv) return;
  const std::string row = redis::CsvRow(title, r);
  std::fputs(row.c_str(), g_csv);
  std::fflush(g_csv);
}

// LRANGE reads the first 100..600 elements of mylist, which redis-benchmark's LPUSH fill
// (--redis_requests elements) leaves there. When the fill did not run (filtered out), run it
// here, untimed.
void EnsureListFilled(const LoadOptions& o) {
  const redis::Reply len = redis::Query(o.server, {"LLEN", "mylist"}, o.request_timeout_s);
  if (len.type == redis::Reply::Type::kInteger && len.integer >= 600) return;
  for (const auto& t : redis::SelectTests("lrange_100", g_flags.data_size, g_flags.keyspace > 0))
    if (t.id == "LPUSH_FILL") redis::RunLoad(o, t.command);
}

void RunTest(benchmark::State& state, const TestCase* test) {
  if (g_flags.server.empty()) {
    state.SkipWithError(
        "no Redis server: pass --redis_server=HOST:PORT or --redis_server=/path/to.sock");
    return;
  }
  try {
    const LoadOptions o = Options();
    if (test->id.starts_with("LRANGE_")) EnsureListFilled(o);
    LoadResult total;
    for (auto _ : state) {
      LoadResult r = redis::RunLoad(o, test->command);
      state.SetIterationTime(r.seconds);
      WriteCsv(test->title, r);
      total.requests += r.requests;
      total.seconds += r.seconds;
      total.error_replies += r.error_replies;
      total.latency_ns.Merge(r.latency_ns);
    }
    state.counters["rps"] = total.rps();
    SetLatencyCounters(state, total.latency_ns);
    state.counters["requests"] = static_cast<double>(total.requests);
    state.counters["error_replies"] = static_cast<double>(total.error_replies);
    state.SetItemsProcessed(total.requests);
    if (total.error_replies > 0) state.SetLabel("first error reply: " + total.first_error_reply);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// A CLI11 validator from a function that throws std::invalid_argument.
template <typename F>
CLI::Validator Valid(const char* name, F parse) {
  return CLI::Validator(
      [parse](std::string& v) {
        try {
          parse(v);
          return std::string();
        } catch (const std::exception& e) {
          return std::string(e.what());
        }
      },
      "", name);
}

void AddFlags(CLI::App& app) {
  auto* g = app.add_option_group("Redis", "Redis benchmarks (redis-benchmark's options)");
  g->add_option("--redis_server", g_flags.server,
                "Redis server HOST:PORT or unix socket path (needed to run the Redis benchmarks)")
      ->check(Valid("ENDPOINT", [](const std::string& v) { redis::ParseEndpoint(v); }));
  g->add_option("--redis_password_file", g_flags.password_file,
                "file whose first line is the server's password (sent with AUTH)");
  g->add_option("--redis_clients", g_flags.clients, "parallel connections (-c)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  g->add_option("--redis_requests", g_flags.requests, "total requests per test (-n)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  g->add_option("--redis_data_size", g_flags.data_size, "value size in bytes (-d)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 30));
  g->add_option("--redis_pipeline", g_flags.pipeline, "requests per batch (-P)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  g->add_option("--redis_keyspace", g_flags.keyspace,
                "random keys in 0..N-1 (-r); 0: the literal key __rand_int__")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  g->add_option("--redis_tests", g_flags.tests,
                "comma list of redis-benchmark -t names (default: all)")
      ->check(Valid("TESTS", [](const std::string& v) { redis::SelectTests(v, 3, false); }));
  g->add_option("--redis_threads", g_flags.threads,
                "event loop threads (--threads); 0: one loop for all clients")
      ->capture_default_str()
      ->check(CLI::Range(0, 500));
  g->add_option("--redis_csv", g_flags.csv,
                "also write redis-benchmark --csv rows (one per run) to FILE");
  g->add_option("--redis_connect_timeout", g_flags.connect_timeout,
                "seconds for all clients to connect")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  g->add_option("--redis_request_timeout", g_flags.request_timeout,
                "seconds a batch may wait for its replies")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

void Register() {
  benchmark::AddCustomContext("hiredis_version", redis::HiredisVersion());
  benchmark::AddCustomContext("libevent_version", redis::LibeventVersion());
  if (!g_flags.server.empty()) {
    benchmark::AddCustomContext("redis_server", g_flags.server);
    if (!g_flags.csv.empty()) {
      g_csv = std::fopen(g_flags.csv.c_str(), "w");
      if (!g_csv) {
        std::fprintf(stderr, "ocibench-bench: cannot write --redis_csv file %s\n",
                     g_flags.csv.c_str());
        std::exit(2);
      }
      std::fputs(redis::CsvHeader().c_str(), g_csv);
      std::fflush(g_csv);
    }
  }
  g_tests = redis::SelectTests(g_flags.tests, g_flags.data_size, g_flags.keyspace > 0);
  for (const auto& t : g_tests) {
    benchmark::RegisterBenchmark(("Redis_" + t.id).c_str(), RunTest, &t)
        ->UseManualTime()
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

OCIBENCH_MODULE(redis, AddFlags, Register);

}  // namespace ocibench::bench
