// `ocibench report` of a fleet and `ocibench compare` between two hosts, through the real CLI,
// on a fleet made by make_fleet_results from COPIES of the committed example run (two hosts,
// one relabelled; a corrupt host; a failed host). Copies, not two machines: between the two
// hosts every ratio must be exactly 1 and every CI must contain 1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/run_command.h"

namespace fs = std::filesystem;
using ocibench::testing::RunCommand;

namespace {

const std::string kCli = OCIBENCH_CLI_PATH;
const std::string kMake = OCIBENCH_MAKE_FLEET;
const fs::path kSource = OCIBENCH_EXAMPLE_RUN;

std::string Read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The report's CSVs: a header, then rows; fields with commas are quoted.
std::vector<std::map<std::string, std::string>> ReadCsv(const fs::path& p) {
  auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::string cur;
    bool q = false;
    for (std::size_t i = 0; i < l.size(); i++) {
      const char c = l[i];
      if (q && c == '"' && i + 1 < l.size() && l[i + 1] == '"') {
        cur += '"';
        i++;
      } else if (c == '"') {
        q = !q;
      } else if (c == ',' && !q) {
        out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    out.push_back(cur);
    return out;
  };
  std::ifstream f(p);
  std::string line;
  std::getline(f, line);
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(f, line)) {
    const auto v = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < v.size(); i++) row[header[i]] = v[i];
    rows.push_back(row);
  }
  return rows;
}

class FleetReport : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kSource / "run.json")) GTEST_SKIP() << "no example run at " << kSource;
    tmp_ = fs::temp_directory_path() / ("fleet-report-test-" + std::to_string(getpid()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }
  fs::path Make(const std::string& name, bool skew) {
    const fs::path out = tmp_ / name;
    const auto r =
        RunCommand(kMake + " " + kSource.string() + " " + out.string() + (skew ? " --skew" : ""));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return out;
  }
  // `ocibench ARGS`, stderr captured beside stdout in `err`.
  // 200 bootstrap resamples (the default is 2000): the copies' checks do not need more, and the
  // test stays within its time budget.
  int Cli(const std::string& args, std::string* err) {
    const fs::path e = tmp_ / "stderr";
    const auto r = RunCommand(kCli + " " + args + " --resamples 200 2>" + e.string());
    *err = Read(e);
    return r.exit_code;
  }
  fs::path tmp_;
};

