// The matrix's scheduler: the warm-ups, then every pending cell of run.json in its recorded
// (interleaved, shuffled) order, each outcome written to run.json as the cell ends; a progress
// line with an ETA. Stops at the first interrupted cell (it stays pending for --resume).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>

#include "harness/run/cell.h"
#include "harness/run/plan.h"

namespace ocibench::run {

// Runs one cell (RunCell, or a recording stand-in in tests).
using CellRunner = std::function<CellOutcome(const CellSpec&, bool warmup)>;
// A progress line; final: it stays (a failed cell, the end).
using Progress = std::function<void(const std::string& line, bool final)>;

struct SchedulerOptions {
  int warmup = 1;  // untimed runs of each runtime first
  // Groups not run, with the reason each of their cells records (status skipped).
  std::map<std::string, std::string> skip;
};

// Returns the number of cells of each status in run.json afterwards.
std::map<CellStatus, int> RunScheduled(const RunPlan& plan, ResultsDir& results,
                                       const std::atomic<bool>& stop, const CellRunner& run,
                                       const Progress& progress, const SchedulerOptions& options);

// "m:ss".
std::string Clock(double seconds);

}  // namespace ocibench::run
