// The apps group in the built ocibench-bench: a 1 ms run of every Apps_* benchmark gives JSON
// with its counters and no error, leaves the scratch directory empty, and the start-up
// program (beside the binary) prints its line; a missing start-up program is an error entry
// naming it while the other benchmarks still run.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;
const std::string kBench = OCIBENCH_BENCH_PATH;

struct Result {
  int exit_code;
  std::string out;
};

Result RunShell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

struct TempDir {
  std::string path;
  TempDir() {
    std::string t = fs::temp_directory_path().string() + "/apps-test-XXXXXX";
    path = mkdtemp(t.data()) ? t : "";
  }
  ~TempDir() { fs::remove_all(path); }
};

nlohmann::json Json(const Result& r) {
  const auto at = r.out.find('{');
  return at == std::string::npos ? nullptr
                                 : nlohmann::json::parse(r.out.substr(at), nullptr, false);
}

TEST(AppsBench, EveryBenchmarkRunsOnceWithItsCounters) {
  TempDir scratch;
  const Result r =
      RunShell(kBench + " --benchmark_filter=^Apps_ --apps_min_time=0.001 " +
               "--apps_records=50 --benchmark_format=json --probes_scratch=" + scratch.path);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = Json(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  std::set<std::string> cats;
  for (const auto& b : j["benchmarks"]) {
    const std::string name = b["name"];
    EXPECT_FALSE(b.value("error_occurred", false)) << name << ": " << b.value("error_message", "");
    EXPECT_TRUE(b.contains("items_per_second")) << name;
    cats.insert(name.substr(5, name.find('_', 5) - 5));
  }
  std::set<std::string> want = {"logging", "regex", "serialize", "sql", "startup", "xml"};
  if (OCIBENCH_APPS_TEMPLATE) want.insert("template");  // built when ctemplate is installed
  EXPECT_EQ(cats, want);
  EXPECT_TRUE(fs::is_empty(scratch.path));  // the SQLite files and the log are gone
}

TEST(AppsBench, StartupProgramPrintsItsLineAfterReadingTheSite) {
  const fs::path dir = fs::path(kBench).parent_path();
  const Result r =
      RunShell((dir / "ocibench-startup").string() + " " + (dir / "startup-site").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::uintmax_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "startup-site"))
    if (e.is_regular_file() && e.path().extension() == ".py") bytes += e.file_size();
  EXPECT_EQ(r.out.substr(0, r.out.find(" crc=")),
            "ready modules=80 bytes=" + std::to_string(bytes));
  const Result bad = RunShell((dir / "ocibench-startup").string() + " /nonexistent-site");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("/nonexistent-site/site.xml"), std::string::npos) << bad.out;
}

TEST(AppsBench, AMissingStartupProgramIsAnErrorEntryNamingIt) {
  const Result r = RunShell(kBench + " '--benchmark_filter=^Apps_(startup|logging_silent)' " +
                            "--apps_min_time=0.001 --apps_startup=/nonexistent/ocibench-startup " +
                            "--benchmark_format=json");
  const auto j = Json(r);
  ASSERT_TRUE(j.is_object()) << r.out;
  ASSERT_EQ(j["benchmarks"].size(), 2u) << r.out;
  for (const auto& b : j["benchmarks"]) {
    if (b["name"].get<std::string>().starts_with("Apps_startup_exec")) {
      EXPECT_TRUE(b.value("error_occurred", false));
      EXPECT_NE(b.value("error_message", "").find("/nonexistent/ocibench-startup"),
                std::string::npos);
    } else {
      EXPECT_FALSE(b.value("error_occurred", false));
    }
  }
}

}  // namespace
