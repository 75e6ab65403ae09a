// The bench and redis images, unpacked into bundles and run by runc, crun and runsc.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "tests/container/test_util.h"

namespace ocibench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadFirstLine(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

class RuntimeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    runtime_ = oci::FindRuntime(GetParam());
    const std::string why = test::WhyUnusable(runtime_);
    if (!why.empty()) GTEST_SKIP() << why;
  }
  oci::RuntimeSpec runtime_;
};

// The proof: a short benchmark from the bench image, valid Google Benchmark JSON in the
// results mount, with the lifecycle timed, the limits in place and nothing left behind.
TEST_P(RuntimeTest, BenchImageWritesBenchmarkJsonToResultsMount) {
  test::TempDir tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const std::string id = test::UniqueId("bench-" + GetParam());
  oci::BundleSpec spec = test::BenchSpec(results);
  spec.cgroups_path = "/ocibench-test-" + id + "/" + id;
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");

  std::string memory_limit, cpu_quota;
  oci::RunOptions options;
  options.timeout = 180s;
  options.on_started = [&](const oci::Container& c) {
    memory_limit = ReadFirstLine(c.CgroupDir("memory") / "memory.limit_in_bytes");
    if (memory_limit.empty()) memory_limit = ReadFirstLine(c.CgroupDir() / "memory.max");
    cpu_quota = ReadFirstLine(c.CgroupDir("cpu") / "cpu.cfs_quota_us");
    if (cpu_quota.empty()) cpu_quota = ReadFirstLine(c.CgroupDir() / "cpu.max");
  };
  const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, options);

  ASSERT_TRUE(r.ok()) << r.error << "\nstderr:\n" << r.stderr_text;
  EXPECT_EQ(r.status.code, 0);
  EXPECT_EQ(test::CheckBenchmarkJson(results / "out.json"), "");
  EXPECT_NE(r.stdout_text.find("LZMA_Compress/sdk/dict:22"), std::string::npos) << r.stdout_text;
  EXPECT_GT(r.pid, 0);
  EXPECT_GT(r.timings.create_ms, 0);
  EXPECT_GT(r.timings.start_ms, 0);
  EXPECT_GT(r.timings.first_output_ms, r.timings.create_ms);
  EXPECT_GE(r.timings.total_ms, r.timings.first_output_ms);
  EXPECT_GT(r.timings.delete_ms, 0);
  EXPECT_EQ(memory_limit, std::to_string(1ull << 30)) << "the 1 GiB memory limit is not applied";
  EXPECT_TRUE(cpu_quota == "100000" || cpu_quota == "100000 100000")
      << "the 1-CPU quota is not applied: '" << cpu_quota << "'";
  EXPECT_EQ(test::Leftovers(runtime_, id, spec.cgroups_path), "");
}

TEST_P(RuntimeTest, NonZeroExitIsReportedWithTheContainersStderr) {
  test::TempDir tmp;
  oci::BundleSpec spec = test::BenchSpec("");
  spec.args = {"--lzma_no_such_flag=1"};
  const std::string id = test::UniqueId("exit-" + GetParam());
  spec.cgroups_path = "/ocibench-test-" + id + "/" + id;
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");
  const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, {});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.status.exited);
  EXPECT_NE(r.status.code, 0);
  EXPECT_NE(r.error.find("exited with code"), std::string::npos) << r.error;
  EXPECT_EQ(test::Leftovers(runtime_, id, spec.cgroups_path), "");
}

TEST_P(RuntimeTest, TimeoutKillsAndDeletesTheContainer) {
  test::TempDir tmp;
  oci::BundleSpec spec = test::BenchSpec("");
  spec.args = {"--benchmark_filter=LZMA_Compress/sdk/dict:22", "--lzma_passes=1000"};
  const std::string id = test::UniqueId("timeout-" + GetParam());
  spec.cgroups_path = "/ocibench-test-" + id + "/" + id;
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");
  oci::RunOptions options;
  options.timeout = 3s;
  const auto t0 = std::chrono::steady_clock::now();
  const oci::RunResult r = oci::Run(runtime_, id, bundle.dir, options);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 60s);
  EXPECT_TRUE(r.status.timed_out);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  EXPECT_EQ(test::Leftovers(runtime_, id, spec.cgroups_path), "");
}

