// The apps group through `ocibench run` in its own image under the real runtimes: the start-up
// program, its libraries and files are in the apps image, SQLite's synchronous=FULL commits
// and the flushed log land in the scratch directory, every cell is ok and its entries carry
// no error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/process/command.h"

namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using ocibench::process::RunCommand;

json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in, nullptr, false);
}

std::string Usable(const std::vector<std::string>& names) {
  const auto r = RunCommand({OCIBENCH_CLI, "runtimes", "--json"});
  std::string out;
  for (const auto& e : json::parse(r.out, nullptr, false)) {
    if (!e.is_object() || !e.value("usable", false)) continue;
    const std::string name = e.value("name", "");
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

TEST(AppsContainer, StartupSqlAndLoggingRunInTheAppsImage) {
  const std::string runtimes = Usable({"runc", "crun", "runsc-ptrace"});
  if (runtimes.empty()) GTEST_SKIP() << "none of runc, crun, runsc-ptrace is usable here";
  const fs::path dir = fs::temp_directory_path() / ("apps-container-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "apps.toml")
      << "images = \"" OCIBENCH_IMAGE_LAYOUT "\"\nbench = \"" OCIBENCH_BENCH
      << "\"\nwarmup = 0\n[group.apps]\n"
      << "filter = \"^Apps_(startup_exec|sql_commit_full|logging_flush)\"\n"
      << "args = [\"--apps_min_time=0.02\"]\n";
  const auto r = RunCommand({OCIBENCH_CLI, "run", "--config", (dir / "apps.toml").string(), "--out",
                             (dir / "out").string(), "--runtimes", "native," + runtimes, "--groups",
                             "apps", "--repetitions", "1", "--quiet"});
  ASSERT_TRUE(r.ok()) << r.out << r.err;
  const json run = ReadJson(dir / "out" / "run.json");
  ASSERT_TRUE(run.is_object());
  for (const auto& c : run["cells"]) {
    ASSERT_EQ(c["status"], "ok") << c.dump();
    const json b = ReadJson(dir / "out" / c["file"].get<std::string>());
    ASSERT_EQ(b["benchmarks"].size(), 3u) << c["runtime"];
    for (const auto& e : b["benchmarks"]) {
      EXPECT_FALSE(e.value("error_occurred", false))
          << c["runtime"] << " " << e["name"] << ": " << e.value("error_message", "");
      EXPECT_GT(e.value("real_time", 0.0), 0) << c["runtime"] << " " << e["name"];
    }
  }
  fs::remove_all(dir);
}

}  // namespace
