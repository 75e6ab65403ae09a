// The HTTP workload against a real nginx on loopback: the libcurl client's byte checks,
// keep-alive versus a new connection per request, its errors, and ocibench-bench's HTTP
// benchmarks reporting bytes/s = body size x iterations / time.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/process/child_process.h"
#include "harness/servers/nginx_server.h"
#include "tests/integration/run_command.h"
#include "workloads/http/client.h"

namespace {

using ocibench::http::Client;
using ocibench::http::ClientOptions;
using ocibench::http::HttpError;
using ocibench::servers::NginxServer;
using ocibench::servers::NginxServerOptions;

// The standard files without the 256 MB one: these tests need no quarter-gigabyte file.
NginxServerOptions SmallFiles() {
  NginxServerOptions o;
  o.files = {{"1KB", 1u << 10}, {"1MB", 1u << 20}, {"16MB", 16u << 20}};
  return o;
}

TEST(HttpClient, KeepAliveReusesOneConnectionAndNewConnectionOpensOneEach) {
  NginxServer nginx(SmallFiles());
  Client keep;
  for (int i = 0; i < 5; i++) EXPECT_EQ(keep.Get(nginx.url("1KB"), 1024), 1024u);
  EXPECT_EQ(keep.connects(), 1);
  Client fresh;
  for (int i = 0; i < 5; i++) fresh.Get(nginx.url("1KB"), 1024, /*new_connection=*/true);
  EXPECT_EQ(fresh.connects(), 5);
  EXPECT_EQ(keep.Get(nginx.url("16MB"), 16u << 20), 16u << 20);
}

TEST(HttpClient, AWrongSizeOrStatusIsAnErrorNamingTheUrl) {
  NginxServer nginx(SmallFiles());
  Client c;
  try {
    c.Get(nginx.url("1MB"), 1000);
    FAIL() << "a body of the wrong size was accepted";
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find(nginx.url("1MB")), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1048576"), std::string::npos) << e.what();
  }
  try {
    c.Get(nginx.url("missing"), 0);
    FAIL() << "a 404 was accepted";
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 404"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, NothingListeningFailsWithinTheConnectTimeout) {
  const int port = ocibench::process::FreeLoopbackPort();
  ClientOptions o;
  o.connect_timeout_s = 2;
  o.timeout_s = 3;
  Client c(o);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/1KB";
  try {
    c.Get(url, 1024);
    FAIL() << "a GET with no server succeeded";
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find(url), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
}

nlohmann::json BenchJson(const std::string& args) {
  const auto r = ocibench::testing::RunCommand(std::string(OCIBENCH_BENCH_PATH) + " " + args +
                                               " --benchmark_format=json 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return nlohmann::json::parse(r.out);
}

double Seconds(const nlohmann::json& b) {
  const std::string unit = b["time_unit"];
  const double scale = unit == "ns" ? 1e-9 : unit == "us" ? 1e-6 : unit == "ms" ? 1e-3 : 1;
  return b["real_time"].get<double>() * scale;
}

TEST(HttpBenchmarks, DownloadBytesPerSecondIsBodySizeTimesIterationsOverTime) {
  NginxServer nginx(SmallFiles());
  const auto j =
      BenchJson("--benchmark_filter='^HTTP_Download/(1|16)MB' --http_server=" + nginx.address() +
                " --benchmark_min_time=0.2");
  ASSERT_EQ(j["benchmarks"].size(), 2u) << j.dump();
  for (const auto& b : j["benchmarks"]) {
    SCOPED_TRACE(b["name"].get<std::string>());
    ASSERT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    const double size = b["name"].get<std::string>().find("/16MB") != std::string::npos
                            ? 16.0 * (1 << 20)
                            : 1.0 * (1 << 20);
    // real_time is per iteration, so body size / real_time = size x iterations / total time.
    EXPECT_NEAR(b["bytes_per_second"].get<double>() / (size / Seconds(b)), 1.0, 0.01);
    EXPECT_GE(b["iterations"].get<int>(), 1);
    EXPECT_EQ(b["connections"].get<double>(), 1.0) << "downloads reuse one connection";
  }
}

TEST(HttpBenchmarks, SmallRequestsCountTheirConnections) {
  NginxServer nginx(SmallFiles());
  const auto j =
      BenchJson("--benchmark_filter='^HTTP_Request1KB' --http_server=" + nginx.address() +
                " --benchmark_min_time=0.05");
  ASSERT_EQ(j["benchmarks"].size(), 2u) << j.dump();
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b["name"];
    SCOPED_TRACE(name);
    ASSERT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    const double iterations = b["iterations"].get<double>();
    // The untimed first GET opens a connection; keep-alive reuses it, the other opens one each.
    const double expected = name.find("new_connection") != std::string::npos ? iterations + 1 : 1;
    EXPECT_EQ(b["connections"].get<double>(), expected);
    EXPECT_GT(b["lat_p50_us"].get<double>(), 0);
    EXPECT_LE(b["lat_min_us"].get<double>(), b["lat_p50_us"].get<double>());
    EXPECT_LE(b["lat_p50_us"].get<double>(), b["lat_max_us"].get<double>());
  }
}

TEST(HttpBenchmarks, NoServerOrADeadServerIsAnErrorInTheResultNotAHang) {
  auto j = BenchJson("--benchmark_filter='^HTTP_Download/1MB'");
  ASSERT_EQ(j["benchmarks"].size(), 1u);
  EXPECT_TRUE(j["benchmarks"][0].value("error_occurred", false));
  EXPECT_NE(j["benchmarks"][0]["error_message"].get<std::string>().find("--http_server"),
            std::string::npos);
  const std::string addr = "127.0.0.1:" + std::to_string(ocibench::process::FreeLoopbackPort());
  j = BenchJson("--benchmark_filter='^HTTP_Download/1MB' --http_server=" + addr +
                " --http_timeout=3");
  ASSERT_EQ(j["benchmarks"].size(), 1u);
  EXPECT_TRUE(j["benchmarks"][0].value("error_occurred", false));
  EXPECT_NE(j["benchmarks"][0]["error_message"].get<std::string>().find(addr), std::string::npos);
}

}  // namespace
