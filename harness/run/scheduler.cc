// RunScheduled: warm-ups, the pending cells, run.json updates, progress and ETA.
#include "harness/run/scheduler.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "harness/run/host_info.h"

namespace ocibench::run {
namespace {

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

std::string Clock(double s) {
  const int t = static_cast<int>(s);
  return fmt::format("{}:{:02d}", t / 60, t % 60);
}

std::map<CellStatus, int> RunScheduled(const RunPlan& plan, ResultsDir& results,
                                       const std::atomic<bool>& stop, const CellRunner& run,
                                       const Progress& progress, const SchedulerOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const GroupDef& first = plan.groups.at(0);
  for (int w = 0; w < options.warmup && !stop; ++w)
    for (const auto& rt : plan.runtimes) {
      if (stop) break;
      progress(fmt::format("warm-up {} ({}/{})", rt.name, w + 1, options.warmup), false);
      const CellOutcome o = run({-1, rt.name, first.name, 0}, true);
      if (o.status != CellStatus::kOk && o.status != CellStatus::kPending)
        results.Log(fmt::format("[warm-up {}] {}", rt.name, o.error));
    }

  const nlohmann::json cells = results.Run()["cells"];
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (cells[i].value("status", "") == Name(CellStatus::kPending)) todo.push_back(i);
  const double run_t0 = elapsed();
  std::size_t done = 0, skipped = 0;
  for (std::size_t i : todo) {
    if (stop) break;
    const auto& c = cells[i];
    const CellSpec spec{static_cast<int>(i), c["runtime"], c["group"], c["repetition"]};
    // ETA from the cells actually run (skipped ones take no time).
    std::size_t left = 0;
    for (std::size_t k = done + skipped; k < todo.size(); ++k)
      left += !options.skip.count(cells[todo[k]]["group"].get<std::string>());
    const double per = done ? (elapsed() - run_t0) / static_cast<double>(done) : 0;
    const std::string where = fmt::format("[{}/{}] {} {} rep {}", i + 1, cells.size(), spec.runtime,
                                          spec.group, spec.repetition);
    progress(fmt::format("{}  elapsed {}  ETA {}", where, Clock(elapsed()),
                         done ? Clock(per * static_cast<double>(left)) : "?"),
             false);
    const std::string started = UtcNow();
    CellOutcome o;
    if (const auto s = options.skip.find(spec.group); s != options.skip.end()) {
      o.status = CellStatus::kSkipped;
      o.error = s->second;
    } else {
      // Rows this cell wrote before an abort that kept it pending are replaced, not doubled.
      results.ForgetRows(fmt::format("{},{},{},", spec.runtime, spec.group, spec.repetition));
      o = run(spec, false);
    }
    if (o.status == CellStatus::kPending) break;  // interrupted: stays pending for --resume
    results.Update([&](nlohmann::json& doc) {
      auto& e = doc["cells"][i];
      e["status"] = Name(o.status);
      e["error"] = OrNull(o.error);
      e["file"] = OrNull(o.file);
      e["started"] = started;
      e["duration_s"] = o.duration_s;
      e["placement"] = o.placement ? nlohmann::json(Name(*o.placement)) : nlohmann::json(nullptr);
      e["scratch"] = o.scratch.is_null() ? nlohmann::json(nullptr) : o.scratch;
    });
    if (o.status == CellStatus::kSkipped) {
      ++skipped;
      continue;
    }
    if (o.status != CellStatus::kOk)
      progress(fmt::format("{}: {}: {}", where, Name(o.status), o.error), true);
    ++done;
  }
  std::map<CellStatus, int> counts;
  const nlohmann::json after = results.Run();
  for (const auto& c : after["cells"])
    if (const auto s = Parse<CellStatus>(c.value("status", ""))) counts[*s]++;
  return counts;
}

}  // namespace ocibench::run