TEST_F(FleetReport, TwoCopiesACorruptAndAFailedHost) {
  const fs::path fleet = Make("fleet-20261201T190000Z", false);
  std::string err;
  ASSERT_EQ(Cli("report " + fleet.string(), &err), 0) << err;
  // The corrupt host and the failed one are named on stderr, with their reasons.
  EXPECT_NE(err.find("host broken not reported:"), std::string::npos) << err;
  EXPECT_NE(err.find("run.json"), std::string::npos) << err;
  EXPECT_NE(err.find("host down not reported: fixture"), std::string::npos) << err;
  EXPECT_NE(err.find("vm-b: copy of "), std::string::npos) << "a copy says it is one: " << err;
  for (const char* f : {"report.md", "report.html", "report.json", "report_fleet_hosts.csv",
                        "report_fleet_facts.csv", "report_fleet_ratios.csv",
                        "report_fleet_differences.csv", "report_fleet_study_lzma_rating.csv"})
    EXPECT_TRUE(fs::exists(fleet / f)) << f;

  const auto hosts = ReadCsv(fleet / "report_fleet_hosts.csv");
  ASSERT_EQ(hosts.size(), 4u);
  EXPECT_EQ(hosts[0].at("status"), "ok");
  EXPECT_EQ(hosts[2].at("host"), "broken");
  EXPECT_EQ(hosts[2].at("status"), "unreadable");
  EXPECT_NE(hosts[2].at("reason"), "");
  EXPECT_EQ(hosts[3].at("status"), "failed");

  // One facts table, a column per readable host; the relabelled facts show.
  const auto facts = ReadCsv(fleet / "report_fleet_facts.csv");
  bool cpu = false, cgroup = false;
  for (const auto& r : facts) {
    if (r.at("fact") == "CPU model") {
      cpu = true;
      EXPECT_EQ(r.at("vm-b"), r.at("vm-a") + " (relabelled copy)");
    }
    if (r.at("fact") == "cgroup mode") {
      cgroup = true;
      EXPECT_EQ(r.at("vm-a"), "hybrid");
      EXPECT_EQ(r.at("vm-b"), "v2");
    }
  }
  EXPECT_TRUE(cpu && cgroup);

  // A column group per host in the study tables; the copies agree to the digit.
  const auto lzma = ReadCsv(fleet / "report_fleet_study_lzma_rating.csv");
  ASSERT_FALSE(lzma.empty());
  for (const auto& r : lzma) EXPECT_EQ(r.at("vm-a: geo. mean"), r.at("vm-b: geo. mean"));

  // Between the copies: ratio 1, every CI contains 1, no cost difference claimed.
  const auto diff = ReadCsv(fleet / "report_fleet_differences.csv");
  ASSERT_GT(diff.size(), 20u);
  int with_cost = 0;
  for (const auto& r : diff) {
    EXPECT_EQ(r.at("host"), "vm-b");
    EXPECT_EQ(std::stod(r.at("speed vs vm-a")), 1.0) << r.at("benchmark");
    EXPECT_LE(std::stod(r.at("CI low")), 1.0);
    EXPECT_GE(std::stod(r.at("CI high")), 1.0);
    EXPECT_NE(r.at("verdict").find("faster"), 0u);
    EXPECT_NE(r.at("verdict").find("slower"), 0u);
    if (r.at("runtime") != "native") {
      with_cost++;
      EXPECT_EQ(std::stod(r.at("cost vs vm-a")), 1.0) << r.at("benchmark");
      EXPECT_EQ(r.at("cost verdict"), "cannot tell from these runs");
    }
  }
  EXPECT_GT(with_cost, 0);
}

TEST_F(FleetReport, MismatchedVersionAndConfigAreNamedAndTheRestIsReported) {
  const fs::path fleet = Make("fleet-skew", true);
  std::string err;
  ASSERT_EQ(Cli("report " + fleet.string(), &err), 0) << err;
  EXPECT_NE(err.find("vm-b: ocibench 0.0.9-fixture"), std::string::npos) << err;
  EXPECT_NE(err.find("vm-b: config differs from vm-a's in group redis"), std::string::npos) << err;
  EXPECT_NE(err.find("Not compared between hosts (their settings differ): redis"),
            std::string::npos)
      << err;
  bool redis_ratio = false;
  for (const auto& r : ReadCsv(fleet / "report_fleet_ratios.csv"))
    if (r.at("group") == "redis" && !r.at("vm-b: vs native").empty()) redis_ratio = true;
  EXPECT_TRUE(redis_ratio) << "each host's own ratios are still reported";
  int lzma = 0;
  for (const auto& r : ReadCsv(fleet / "report_fleet_differences.csv")) {
    EXPECT_NE(r.at("group"), "redis");
    lzma += r.at("group") == "lzma";
  }
  EXPECT_GT(lzma, 0) << "what is comparable is still compared";
}

TEST_F(FleetReport, SeveralDirectoriesNeedOutAndCompareNamesTheHosts) {
  const fs::path fleet = Make("fleet-dirs", false);
  std::string err;
  EXPECT_EQ(Cli("report " + (fleet / "vm-a").string() + " " + (fleet / "vm-b").string(), &err), 2);
  EXPECT_NE(err.find("need --out DIR"), std::string::npos) << err;
  const fs::path out = tmp_ / "across";
  ASSERT_EQ(Cli("report " + (fleet / "vm-a").string() + " " + (fleet / "vm-b").string() +
                    " --out " + out.string(),
                &err),
            0)
      << err;
  const auto hosts = ReadCsv(out / "report_fleet_hosts.csv");
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[1].at("host"), "vm-b");  // named by run.json's hostname

  // compare between two hosts' runs works, and says that the machines differ.
  const auto r = RunCommand(kCli + " compare " + (fleet / "vm-a").string() + " " +
                            (fleet / "vm-b").string() + " --resamples 200 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("different hosts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cgroup_mode"), std::string::npos) << r.out;
}

}  // namespace
