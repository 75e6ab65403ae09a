// `ocibench startup` and `ocibench density` end to end with the real runtimes: a small start-up
// run whose results parse (and report), a failing start at N > 1, an interrupted density run
// and a SIGKILLed one cleaned by `ocibench gc`: nothing is left (containers, cgroups, bundles,
// processes).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
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
using ocibench::process::WithTimeout;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of a CSV without quoted commas in the fields the tests read, as column → value.
std::vector<std::map<std::string, std::string>> Csv(const fs::path& p) {
  std::istringstream in(Read(p));
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::string cur;
    bool q = false;
    for (char c : l) {
      if (c == '"')
        q = !q;
      else if (c == ',' && !q)
        f.push_back(cur), cur.clear();
      else
        cur += c;
    }
    f.push_back(cur);
    return f;
  };
  if (std::getline(in, line)) header = split(line);
  while (std::getline(in, line)) {
    const auto f = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
    rows.push_back(row);
  }
  return rows;
}

struct Dir {
  fs::path path;
  explicit Dir(const std::string& name)
      : path(fs::path("/var/tmp") /
             ("ocibench-startup-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

bool RuncUsable() { return RunCommand({"runc", "--version"}).ok() && ::geteuid() == 0; }
bool ImagesBuilt() { return fs::exists(fs::path(OCIBENCH_IMAGE_LAYOUT) / "index.json"); }

std::vector<std::string> Cli(std::vector<std::string> args, const fs::path& out) {
  std::vector<std::string> argv = {OCIBENCH_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--out", out.string(), "--images", OCIBENCH_IMAGE_LAYOUT, "--bench",
                           OCIBENCH_BENCH, "--memory", "256MiB"});
  return argv;
}

std::string RunId(const fs::path& out) {
  for (int i = 0; i < 500; ++i) {
    try {
      const json j = json::parse(Read(out / "run.json"));
      if (j.contains("id")) return j["id"];
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

// Nothing of session `id` is left: no container state, cgroup, bundle or process in its cgroups.
void ExpectNothingLeft(const std::string& id) {
  ASSERT_FALSE(id.empty());
  std::error_code ec;
  for (const auto& rt : fs::directory_iterator("/run/ocibench-run", ec))
    for (const auto& e : fs::directory_iterator(rt.path(), ec))
      EXPECT_EQ(e.path().filename().string().find(id), std::string::npos) << e.path();
  if (fs::exists("/run/ocibench-run/runc")) {
    const auto r = RunCommand({"runc", "--root", "/run/ocibench-run/runc", "list"});
    EXPECT_EQ(r.out.find(id), std::string::npos) << r.out;
  }
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup"))
    EXPECT_FALSE(fs::exists(h.path() / "ocibench-run" / id)) << h.path();
  EXPECT_FALSE(fs::exists(fs::path("/var/tmp/ocibench/run-bundles") / id));
  // Processes in its cgroups: a killed one may take a moment to be reaped (zombies do not
  // count), so look again for up to 3 s.
  std::string left;
  for (int i = 0; i < 30; ++i) {
    left.clear();
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
      const std::string pid = e.path().filename();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::string stat = Read(e.path() / "stat");
      const auto close = stat.rfind(')');
      if (close != std::string::npos && stat.compare(close + 2, 1, "Z") == 0) continue;
      if (Read(e.path() / "cgroup").find(id) != std::string::npos)
        left += pid + " " + Read(e.path() / "comm");
    }
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(left, "") << "processes still in the session's cgroups";
}

pid_t Spawn(std::vector<std::string> argv) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  return pid;
}

// Containers of session `id` in runc's state directory now.
int RuncContainersOf(const std::string& id) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/run/ocibench-run/runc", ec))
    if (e.path().filename().string().find(id) != std::string::npos) ++n;
  return n;
}

// Starts a density run of runc and returns once it holds at least 3 containers.
pid_t DensityWithThreeContainers(const fs::path& out, std::string* id) {
  const pid_t pid = Spawn(
      Cli({"density", "--runtimes", "runc", "--counts", "60", "--no-drop-caches", "--quiet"}, out));
  *id = RunId(out);
  for (int i = 0; i < 1500 && RuncContainersOf(*id) < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return pid;
}

TEST(Startup, SmallRunParsesAndReports) {
  if (!RuncUsable() || !ImagesBuilt()) GTEST_SKIP() << "needs root, runc and the built images";
  Dir d("small");
  const fs::path out = d.path / "out";
  const auto r = RunCommand(Cli({"startup", "--runtimes", "native,runc", "--count", "4", "--warmup",
                                 "1", "--concurrency", "2", "--duration", "1", "--quiet"},
                                out),
                            WithTimeout(std::chrono::minutes(2)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = Csv(out / "startup.csv");
  int seq_native = 0, seq_runc = 0, concurrent = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status"), "ok") << row.at("error");
    EXPECT_GT(std::stod(row.at("total_ms")), 0);
    if (row.at("mode") == "concurrent") {
      ++concurrent;
      continue;
    }
    const double work = std::stod(row.at("workload_ms"));
    EXPECT_GT(work, 0);
    EXPECT_LE(work, std::stod(row.at("total_ms")));
    if (row.at("runtime") == "native") {
      ++seq_native;
      EXPECT_TRUE(row.at("create_ms").empty());
    } else {
      ++seq_runc;
      EXPECT_GT(std::stod(row.at("create_ms")), 0);
      EXPECT_GT(std::stod(row.at("delete_ms")), 0);
      EXPECT_GT(work, std::stod(row.at("create_ms")));  // the stamp comes after create
    }
  }
  EXPECT_EQ(seq_native, 4);
  EXPECT_EQ(seq_runc, 4);
  EXPECT_GT(concurrent, 0);
  const auto conc = Csv(out / "concurrency.csv");
  ASSERT_EQ(conc.size(), 2u);  // native and runc, 2 workers
  for (const auto& c : conc) EXPECT_GT(std::stod(c.at("containers_per_s")), 0);
  const json run = json::parse(Read(out / "run.json"));
  EXPECT_EQ(run["command"], "startup");
  EXPECT_FALSE(run["finished"].is_null());
  // The report works on a directory with only start-up results.
  const auto rep =
      RunCommand({OCIBENCH_CLI, "report", out.string()}, WithTimeout(std::chrono::minutes(1)));
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const std::string md = Read(out / "report.md");
  EXPECT_NE(md.find("Start-up and density"), std::string::npos);
  EXPECT_NE(md.find("Published start-up figures"), std::string::npos);
  ExpectNothingLeft(run["id"]);
}

TEST(Startup, FailingStartAtNGreaterThanOneIsRecordedAndTheRestTornDown) {
  if (!RuncUsable() || !ImagesBuilt()) GTEST_SKIP() << "needs root, runc and the built images";
  Dir d("failing");
  const fs::path script = d.path / "flaky-runc";
  // A wrapper around runc that refuses its third `create`.
  std::ofstream(script) << "#!/bin/sh\nfor a in \"$@\"; do\n  if [ \"$a\" = create ]; then\n"
                           "    n=$(($(cat "
                        << (d.path / "n").string()
                        << " 2>/dev/null || echo 0) + 1))\n"
                           "    echo $n > "
                        << (d.path / "n").string()
                        << "\n"
                           "    [ $n = 3 ] && { echo 'flaky-runc: create refused' >&2; exit 1; }\n"
                           "  fi\ndone\nexec runc \"$@\"\n";
  fs::permissions(script, fs::perms::owner_all);
  std::ofstream(d.path / "c.toml") << "[runtime.flaky]\nbinary = \"" << script.string() << "\"\n";
  const fs::path out = d.path / "out";
  const auto r = RunCommand(Cli({"density", "--config", (d.path / "c.toml").string(), "--runtimes",
                                 "flaky", "--counts", "5", "--no-drop-caches", "--quiet"},
                                out),
                            WithTimeout(std::chrono::minutes(2)));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // ran, with a failed row
  const auto rows = Csv(out / "density.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("n"), "5");
  EXPECT_EQ(rows[0].at("started"), "2");
  EXPECT_EQ(rows[0].at("status"), "failed");
  EXPECT_NE(rows[0].at("error").find("container 3 of 5"), std::string::npos) << rows[0].at("error");
  EXPECT_NE(rows[0].at("error").find("create refused"), std::string::npos) << rows[0].at("error");
  EXPECT_NE(Read(out / "log.txt").find("create refused"), std::string::npos);
  ExpectNothingLeft(RunId(out));
}

TEST(Startup, InterruptedDensityRunLeavesNothing) {
  if (!RuncUsable() || !ImagesBuilt()) GTEST_SKIP() << "needs root, runc and the built images";
  Dir d("sigint");
  const fs::path out = d.path / "out";
  std::string id;
  const pid_t pid = DensityWithThreeContainers(out, &id);
  ASSERT_GE(RuncContainersOf(id), 3);
  ::kill(pid, SIGINT);
  int st = 0;
  ::waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 130);
  const auto rows = Csv(out / "density.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("status"), "interrupted");
  EXPECT_GE(std::stoi(rows[0].at("started")), 3);
  ExpectNothingLeft(id);
}

TEST(Startup, SigkilledDensityRunIsCleanedByGc) {
  if (!RuncUsable() || !ImagesBuilt()) GTEST_SKIP() << "needs root, runc and the built images";
  Dir d("sigkill");
  const fs::path out = d.path / "out";
  std::string id;
  const pid_t pid = DensityWithThreeContainers(out, &id);
  ASSERT_GE(RuncContainersOf(id), 3);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  const auto gc = RunCommand({OCIBENCH_CLI, "gc"}, WithTimeout(std::chrono::minutes(2)));
  EXPECT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find(id), std::string::npos) << gc.out;
  ExpectNothingLeft(id);
}

}  // namespace
