// `ocibench run` through podman (the engine kind, issue 19): a bench cell and a server cell
// through podman-runc with the real podman, conmon and runc, their lifecycle from podman's
// events, memory including conmon, the where_* context seeing podman's limits (issue 17 item
// 5), a refused engine config line, and nothing left behind. Runs the ocibench binary of this
// build.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "harness/process/command.h"

namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using ocibench::process::RunCommand;

struct Dir {
  fs::path path;
  explicit Dir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("ocibench-engine-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "" when `ocibench runtimes --json` lists `name` as usable; else why not.
std::string WhyUnusable(const std::string& name) {
  const auto r = RunCommand({OCIBENCH_CLI, "runtimes", "--json"});
  for (const auto& e : json::parse(r.out))
    if (e["name"] == name) return e["usable"].get<bool>() ? "" : e.value("unusable", "unusable");
  return name + " is not listed by ocibench runtimes";
}

// One core, 1 GiB (what the where_* context must see), one fast LZMA benchmark and a short
// redis group.
void WriteConfig(const fs::path& file, const std::string& extra = "") {
  std::ofstream(file) << "images = \"" OCIBENCH_IMAGE_LAYOUT "\"\nbench = \"" OCIBENCH_BENCH
                      << "\"\nwarmup = 0\ncpus = 1\nmemory = \"1GiB\"\n"
                      << extra << "[group.lzma]\nfilter = \"^LZMA_Decompress/sdk/dict:22/\"\n"
                      << "args = [\"--lzma_passes=1\"]\n"
                      << "[group.redis]\nfilter = \"^Redis_\"\nserver = \"redis\"\n"
                      << "args = [\"--redis_tests=ping_inline\", \"--redis_requests=2000\", "
                         "\"--redis_clients=10\"]\n";
}

json RunOne(const fs::path& config, const fs::path& out, const std::string& group,
            const std::string& runtime = "podman-runc") {
  const auto r = RunCommand(
      {OCIBENCH_CLI, "run", "--config", config.string(), "--out", out.string(), "--runtimes",
       runtime, "--groups", group, "--repetitions", "1", "--quiet", "--seed", "7"},
      ocibench::process::WithTimeout(std::chrono::seconds(120)));
  EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << Read(out / "log.txt");
  return json::parse(Read(out / "run.json"));
}

// No podman store, conmon, container cgroup or mount of the run is left.
void ExpectNothingLeft(const std::string& run_id) {
  ASSERT_FALSE(run_id.empty());
  for (const char* root : {"/var/tmp/ocibench/podman", "/run/ocibench-run/podman"}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root))
      EXPECT_EQ(e.path().filename().string().find(run_id), std::string::npos) << e.path();
  }
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string pid = e.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = Read(e.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    EXPECT_EQ(cmdline.find(run_id), std::string::npos)
        << "still running: " << pid << " " << cmdline;
  }
  EXPECT_EQ(Read("/proc/self/mountinfo").find(run_id), std::string::npos);
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup"))
    EXPECT_FALSE(fs::exists(h.path() / "ocibench-run" / run_id)) << h.path();
}

// The lifecycle.csv row of `runtime`: create, start, first output, total, delete (ms).
std::vector<double> LifecycleRow(const fs::path& out, const std::string& runtime) {
  std::istringstream lines(Read(out / "lifecycle.csv"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(runtime + ",")) continue;
    std::vector<double> v;
    std::istringstream cells(line);
    std::string cell;
    for (int i = 0; std::getline(cells, cell, ','); ++i)
      if (i >= 3) v.push_back(cell.empty() ? -1 : std::stod(cell));
    return v;
  }
  return {};
}

