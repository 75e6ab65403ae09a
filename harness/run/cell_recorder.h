// What one cell records while it runs: its status (the first failure wins; a stop request
// turns any failure into pending, so --resume runs the cell again), its log lines, its
// lifecycle row and its memory rows. The one place those rules live.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "harness/run/launcher.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::run {

class CellRecorder {
 public:
  explicit CellRecorder(const std::atomic<bool>& stop) : stop_(stop) {}

  // Records a failure unless one is recorded already; pending instead while a stop is requested.
  void Fail(CellStatus status, const std::string& error);
  void Fail(const std::string& error) { Fail(CellStatus::kFailed, error); }
  // The cell was interrupted: pending, whatever was recorded before.
  void Pending();
  bool failed() const { return status_.has_value() && *status_ != CellStatus::kOk; }
  // kOk when nothing failed.
  CellStatus status() const { return status_.value_or(CellStatus::kOk); }
  const std::string& error() const { return error_; }

  void Log(const std::string& text) { log_ += text; }
  const std::string& log() const { return log_; }

  // The main workload's lifecycle (docs/results-format.md, lifecycle.csv).
  void SetLifecycle(const Lifecycle& l) { lifecycle_ = l, has_lifecycle_ = true; }
  // "runtime,group,rep,create,start,first_output,total,delete\n", or "" when none was set.
  std::string LifecycleRow(const std::string& prefix) const;

  void SetMemory(std::string rows) { memory_ = std::move(rows); }
  const std::string& memory() const { return memory_; }

 private:
  const std::atomic<bool>& stop_;
  std::optional<CellStatus> status_;
  std::string error_, log_, memory_;
  Lifecycle lifecycle_;
  bool has_lifecycle_ = false;
};

}  // namespace ocibench::run
