// RunStartup: sequential start-up samples, then the concurrency sweep.
#include "harness/startup/startup_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "harness/run/host_info.h"

namespace ocibench::startup {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
  const run::RuntimeEntry* entry;
  Variant variant;
  Workload workload;
  std::unique_ptr<StartupTarget> target;
  std::vector<StartupSample> samples;
};

void Sequential(Session& s, const StartupOptions& o, StartupOutcome& out) {
  std::vector<Slot> slots;
  for (Workload w : o.workloads)
    for (Variant v : o.variants)
      for (const auto& e : s.runtimes()) {
        if (e.kind != RuntimeKind::kOci && v != Variant::kDefault) continue;  // bundles only
        Slot slot{&e, v, w, nullptr, {}};
        try {
          slot.target = MakeTarget(e, w, v, s.context());
        } catch (const std::exception& ex) {
          s.Log(fmt::format("{} {} {}: skipped: {}", e.name, ToString(v), ToString(w), ex.what()));
          ++out.failed;
          continue;
        }
        slots.push_back(std::move(slot));
      }
  // Interleaved: the k-th container of every slot, then the (k+1)-th, so drift of the host
  // hits every runtime alike.
  int k = 0;
  for (int i = 0; i < o.warmup + o.count && !Session::Stopped(); ++i) {
    const bool warm = i < o.warmup;
    for (auto& slot : slots) {
      if (Session::Stopped()) break;
      StartupSample x =
          slot.target->Once(ContainerId(s.context(), slot.entry->name, fmt::format("s{}", k++)));
      if (warm) continue;
      x.runtime = slot.entry->name;
      x.variant = ToString(slot.variant);
      x.workload = ToString(slot.workload);
      x.index = i - o.warmup;
      if (!x.ok()) s.Log(fmt::format("{} #{}: {}", x.runtime, x.index, x.error));
      s.AppendCsv("startup.csv", kStartupHeader, CsvRow(x));
      slot.samples.push_back(std::move(x));
    }
    s.Progress(fmt::format("startup: {}/{} rounds", i + 1, o.warmup + o.count));
  }
  for (const auto& slot : slots) {
    SequentialSummary sum;
    sum.runtime = slot.entry->name;
    sum.variant = ToString(slot.variant);
    sum.workload = ToString(slot.workload);
    std::vector<double> total, work;
    for (const auto& x : slot.samples) {
      if (!x.ok()) {
        ++sum.failed;
        continue;
      }
      total.push_back(x.total_ms);
      work.push_back(x.workload_ms);
    }
    sum.total = Summarize(total);
    sum.workload_ms = Summarize(work);
    out.failed += sum.failed;
    out.sequential.push_back(std::move(sum));
  }
}

void Concurrency(Session& s, const StartupOptions& o, const run::RuntimeEntry& e, Workload w,
                 int workers, StartupOutcome& out) {
  std::vector<std::unique_ptr<StartupTarget>> targets;
  try {
    for (int i = 0; i < workers; ++i)
      targets.push_back(MakeTarget(e, w, Variant::kDefault, s.context(), i + 1));
  } catch (const std::exception& ex) {
    s.Log(fmt::format("{} concurrency {}: skipped: {}", e.name, workers, ex.what()));
    ++out.failed;
    return;
  }
  std::vector<std::vector<StartupSample>> per(workers);
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration<double>(o.duration_s);
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; Clock::now() < deadline && !Session::Stopped(); ++k)
        per[i].push_back(targets[i]->Once(
            ContainerId(s.context(), e.name, fmt::format("c{}-{}-{}", workers, i, k))));
    });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> lat;
  std::vector<std::string> errors;
  std::string rows;
  int started = 0;
  for (int i = 0; i < workers; ++i)
    for (auto& x : per[i]) {
      x.runtime = e.name;
      x.variant = ToString(Variant::kDefault);
      x.workload = ToString(w);
      x.mode = "concurrent";
      x.workers = workers;
      x.index = started++;
      rows += CsvRow(x);
      if (x.ok())
        lat.push_back(x.total_ms);
      else
        errors.push_back(x.error);
    }
  s.AppendCsv("startup.csv", kStartupHeader, rows);
  const Percentiles p = Summarize(lat);
  s.AppendCsv(
      "concurrency.csv", kConcurrencyHeader,
      fmt::format("{},{},{},{:.3f},{},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{}\n",
                  CsvField(e.name), ToString(w), workers, elapsed, started, p.n, errors.size(),
                  p.n / elapsed, p.p50, p.p95, p.p99, p.max, CsvField(FailureReasons(errors))));
  out.failed += static_cast<int>(errors.size());
  s.Progress(fmt::format("concurrency: {} × {}: {:.1f} containers/s, {} failed", e.name, workers,
                         p.n / elapsed, errors.size()));
}

}  // namespace

std::string FailureReasons(const std::vector<std::string>& errors) {
  std::map<std::string, int> count;
  for (const auto& e : errors) ++count[e];
  std::vector<std::pair<std::string, int>> v(count.begin(), count.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [why, n] : v) out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", why, n);
  return out;
}

StartupOutcome RunStartup(Session& s, const StartupOptions& o) {
  StartupOutcome out;
  Sequential(s, o, out);
  for (Workload w : o.workloads)
    for (const auto& e : s.runtimes())
      for (int k : o.workers) {
        if (Session::Stopped()) break;
        Concurrency(s, o, e, w, k, out);
      }
  out.complete = !Session::Stopped();
  return out;
}

}  // namespace ocibench::startup