TEST(EngineRun, BenchCellThroughPodmanRuncSeesItsLimitsAndLeavesNothing) {
  if (const std::string why = WhyUnusable("podman-runc"); !why.empty()) GTEST_SKIP() << why;
  Dir d("bench");
  WriteConfig(d.path / "c.toml");
  const json run = RunOne(d.path / "c.toml", d.path / "out", "lzma");
  ASSERT_EQ(run["cells"].size(), 1u);
  const json& cell = run["cells"][0];
  ASSERT_EQ(cell["status"], "ok") << cell.dump() << "\n" << Read(d.path / "out" / "log.txt");
  const json b = json::parse(Read(d.path / "out" / cell["file"].get<std::string>()));
  EXPECT_EQ(b["context"]["ocibench_runtime"], "podman-runc");
  EXPECT_GT(b["benchmarks"][0]["rating_MIPS"].get<double>(), 0);
  // What the binary saw inside podman's container: podman's --cpus and --memory.
  EXPECT_EQ(b["context"].value("where_container", ""), "yes");
  EXPECT_EQ(b["context"].value("where_cgroup_cpus", ""), "1")
      << b["context"].value("where_unreadable", "");
  EXPECT_EQ(b["context"].value("where_cgroup_memory_bytes", ""), std::to_string(1ull << 30));
  // Lifecycle from podman's events: create, start and delete measured.
  const std::vector<double> l = LifecycleRow(d.path / "out", "podman-runc");
  ASSERT_EQ(l.size(), 5u) << Read(d.path / "out" / "lifecycle.csv");
  EXPECT_GT(l[0], 0) << "create";
  EXPECT_GE(l[1], 0) << "start";
  EXPECT_GT(l[3], l[0]) << "total";
  EXPECT_GE(l[4], 0) << "delete";
  // Memory: rows with the container's cgroup and the runtime's PSS (podman and conmon) > 0.
  std::istringstream rows(Read(d.path / "out" / "memory.csv"));
  bool cgroup_seen = false, pss_seen = false;
  for (std::string line; std::getline(rows, line);) {
    if (!line.starts_with("podman-runc,lzma,1,")) continue;
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string c; std::getline(cells, c, ',');) f.push_back(c);
    if (f.size() >= 6 && !f[5].empty() && std::stod(f[5]) > 0) cgroup_seen = true;
    if (f.size() >= 7 && !f[6].empty() && std::stod(f[6]) > 0) pss_seen = true;
  }
  EXPECT_TRUE(cgroup_seen) << "no cgroup_bytes of the container";
  EXPECT_TRUE(pss_seen) << "no runtime_pss_bytes (podman, conmon)";
  const auto& rt = run["runtimes"];
  const auto e =
      std::find_if(rt.begin(), rt.end(), [](const json& r) { return r["name"] == "podman-runc"; });
  ASSERT_NE(e, rt.end());
  EXPECT_EQ((*e)["kind"], "engine");
  EXPECT_EQ((*e)["runtime"], "runc");
  ExpectNothingLeft(run.value("id", ""));
}

TEST(EngineRun, RedisServerInPodmanClientNative) {
  if (const std::string why = WhyUnusable("podman-runc"); !why.empty()) GTEST_SKIP() << why;
  Dir d("server");
  WriteConfig(d.path / "c.toml");
  const json run = RunOne(d.path / "c.toml", d.path / "out", "redis");
  ASSERT_EQ(run["cells"].size(), 1u);
  const json& cell = run["cells"][0];
  ASSERT_EQ(cell["status"], "ok") << cell.dump() << "\n" << Read(d.path / "out" / "log.txt");
  EXPECT_EQ(cell["placement"], "server-only");
  const json b = json::parse(Read(d.path / "out" / cell["file"].get<std::string>()));
  ASSERT_FALSE(b["benchmarks"].empty());
  EXPECT_NE(Read(d.path / "out" / "log.txt").find("in a podman-runc container"), std::string::npos);
  ExpectNothingLeft(run.value("id", ""));
}

TEST(EngineRun, BadEngineLineIsOneLineExit2) {
  Dir d("bad");
  for (const auto& [line, key] : std::vector<std::pair<std::string, std::string>>{
           {"[runtime.p]\nengine = \"docker\"\nruntime = \"runc\"\n", "runtime.p.engine"},
           {"[runtime.p]\nengine = \"podman\"\n", "runtime.p.runtime"}}) {
    std::ofstream(d.path / "c.toml") << line;
    const auto r = RunCommand({OCIBENCH_CLI, "run", "--config", (d.path / "c.toml").string(),
                               "--out", (d.path / "out").string(), "--quiet"});
    EXPECT_EQ(r.exit_code, 2) << line;
    EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(d.path / "out" / "run.json"));
  }
}

