// HTTP over loopback (or a container network) with libcurl: download throughput and the
// latency of small requests, against a server that serves /1KB, /1MB, /16MB and /256MB
// (harness/servers' nginx, or a container's).
//
// Names: HTTP_Download/<size>/real_time (bytes_per_second = body size x iterations / time;
// every body's byte count is checked), HTTP_Request1KB/keepalive/real_time and
// HTTP_Request1KB/new_connection/real_time (one GET per iteration; rps and
// lat_{avg,min,p50,p95,p99,max}_us). Without --http_server they end at once with an error that
// says to pass it.
#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdint>
#include <string>

#include "benchmarks/fixed_iterations.h"
#include "benchmarks/latency_counters.h"
#include "benchmarks/registry.h"
#include "workloads/http/client.h"

namespace ocibench::bench {
namespace {

std::string g_server;  // --http_server HOST:PORT
double g_timeout = 60;
long g_buffer = 0;

struct File {
  const char* name;
  std::uint64_t size;
};
constexpr File kDownloads[] = {{"1MB", 1ull << 20}, {"16MB", 16ull << 20}, {"256MB", 256ull << 20}};
constexpr File kSmall = {"1KB", 1ull << 10};

http::ClientOptions Options() {
  http::ClientOptions o;
  o.timeout_s = g_timeout;
  o.buffer_size = g_buffer;
  return o;
}

std::string Url(const File& f) { return "http://" + g_server + "/" + f.name; }

bool NeedServer(benchmark::State& state) {
  if (!g_server.empty()) return true;
  state.SkipWithError(
      "no HTTP server: pass --http_server=HOST:PORT (serving /1KB /1MB /16MB /256MB)");
  return false;
}

void Download(benchmark::State& state, File file) {
  if (!NeedServer(state)) return;
  try {
    http::Client client(Options());
    const std::string url = Url(file);
    client.Get(url, file.size);  // untimed: connect, and warm the server's page cache
    for (auto _ : state) client.Get(url, file.size);
    state.SetBytesProcessed(static_cast<std::int64_t>(file.size) * state.iterations());
    state.counters["connections"] = static_cast<double>(client.connects());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

std::int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void SmallRequest(benchmark::State& state, bool new_connection) {
  if (!NeedServer(state)) return;
  try {
    http::Client client(Options());
    const std::string url = Url(kSmall);
    client.Get(url, kSmall.size);  // untimed: the first connect of the keep-alive case
    latency::Histogram hist;
    for (auto _ : state) {
      const std::int64_t t0 = NowNs();
      client.Get(url, kSmall.size, new_connection);
      hist.Record(static_cast<std::uint64_t>(NowNs() - t0));
    }
    state.counters["rps"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    SetLatencyCounters(state, hist);
    state.counters["connections"] = static_cast<double>(client.connects());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

void AddFlags(CLI::App& app) {
  auto* g = app.add_option_group("HTTP", "HTTP benchmarks (libcurl)");
  g->add_option("--http_server", g_server,
                "HTTP server HOST:PORT serving /1KB /1MB /16MB /256MB (needed to run them)");
  g->add_option("--http_timeout", g_timeout, "seconds one request may take")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  g->add_option("--http_buffer_size", g_buffer,
                "libcurl receive buffer in bytes (CURLOPT_BUFFERSIZE); 0: libcurl's 16 KiB")
      ->capture_default_str()
      ->check(CLI::Range(0L, 512L * 1024));
}

void Register() {
  benchmark::AddCustomContext("libcurl_version", http::CurlVersion());
  if (!g_server.empty()) benchmark::AddCustomContext("http_server", g_server);
  for (const File& f : kDownloads)
    Fixed(
        benchmark::RegisterBenchmark((std::string("HTTP_Download/") + f.name).c_str(), Download, f))
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  Fixed(benchmark::RegisterBenchmark("HTTP_Request1KB/keepalive", SmallRequest, false))
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  Fixed(benchmark::RegisterBenchmark("HTTP_Request1KB/new_connection", SmallRequest, true))
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace

OCIBENCH_MODULE(http, AddFlags, Register);

}  // namespace ocibench::bench
