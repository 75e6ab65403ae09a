// `ocibench profile -- /bin/ls` under the real strace, against the committed example run's
// probe costs: a prediction per runtime, and the bad-input cases (no strace, a failing command,
// no costs).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/run_command.h"

namespace {
namespace fs = std::filesystem;
using ocibench::testing::RunCommand;

const std::string kOcibench = OCIBENCH_PATH;

// Removes a test's temporary directory however the test ends (an ASSERT returns early).
struct RemoveOnExit {
  fs::path path;
  ~RemoveOnExit() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool HaveStrace() { return RunCommand("command -v strace >/dev/null 2>&1").exit_code == 0; }

TEST(ProfileCommand, PredictsEveryRuntimeOfTheExampleRunForLs) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  const auto r = RunCommand(kOcibench + " profile --json --runs 2 --results " +
                            OCIBENCH_EXAMPLE_RUN + " -- /bin/ls -la /");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["total_calls"].get<int>(), 10);
  EXPECT_GT(j["calls"]["openat"].get<int>(), 0);  // ls opens its libraries
  EXPECT_GT(j["native_s"].get<double>(), 0);
  std::map<std::string, double> slowdown;
  for (const auto& p : j["predictions"])
    slowdown[p["runtime"]] = p["predicted_slowdown"].get<double>();
  ASSERT_TRUE(slowdown.contains("runsc-ptrace")) << r.out;
  ASSERT_TRUE(slowdown.contains("runc")) << r.out;
  // gVisor's ptrace platform adds tens of µs per call; runc a fraction of one.
  EXPECT_GT(slowdown["runsc-ptrace"], 1.5);
  EXPECT_GT(slowdown["runsc-ptrace"], slowdown["runc"]);
}

TEST(ProfileCommand, TheShippedCostsTableGivesTheSamePrediction) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  const auto r = RunCommand(kOcibench + " profile --runs 1 --costs " + OCIBENCH_EXAMPLE_COSTS +
                            " -- /bin/true");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("runsc-ptrace"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no probe of their own"), std::string::npos) << r.out;  // execve, …
}

