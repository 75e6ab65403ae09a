// The probes in the built ocibench-bench: JSON with the per-op counters, the pathlib loop's
// 5000 stats, the scratch directory left empty, the no-op child, and a failing probe that
// does not stop the others.
#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace {

const std::string kBench = OCIBENCH_BENCH_PATH;

struct Result {
  int exit_code;
  std::string out;
};

Result RunBench(const std::string& args) {
  std::string cmd = kBench + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

nlohmann::json ParseJson(const Result& r) {
  const auto at = r.out.find('{');
  if (at == std::string::npos) return nullptr;
  return nlohmann::json::parse(r.out.substr(at), nullptr, false);
}

// A directory of the test's own, removed at the end.
struct TempDir {
  std::string path;
  TempDir() {
    std::string t = std::filesystem::temp_directory_path().string() + "/probes-test-XXXXXX";
    path = mkdtemp(t.data()) ? t : "";
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  bool Empty() const { return std::filesystem::is_empty(path); }
};

TEST(ProbesBench, SysAndCtlJsonHasPerOpCounters) {
  TempDir scratch;
  auto r = RunBench(
      "--benchmark_filter='^Probe_(ctl|sys)' --probes_min_time=0.01 "
      "--benchmark_format=json --probes_scratch=" +
      scratch.path);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = ParseJson(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["context"]["scratch_base"], scratch.path);
  EXPECT_FALSE(j["context"]["scratch_fstype"].get<std::string>().empty());
  // Bare metal Linux counts every getrusage field.
  EXPECT_EQ(j["context"]["probes_rusage_absent"], "none");
  ASSERT_EQ(j["benchmarks"].size(), 7u);
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b["name"];
    SCOPED_TRACE(name);
    EXPECT_TRUE(name.starts_with("Probe_"));
    EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    EXPECT_GT(b["real_time"].get<double>(), 0);
    for (const char* c : {"ctxsw_vol", "ctxsw_invol", "minflt", "majflt", "utime_s", "stime_s"})
      EXPECT_TRUE(b.contains(c)) << c;
    // A raw getpid costs well under 1 ms of CPU on any machine that runs this.
    EXPECT_LT(b["utime_s"].get<double>() + b["stime_s"].get<double>(), 1e-3);
  }
  EXPECT_TRUE(scratch.Empty());
}

TEST(ProbesBench, PathlibIterationDoesFiveThousandStatsAndCleansUp) {
  TempDir scratch;
  auto r = RunBench(
      "--benchmark_filter='^Probe_pathlib' --probes_pathlib_iterations=2 "
      "--benchmark_format=json --probes_scratch=" +
      scratch.path);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = ParseJson(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  ASSERT_EQ(j["benchmarks"].size(), 2u);
  const auto& p = j["benchmarks"][0];
  EXPECT_EQ(p["name"], "Probe_pathlib_bm_pathlib/iterations:2/real_time");
  EXPECT_FALSE(p.value("error_occurred", false)) << p.value("error_message", "");
  EXPECT_EQ(p["iterations"], 2);
  EXPECT_EQ(p["stats"], 5000);
  EXPECT_EQ(p["listed"], 4000);
  EXPECT_EQ(p["matched"], 1000);
  const auto& imp = j["benchmarks"][1];
  EXPECT_FALSE(imp.value("error_occurred", false)) << imp.value("error_message", "");
  EXPECT_EQ(imp["failed_lookups"], 48);
  EXPECT_TRUE(scratch.Empty()) << "files left in " << scratch.path;
}

TEST(ProbesBench, ExecProbesRunTheNoopChild) {
  auto r = RunBench(
      "--benchmark_filter='^Probe_proc_(fork_exec_wait|posix_spawn_wait|exec_to_main)' "
      "--probes_min_time=0.01 --benchmark_format=json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = ParseJson(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  ASSERT_EQ(j["benchmarks"].size(), 3u);
  for (const auto& b : j["benchmarks"]) {
    SCOPED_TRACE(b["name"].get<std::string>());
    EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    EXPECT_TRUE(b.contains("child_minflt"));
    // Starting a static binary takes more than 10 us and less than a second.
    EXPECT_GT(b["real_time"].get<double>(), 10);
    EXPECT_LT(b["real_time"].get<double>(), 1e6);
  }
  auto direct = RunBench("--ocibench_noop");
  EXPECT_EQ(direct.exit_code, 0);
  EXPECT_EQ(direct.out, "");
}

// The create/unlink probe says where its directory went (docs/probes.md, "Two modes of file
// creation on ext4"): under an FS_TOPDIR_FL parent on ext4, beside the fixtures when asked.
TEST(ProbesBench, CreateProbeLabelsItsPlacementAndCleansUp) {
  TempDir scratch;
  for (const char* spread : {"true", "false"}) {
    SCOPED_TRACE(spread);
    auto r = RunBench(
        "--benchmark_filter='^Probe_fs_create_write_unlink/bytes:0/' --probes_iterations=20 "
        "--benchmark_format=json --probes_create_spread=" +
        std::string(spread) + " --probes_scratch=" + scratch.path);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto j = ParseJson(r);
    ASSERT_TRUE(j.is_object()) << r.out;
    ASSERT_EQ(j["benchmarks"].size(), 1u);
    const auto& b = j["benchmarks"][0];
    EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    const std::string label = b.value("label", "");
    if (std::string(spread) == "false")
      EXPECT_EQ(label, "spread: off");
    else if (j["context"]["scratch_fstype"] == "ext2/ext3/ext4")
      EXPECT_EQ(label, "spread: topdir");
    else
      EXPECT_TRUE(label.starts_with("spread: ")) << label;
    EXPECT_TRUE(scratch.Empty());
  }
}

TEST(ProbesBench, UnusableScratchFailsFileProbesOnly) {
  // mkdtemp in /proc fails: each probe that needs the scratch directory (one per family here)
  // reports the exception's what() as its error (AddProbe), the others still run.
  setenv("OCIBENCH_SCRATCH", "/proc", 1);
  auto r = RunBench(
      "--benchmark_filter='^Probe_(fs_open_close|io_write_fsync|mem_fault_(anon|file)|"
      "pathlib_import_like|sys_getpid)' --probes_min_time=0.01 --benchmark_format=json");
  unsetenv("OCIBENCH_SCRATCH");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = ParseJson(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["context"]["scratch_base"], "/proc");
  EXPECT_EQ(j["context"]["scratch_fstype"], "proc");
  ASSERT_EQ(j["benchmarks"].size(), 6u);
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b["name"];
    SCOPED_TRACE(name);
    const bool needs_scratch =
        !name.starts_with("Probe_mem_fault_anon") && !name.starts_with("Probe_sys_");
    EXPECT_EQ(b.value("error_occurred", false), needs_scratch);
    if (needs_scratch) {
      EXPECT_TRUE(b.value("error_message", "").starts_with("mkdtemp in scratch base /proc: "))
          << b.value("error_message", "");
    }
  }
}

TEST(ProbesBench, MissingScratchDirectoryIsRefused) {
  auto r = RunBench("--probes_scratch=/nonexistent-ocibench-scratch");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/nonexistent-ocibench-scratch"), std::string::npos) << r.out;
  // The environment variable is checked the same way.
  setenv("OCIBENCH_SCRATCH", "/nonexistent-ocibench-env", 1);
  r = RunBench("--benchmark_filter=none_at_all");
  unsetenv("OCIBENCH_SCRATCH");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/nonexistent-ocibench-env"), std::string::npos) << r.out;
}

}  // namespace
