// The scheduler with a recording cell runner: warm-ups first, then only the pending cells in
// run.json's order, skipped groups never run, each outcome in run.json, and an interrupted cell
// ends the run with it and the rest pending.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "harness/run/plan.h"
#include "harness/run/scheduler.h"

namespace {
namespace fs = std::filesystem;
using namespace ocibench;
using namespace ocibench::run;

class SchedulerTest : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("ocibench-scheduler-" + std::to_string(::getpid()));
  RunPlan plan;
  std::unique_ptr<ResultsDir> results;
  std::atomic<bool> stop{false};
  std::vector<std::string> calls;

  void SetUp() override {
    fs::remove_all(dir);
    plan.config.repetitions = 2;
    plan.config.seed = 7;
    for (const char* n : {"native", "fake"}) {
      RuntimeEntry e;
      e.name = n;
      e.kind = std::string(n) == "native" ? RuntimeKind::kNative : RuntimeKind::kOci;
      plan.runtimes.push_back(e);
    }
    plan.groups = {{"a", "^A", {}, Server::kNone}, {"b", "^B", {}, Server::kNone}};
    results = std::make_unique<ResultsDir>(ResultsDir::Create(dir, NewRunDocument(plan)));
  }
  void TearDown() override { fs::remove_all(dir); }

  // Records each call; `outcome` decides the status of the n-th cell run (0-based).
  CellRunner Recorder(std::function<CellStatus(int)> outcome) {
    return [this, outcome](const CellSpec& s, bool warmup) {
      calls.push_back((warmup ? "warmup " : "cell ") + s.runtime + " " + s.group);
      CellOutcome o;
      o.status = warmup ? CellStatus::kOk : outcome(static_cast<int>(calls.size()));
      if (o.status == CellStatus::kFailed) o.error = "fake: exited with code 1";
      o.file = "bench/x.json";
      return o;
    };
  }
  Progress Quiet() {
    return [](const std::string&, bool) {};
  }
};

TEST_F(SchedulerTest, WarmupsThenEveryCellOnceInRunJsonOrder) {
  SchedulerOptions o;
  o.warmup = 1;
  const auto counts =
      RunScheduled(plan, *results, stop, Recorder([](int) { return CellStatus::kOk; }), Quiet(), o);
  ASSERT_EQ(calls.size(), 2u + 8u);
  EXPECT_EQ(calls[0], "warmup native a");
  EXPECT_EQ(calls[1], "warmup fake a");
  const nlohmann::json run = results->Run();
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& c = run["cells"][i];
    EXPECT_EQ(calls[2 + i],
              "cell " + c["runtime"].get<std::string>() + " " + c["group"].get<std::string>());
    EXPECT_EQ(c["status"], "ok");
    EXPECT_EQ(c["file"], "bench/x.json");
  }
  EXPECT_EQ(counts.at(CellStatus::kOk), 8);
}

TEST_F(SchedulerTest, SkippedGroupsAreRecordedNotRun) {
  SchedulerOptions o;
  o.warmup = 0;
  o.skip["b"] = "no benchmark matches '^B' (group b skipped)";
  const auto counts = RunScheduled(
      plan, *results, stop,
      Recorder([](int n) { return n == 1 ? CellStatus::kFailed : CellStatus::kOk; }), Quiet(), o);
  ASSERT_EQ(calls.size(), 4u);
  for (const auto& c : calls) EXPECT_TRUE(c.ends_with(" a")) << c;
  EXPECT_EQ(counts.at(CellStatus::kSkipped), 4);
  EXPECT_EQ(counts.at(CellStatus::kFailed), 1);
  EXPECT_EQ(counts.at(CellStatus::kOk), 3);
  for (const auto& c : results->Run()["cells"])
    if (c["group"] == "b") {
      EXPECT_EQ(c["error"], o.skip["b"]);
    }
}

TEST_F(SchedulerTest, AnInterruptedCellEndsTheRunAndResumeRunsOnlyWhatIsLeft) {
  SchedulerOptions o;
  o.warmup = 0;
  auto counts = RunScheduled(
      plan, *results, stop,
      Recorder([](int n) { return n == 3 ? CellStatus::kPending : CellStatus::kOk; }), Quiet(), o);
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(counts.at(CellStatus::kOk), 2);
  EXPECT_EQ(counts.at(CellStatus::kPending), 6);
  calls.clear();
  counts =
      RunScheduled(plan, *results, stop, Recorder([](int) { return CellStatus::kOk; }), Quiet(), o);
  EXPECT_EQ(calls.size(), 6u);
  EXPECT_EQ(counts.at(CellStatus::kOk), 8);
  EXPECT_FALSE(counts.count(CellStatus::kPending));
}

TEST_F(SchedulerTest, AStopRequestRunsNothingMore) {
  stop = true;
  SchedulerOptions o;
  const auto counts =
      RunScheduled(plan, *results, stop, Recorder([](int) { return CellStatus::kOk; }), Quiet(), o);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(counts.at(CellStatus::kPending), 8);
}

}  // namespace
