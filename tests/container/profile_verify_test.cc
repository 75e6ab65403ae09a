// `ocibench profile --verify` end to end: `find` over a real tree profiled natively (strace),
// predicted from the committed example run's costs, then run under the real runc (and
// runsc-ptrace when installed) in host-rootfs containers; the table must hold predicted and
// measured for each, bad runtimes and a command that fails only in the container are one line
// each, and nothing is left behind (containers, bundles, cgroups, mounts).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/run_command.h"

namespace {
namespace fs = std::filesystem;
using ocibench::testing::RunCommand;

const std::string kOcibench = OCIBENCH_CLI;
const std::string kCosts = OCIBENCH_EXAMPLE_RUN;

bool Have(const std::string& tool) {
  return RunCommand("command -v " + tool + " >/dev/null 2>&1").exit_code == 0;
}

// Whatever a --verify left: its containers (ids verify-…) in the runtimes' state, its bundle
// directories, cgroups and mounts.
std::vector<std::string> Leftovers() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const char* dir : {"/var/tmp/ocibench/run-bundles", "/run/ocibench-run/runc",
                          "/run/ocibench-run/runsc-ptrace"})
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().filename().string().starts_with("verify-")) out.push_back(e.path());
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec))
    for (const auto& e : fs::directory_iterator(h.path() / "ocibench-run", ec))
      if (e.path().filename().string().starts_with("verify-")) out.push_back(e.path());
  std::ifstream mounts("/proc/self/mountinfo");
  for (std::string line; std::getline(mounts, line);)
    if (line.find("verify-") != std::string::npos) out.push_back(line);
  // Only when the root is there: `runc --root DIR list` creates DIR, a leftover of its own.
  if (fs::exists("/run/ocibench-run/runc")) {
    const auto runc = RunCommand("runc --root /run/ocibench-run/runc list -q 2>/dev/null");
    if (runc.out.find("verify-") != std::string::npos) out.push_back("runc list: " + runc.out);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

class ProfileVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "containers need root";
    if (!Have("strace")) GTEST_SKIP() << "strace not installed (Debian package strace)";
    if (!Have("runc")) GTEST_SKIP() << "runc not installed (Debian package runc)";
  }
};

TEST_F(ProfileVerify, PredictedBesideMeasuredForEachRuntime) {
  std::string runtimes = "runc";
  if (Have("runsc"))
    runtimes += ",runsc-ptrace";
  else
    std::cerr << "runsc not installed (Debian package runsc): runc only\n";
  const auto r = RunCommand(kOcibench + " profile --runs 1 --results " + kCosts +
                            " --verify --rounds 2 --runtimes " + runtimes +
                            " -- find /usr/share/doc -name '*.gz' 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("ABBA rounds"), std::string::npos) << r.out;
  std::stringstream lines(runtimes);
  for (std::string rt; std::getline(lines, rt, ',');) {
    // "runc   1.01x   1.03x [0.97, 1.10]   0.98  within ±20%": predicted, measured, a verdict.
    const std::regex row("\n" + rt +
                         " +[0-9.]+x +[0-9.]+x \\[[0-9.]+, [0-9.]+\\] +[0-9.]+ +"
                         "(within|outside|cannot tell)");
    EXPECT_TRUE(std::regex_search(r.out, row)) << rt << " has no verified row in:\n" << r.out;
  }
  if (runtimes.find("runsc") != std::string::npos) {
    // gVisor's ptrace platform makes every one of find's system calls cost tens of µs.
    const std::regex slow("\nrunsc-ptrace +[0-9.]+x +([0-9.]+)x");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, slow)) << r.out;
    EXPECT_GT(std::stod(m[1]), 1.5) << r.out;
  }
  EXPECT_EQ(Joined(Leftovers()), "");
}

TEST_F(ProfileVerify, BadRuntimesAreSkippedAndAFailureIsItsExitStatus) {
  // Root may write /usr natively; in the container /usr is a read-only bind: exit 1 there only.
  const auto r = RunCommand(kOcibench + " profile --runs 1 --results " + kCosts +
                            " --verify --rounds 1 --runtimes nosuch,runc -- /bin/sh -c 'test -w "
                            "/usr' 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("verify: nosuch: " + kCosts + " has no costs for it"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("failed: runc /bin/sh: exited with code 1"), std::string::npos) << r.out;
  EXPECT_EQ(Joined(Leftovers()), "");
}

TEST_F(ProfileVerify, ARuntimeThatIsNotInstalledIsOneLineAndSkipped) {
  if (Have("youki")) GTEST_SKIP() << "youki is installed here: this case needs it absent";
  // The committed costs with runc's rows copied as youki's: costed, but not on this host.
  const fs::path costs = fs::temp_directory_path() / ("verify-costs-" + std::to_string(::getpid()));
  {
    std::ifstream in(OCIBENCH_EXAMPLE_COSTS);
    std::ofstream out(costs);
    std::string youki;
    for (std::string line; std::getline(in, line);) {
      out << line << "\n";
      if (line.starts_with("runc,")) youki += "youki," + line.substr(5) + "\n";
    }
    out << youki;
  }
  const auto r = RunCommand(kOcibench + " profile --runs 1 --costs " + costs.string() +
                            " --verify --rounds 1 --runtimes youki,runc -- /bin/true 2>&1");
  fs::remove(costs);
  EXPECT_EQ(r.exit_code, 0) << r.out;  // runc still ran
  EXPECT_NE(r.out.find("verify: youki: not usable here: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nrunc "), std::string::npos) << r.out;
  EXPECT_EQ(Joined(Leftovers()), "");
}

}  // namespace