// A free TCP port on loopback (bind to 0, read it back).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Sends `request` to 127.0.0.1:port; returns the start of the reply ("" if no connection).
std::string Ask(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buf[64];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) reply.assign(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

// A RESP PING.
std::string Ping(int port) { return Ask(port, "PING\r\n"); }

// The redis image as a long-running server on the host network: Create/Start, serve, Kill.
TEST_P(RuntimeTest, RedisImageServesOnHostNetworkUntilKilled) {
  test::TempDir tmp;
  const int port = FreePort();
  oci::BundleSpec spec;
  spec.image_layout = OCIBENCH_IMAGE_LAYOUT;
  spec.image_ref = "redis";
  spec.args = {"--port", std::to_string(port), "--bind", "127.0.0.1"};
  spec.network.mode = oci::NetworkMode::kHost;
  spec.scratch.kind = oci::ScratchKind::kTmpfs;
  const std::string id = test::UniqueId("redis-" + GetParam());
  spec.cgroups_path = "/ocibench-test-" + id + "/" + id;
  spec.memory_bytes = 256ull << 20;
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");
  {
    oci::Container c(runtime_, id, bundle.dir);
    c.Create();
    c.Start();
    EXPECT_EQ(c.State().value("status", ""), "running");
    std::string reply;
    for (int i = 0; i < 100 && reply.empty(); ++i) {
      reply = Ping(port);
      if (reply.empty()) std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(reply, "+PONG\r\n") << "stderr: " << c.Stderr() << "\nstdout: " << c.Stdout();
    c.Kill(SIGTERM);
    const oci::ExitStatus st = c.Wait(30s);
    EXPECT_FALSE(st.timed_out);
    EXPECT_TRUE(st.exited);
    EXPECT_NE(c.Stdout().find("Ready to accept connections"), std::string::npos) << c.Stdout();
    // The destructor deletes.
  }
  EXPECT_EQ(Ping(port), "") << "redis still answers after the container was deleted";
  EXPECT_EQ(test::Leftovers(runtime_, id, spec.cgroups_path), "");
}

// A network namespace of our own (like one CNI makes), deleted with everything in it.
class Netns {
 public:
  explicit Netns(std::string name) : name_(std::move(name)) {
    ok_ = std::system(
              ("ip netns add " + name_ + " && ip -n " + name_ + " link set lo up").c_str()) == 0;
  }
  ~Netns() { std::system(("ip netns del " + name_ + " 2>/dev/null").c_str()); }
  bool ok() const { return ok_; }
  std::string path() const { return "/var/run/netns/" + name_; }

 private:
  std::string name_;
  bool ok_ = false;
};

// Ask() from inside a network namespace (a forked child joins it).
std::string AskIn(const std::string& netns_path, int port, const std::string& request) {
  int fds[2];
  if (::pipe(fds) != 0) return "";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int ns = ::open(netns_path.c_str(), O_RDONLY);
    if (ns >= 0 && ::setns(ns, CLONE_NEWNET) == 0) {
      const std::string reply = Ask(port, request);
      (void)!::write(fds[1], reply.data(), reply.size());
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  char buf[64];
  const ssize_t n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// The redis image in a network namespace made outside the runtime (as CNI does).
TEST_P(RuntimeTest, RedisImageServesInsideAGivenNetworkNamespace) {
  const std::string id = test::UniqueId("netns-" + GetParam());
  Netns netns("ocibench-test-" + id);
  if (!netns.ok()) GTEST_SKIP() << "cannot create a network namespace (ip netns add)";
  test::TempDir tmp;
  oci::BundleSpec spec;
  spec.image_layout = OCIBENCH_IMAGE_LAYOUT;
  spec.image_ref = "redis";
  spec.network.mode = oci::NetworkMode::kNetns;
  spec.network.netns_path = netns.path();
  spec.scratch.kind = oci::ScratchKind::kTmpfs;
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");
  oci::Container c(runtime_, id, bundle.dir);
  c.Create();
  c.Start();
  std::string reply;
  for (int i = 0; i < 100 && reply.empty(); ++i) {
    reply = AskIn(netns.path(), 6379, "PING\r\n");
    if (reply.empty()) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(reply, "+PONG\r\n") << "stderr: " << c.Stderr() << "\nstdout: " << c.Stdout();
  c.Kill(SIGTERM);
  EXPECT_TRUE(c.Wait(30s).exited);
  c.Delete();
  EXPECT_EQ(test::Leftovers(runtime_, id, ""), "");
}

// The nginx image as `docker run` would start it (its own config, writable rootfs) in a network
// namespace: it serves /srv/www on port 80.
TEST_P(RuntimeTest, NginxImageServesItsDefaultConfig) {
  const std::string id = test::UniqueId("nginx-" + GetParam());
  Netns netns("ocibench-test-" + id);
  if (!netns.ok()) GTEST_SKIP() << "cannot create a network namespace (ip netns add)";
  test::TempDir tmp;
  oci::BundleSpec spec;
  spec.image_layout = OCIBENCH_IMAGE_LAYOUT;
  spec.image_ref = "nginx";
  spec.network.mode = oci::NetworkMode::kNetns;
  spec.network.netns_path = netns.path();
  const oci::Bundle bundle = oci::MakeBundle(spec, tmp.path() / "bundle");
  EXPECT_EQ(bundle.config["process"]["args"],
            (nlohmann::json{"/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf"}));
  oci::Container c(runtime_, id, bundle.dir);
  c.Create();
  c.Start();
  std::string reply;
  for (int i = 0; i < 100 && reply.empty(); ++i) {
    reply = AskIn(netns.path(), 80, "GET /index.html HTTP/1.0\r\n\r\n");
    if (reply.empty()) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(reply.substr(0, 15), "HTTP/1.1 200 OK") << reply << "\nstderr: " << c.Stderr();
  c.Kill(SIGTERM);
  EXPECT_TRUE(c.Wait(30s).exited);
  c.Delete();
  EXPECT_EQ(test::Leftovers(runtime_, id, ""), "");
}

INSTANTIATE_TEST_SUITE_P(Runtimes, RuntimeTest, ::testing::Values("runc", "crun", "runsc"),
                         [](const auto& info) { return info.param; });

TEST(RuntimeErrors, MissingRuntimeBinaryIsOneClearError) {
  test::TempDir tmp;
  oci::RuntimeSpec rt{"nosuch", "/nonexistent/runtime", {}, {}};
  fs::create_directories(tmp.path() / "b");
  std::ofstream(tmp.path() / "b" / "config.json") << "{}";
  const oci::RunResult r = oci::Run(rt, "x", tmp.path() / "b", {});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("/nonexistent/runtime"), std::string::npos) << r.error;
}

TEST(RuntimeErrors, RuntimeThatFailsCreateReportsItsStderr) {
  if (::access("/bin/false", X_OK) != 0) GTEST_SKIP() << "no /bin/false";
  test::TempDir tmp;
  test::TempDir results;
  if (!fs::exists(fs::path(OCIBENCH_IMAGE_LAYOUT) / "index.json")) GTEST_SKIP() << "no images";
  const oci::Bundle bundle = oci::MakeBundle(test::BenchSpec(results.path()), tmp.path() / "b");
  oci::RuntimeSpec rt{"false", "/bin/false", {}, tmp.path() / "root"};
  const oci::RunResult r = oci::Run(rt, "x", bundle.dir, {});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("false create x"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace ocibench
