// CellRecorder: status rules and the lifecycle row.
#include "harness/run/cell_recorder.h"

#include <fmt/format.h>

namespace ocibench::run {
namespace {
std::string Ms(double v) { return v < 0 ? "" : fmt::format("{:.3f}", v); }
}  // namespace

void CellRecorder::Fail(CellStatus status, const std::string& error) {
  if (stop_.load()) return Pending();
  if (status_ && *status_ != CellStatus::kOk) return;
  status_ = status;
  error_ = error;
}

void CellRecorder::Pending() {
  status_ = CellStatus::kPending;
  error_.clear();
}

std::string CellRecorder::LifecycleRow(const std::string& prefix) const {
  if (!has_lifecycle_) return "";
  const Lifecycle& l = lifecycle_;
  return fmt::format("{}{},{},{},{},{}\n", prefix, Ms(l.create_ms), Ms(l.start_ms),
                     Ms(l.first_output_ms), Ms(l.total_ms), Ms(l.delete_ms));
}

}  // namespace ocibench::run