TEST(ProfileCommand, BadInputIsOneLineAndNoProfile) {
  // No strace on PATH: exit 2, naming the package.
  auto r = RunCommand("PATH=/nonexistent " + kOcibench + " profile --results " +
                      OCIBENCH_EXAMPLE_RUN + " -- /bin/true 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("install Debian's strace"), std::string::npos) << r.out;
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  // A command that fails: its status, and no table.
  r = RunCommand(kOcibench + " profile --results " + OCIBENCH_EXAMPLE_RUN +
                 " -- /bin/sh -c 'exit 3' 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("exited with code 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no profile"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("predicted"), std::string::npos) << r.out;
  // A results directory without probes: says what is missing, predicts nothing.
  const fs::path empty = fs::temp_directory_path() / "ocibench-profile-empty";
  fs::create_directories(empty);
  r = RunCommand(kOcibench + " profile --results " + empty.string() + " -- /bin/true 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("no native probe results"), std::string::npos) << r.out;
  fs::remove_all(empty);
  // --units without {n} in the command: a usage error before anything runs.
  EXPECT_EQ(RunCommand(kOcibench + " profile --units 1:2 --results " + OCIBENCH_EXAMPLE_RUN +
                       " -- /bin/true 2>/dev/null")
                .exit_code,
            2);
  // Neither --results nor --costs: a usage error.
  EXPECT_EQ(RunCommand(kOcibench + " profile -- /bin/true 2>/dev/null").exit_code, 2);
}

// `ocibench run --profile` on a tiny native-only group: the profiling pass writes per-iteration
// counts that are what the probes' loops make (1 getpid; 1 socket write + 1 read).
TEST(ProfilePass, RunWritesPerIterationProfilesOfATinyGroup) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  char tmpl[] = "/tmp/ocibench-profile-pass-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  const RemoveOnExit cleanup{dir};
  std::ofstream(dir / "tiny.toml")
      << "[group.tiny]\nfilter = \"^Probe_sys_getpid_raw|^Probe_sock_tcp_rw/\"\n"
         "args = [\"--probes_min_time=0.02\"]\n";
  const auto r = RunCommand(kOcibench + " run --config " + (dir / "tiny.toml").string() +
                            " --runtimes native --groups tiny --repetitions 1 --warmup 0 "
                            "--profile --quiet --bench " +
                            OCIBENCH_BENCH_PATH + " --out " + (dir / "run").string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto read = [&](const std::string& name) {
    std::ifstream in(dir / "run/profile/tiny" / name);
    return nlohmann::json::parse(in, nullptr, false);
  };
  const auto getpid = read("Probe_sys_getpid_raw.json");
  ASSERT_FALSE(getpid.is_discarded());
  EXPECT_NEAR(getpid["calls"]["getpid"].get<double>(), 1.0, 0.05) << getpid.dump();
  EXPECT_EQ(getpid["unit"], "iteration");
  const auto sock = read("Probe_sock_tcp_rw_bytes:64.json");
  ASSERT_FALSE(sock.is_discarded());
  EXPECT_NEAR(sock["calls"]["write"].get<double>(), 1.0, 0.05) << sock.dump();
  EXPECT_NEAR(sock["calls"]["read"].get<double>(), 1.0, 0.05) << sock.dump();
  // Start-up calls cancel: none left per iteration beyond the loop's (and timer noise < 0.5).
  for (const auto& [call, n] : sock["calls"].items()) {
    if (call != "read" && call != "write") {
      EXPECT_LT(n.get<double>(), 0.5) << call;
    }
  }
  std::ifstream pass_in(dir / "run/profile/pass.json");
  const auto pass = nlohmann::json::parse(pass_in, nullptr, false);
  ASSERT_FALSE(pass.is_discarded());
  EXPECT_EQ(pass["profiled"].size(), 2u) << pass.dump();
  EXPECT_FALSE(pass["interrupted"].get<bool>());
  EXPECT_FALSE(fs::exists(dir / "run/.work"));  // nothing left behind
}

// The pass on a server group: the native redis-server traced per request (strace -p) while the
// group's client sends 2000 and then 6000 requests: 1 read and 1 write per request.
TEST(ProfilePass, RunProfilesTheRedisServerPerRequest) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  if (RunCommand("command -v redis-server >/dev/null 2>&1").exit_code != 0)
    GTEST_SKIP() << "redis-server not installed (Debian package redis-server)";
  char tmpl[] = "/tmp/ocibench-profile-redis-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  const RemoveOnExit cleanup{dir};
  std::ofstream(dir / "tiny.toml")
      << "[group.tinyredis]\nfilter = \"^Redis_PING_INLINE\"\nserver = \"redis\"\n"
         "args = [\"--redis_tests=ping_inline\", \"--redis_requests=500\"]\n";
  const auto r = RunCommand(kOcibench + " run --config " + (dir / "tiny.toml").string() +
                            " --runtimes native --groups tinyredis --repetitions 1 --warmup 0 "
                            "--profile --quiet --bench " +
                            OCIBENCH_BENCH_PATH + " --out " + (dir / "run").string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "run/profile/tinyredis/Redis_PING_INLINE.json");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["unit"], "request");
  EXPECT_EQ(j["fd_kind"], "host-socket");  // the default placement: the host network
  EXPECT_NEAR(j["calls"]["read"].get<double>(), 1.0, 0.05) << j.dump();
  EXPECT_NEAR(j["calls"]["write"].get<double>(), 1.0, 0.05) << j.dump();
  EXPECT_LT(j["calls"].value("epoll_wait", 0.0), 1.0) << j.dump();  // batched wake-ups
  EXPECT_FALSE(fs::exists(dir / "run/.work"));                      // nothing left behind
}

// `profile --save` into a copy of the example run, then `report`: the Why section has the
// benchmark's row per runtime, with the measured and predicted slowdowns.
TEST(ProfileSave, TheReportExplainsAProfiledProbeOfTheExampleRun) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  char tmpl[] = "/tmp/ocibench-profile-save-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const RemoveOnExit cleanup{tmpl};
  const fs::path dir = fs::path(tmpl) / "run";
  fs::copy(OCIBENCH_EXAMPLE_RUN, dir, fs::copy_options::recursive);
  // The stored file's mechanics, not pathlib's counts (the pass's test checks real counts): a
  // unit is one cat and one 50 ms sleep, so the untraced time grows whatever the host's noise
  // (--units refuses a native time that does not grow), in 2 s rather than pathlib's 15.
  auto r = RunCommand(kOcibench + " profile --runs 1 --results " + dir.string() +
                      " --benchmark Probe_pathlib_bm_pathlib --units 1:3 --save -- /bin/sh -c "
                      "'for i in $(seq {n}); do cat /etc/hostname; sleep 0.05; done' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "profile/probes/Probe_pathlib_bm_pathlib.json");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_NEAR(j["calls"]["execve"].get<double>(), 2, 0.01) << j.dump();  // cat and sleep
  r = RunCommand(kOcibench + " report --no-plots --out " + (dir / "out").string() + " " +
                 dir.string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream md(dir / "out/report.md");
  const std::string text((std::istreambuf_iterator<char>(md)), {});
  EXPECT_NE(text.find("## Why: slowdowns attributed to system calls"), std::string::npos);
  EXPECT_NE(text.find("| Probe_pathlib_bm_pathlib | runsc-ptrace | iteration |"), std::string::npos)
      << text.substr(text.find("## Why"), 2000);
  EXPECT_TRUE(fs::exists(dir / "out/report_why.csv"));
  // Without --benchmark and --units, --save is a usage error before anything runs.
  EXPECT_EQ(RunCommand(kOcibench + " profile --save --results " + dir.string() +
                       " -- /bin/true 2>/dev/null")
                .exit_code,
            2);
}

// --fixed_iterations: the probes, LZMA and the apps run exactly N iterations, no calibration
// (the profiling pass's counts per iteration rest on it).
TEST(FixedIterations, ProbesLzmaAndAppsRunExactlyN) {
  const auto r = RunCommand(std::string(OCIBENCH_BENCH_PATH) +
                            " --fixed_iterations=3 --lzma_passes=1 --benchmark_format=json "
                            "'--benchmark_filter=^(Probe_sys_getpid_raw|LZMA_Decompress/xz/"
                            "dict:22|Apps_logging_silent)(/|$)' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  int seen = 0;
  for (const auto& b : j["benchmarks"]) {
    EXPECT_EQ(b["iterations"].get<long>(), 3) << b.dump();
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    ++seen;
  }
  EXPECT_GE(seen, 2) << r.out;  // the apps are absent from a build without their libraries
}

// why-server --server nginx against a copy of the example run: the native nginx's calls per
// 1 KB keep-alive request are stored as a `request` profile on host sockets, and the report's Why
// row for runsc (whose ~44 ms tcp_nopush stall is no system call) says it is not explained.
TEST(WhyServer, NginxPerRequestAndTheStallIsNotExplainedBySystemCalls) {
  if (!HaveStrace()) GTEST_SKIP() << "strace not installed (Debian package strace)";
  if (RunCommand("command -v nginx >/dev/null 2>&1").exit_code != 0)
    GTEST_SKIP() << "nginx not installed (Debian package nginx-light)";
  char tmpl[] = "/tmp/ocibench-why-server-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const RemoveOnExit cleanup{tmpl};
  const fs::path dir = fs::path(tmpl) / "run";
  fs::copy(OCIBENCH_EXAMPLE_RUN, dir, fs::copy_options::recursive);
  auto r =
      RunCommand(std::string(OCIBENCH_WHY_SERVER) + " --server nginx --bench " +
                 OCIBENCH_BENCH_PATH + " --costs " + OCIBENCH_EXAMPLE_COSTS + " --results " +
                 dir.string() + " --tests Request1KB/keepalive --requests 100:400 --save 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "profile/http/HTTP_Request1KB_keepalive.json");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["unit"], "request");
  EXPECT_EQ(j["fd_kind"], "host-socket");  // the example's servers ran on the host network
  // One request in, one response out per request: some receive and some send call, each
  // about once (nginx: recvfrom, writev or sendfile), and no start-up left over.
  double in_calls = 0, out_calls = 0, all = 0;
  for (const auto& [call, n] : j["calls"].items()) {
    const double v = n.get<double>();
    all += v;
    if (call == "recvfrom" || call == "read" || call == "readv") in_calls += v;
    if (call == "writev" || call == "write" || call == "sendfile" || call == "sendto")
      out_calls += v;
  }
  EXPECT_NEAR(in_calls, 1, 0.5) << j.dump();
  EXPECT_GE(out_calls, 0.9) << j.dump();
  EXPECT_LT(all, 10) << j.dump();
  r = RunCommand(kOcibench + " report --no-plots --out " + (dir / "out").string() + " " +
                 dir.string() + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream md(dir / "out/report.md");
  const std::string text((std::istreambuf_iterator<char>(md)), {});
  const auto row = text.find("| HTTP_Request1KB/keepalive | runsc-ptrace | request |");
  ASSERT_NE(row, std::string::npos) << text.substr(text.find("## Why"), 3000);
  const std::string line = text.substr(row, text.find('\n', row) - row);
  EXPECT_NE(line.find("not explained by system calls"), std::string::npos) << line;
}

}  // namespace