// SIGKILL while the podman container runs; `ocibench gc` removes the store, the podman and
// conmon processes still attached to it, the cgroups.
TEST(EngineRun, GcRemovesWhatAKilledPodmanCellLeft) {
  if (const std::string why = WhyUnusable("podman-runc"); !why.empty()) GTEST_SKIP() << why;
  Dir d("gc");
  std::ofstream(d.path / "c.toml")
      << "images = \"" OCIBENCH_IMAGE_LAYOUT "\"\nbench = \"" OCIBENCH_BENCH
      << "\"\nwarmup = 0\n[group.lzma]\n"
      << "filter = \"^LZMA_Decompress/sdk/dict:22/\"\n"
      << "args = [\"--lzma_passes=30\"]\n";
  const fs::path out = d.path / "killed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(OCIBENCH_CLI, OCIBENCH_CLI, "run", "--config", (d.path / "c.toml").c_str(), "--out",
            out.c_str(), "--runtimes", "podman-runc", "--groups", "lzma", "--repetitions", "1",
            "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string id;
  bool running = false;
  for (int i = 0; i < 1500 && !running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (id.empty() && fs::exists(out / "run.json")) {
      try {
        id = json::parse(Read(out / "run.json")).value("id", "");
      } catch (const std::exception&) {
      }
    }
    if (id.empty()) continue;
    std::error_code ec;
    for (const auto& e :
         fs::directory_iterator("/sys/fs/cgroup/memory/ocibench-run/" + id + "/cell-0", ec))
      if (e.path().filename().string().starts_with("libpod-")) running = true;
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(running) << "the podman container never ran";
  const auto gc = RunCommand({OCIBENCH_CLI, "gc"});
  EXPECT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find("podman store /var/tmp/ocibench/podman/" + id), std::string::npos)
      << gc.out;
  ExpectNothingLeft(id);
}

// A runc container in runc's default root (podman gives runc no --root) whose bundle was in a
// podman store that is gone — what podman's clean-up leaves when `podman rm` times out:
// `ocibench gc` deletes it. The container is a real one (`runc create`, never started).
TEST(EngineRun, GcDeletesARuncContainerWhoseStoreIsGone) {
  const std::string runc = ocibench::process::FindOnPath("runc");
  if (runc.empty()) GTEST_SKIP() << "runc not found";
  const std::string id = "ocibench-engine-test-" + std::to_string(::getpid());
  const fs::path store = fs::path("/var/tmp/ocibench/podman") / (id + "-c0");
  const fs::path bundle = store / "storage/vfs-containers" / id / "userdata";
  fs::create_directories(bundle / "rootfs");
  fs::copy_file(OCIBENCH_BENCH, bundle / "rootfs/ocibench-bench");
  json spec = json::parse(RunCommand({runc, "spec", "--bundle", bundle.string()}).ok()
                              ? Read(bundle / "config.json")
                              : "{}");
  ASSERT_TRUE(spec.contains("process")) << "runc spec failed";
  spec["process"]["args"] = {"/ocibench-bench", "--benchmark_list_tests"};
  spec["process"]["terminal"] = false;
  std::ofstream(bundle / "config.json") << spec.dump();
  const auto created = RunCommand({runc, "create", "--bundle", bundle.string(), id});
  ASSERT_TRUE(created.ok()) << created.err;
  fs::remove_all(store);
  std::error_code ec;
  fs::remove(store.parent_path(), ec);  // only when empty

  const auto gc = RunCommand({OCIBENCH_CLI, "gc"});
  EXPECT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find("runc container " + id + " (/run/runc, bundle " + bundle.string() + ")"),
            std::string::npos)
      << gc.out;
  EXPECT_EQ(RunCommand({runc, "list"}).out.find(id), std::string::npos) << "still in runc list";
  RunCommand({runc, "delete", "--force", id});  // when gc did not
}

}  // namespace
