// RunDensity: N idle containers per runtime, measured, then removed.
#include "harness/startup/density_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "harness/startup/meminfo.h"

namespace ocibench::startup {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kMiB = 1 << 20;

double Ms(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// MemAvailable after the page cache is dropped (when asked) and the kernel settled a moment.
std::uint64_t SettledAvailable(Session& s, bool drop) {
  if (drop) {
    if (const std::string why = DropCaches(); !why.empty()) s.Log(why);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  return MemAvailableBytes();
}

}  // namespace

std::uint64_t DefaultFloor() {
  return std::max<std::uint64_t>(std::uint64_t{1} << 30, MemTotalBytes() / 10);
}

bool WouldCrossFloor(std::uint64_t available, std::uint64_t per_container, std::uint64_t floor) {
  const std::uint64_t step = std::max<std::uint64_t>(per_container, 64 * kMiB);
  return available < floor + 2 * step;
}

DensityOutcome RunDensity(Session& s, const DensityOptions& o) {
  DensityOutcome out;
  const std::uint64_t floor = o.floor_bytes ? o.floor_bytes : DefaultFloor();
  int serial = 0;
  for (const auto& e : s.runtimes()) {
    std::unique_ptr<StartupTarget> target;
    try {
      target = MakeTarget(e, Workload::kBench, Variant::kDefault, s.context());
    } catch (const std::exception& ex) {
      s.Log(fmt::format("{}: skipped: {}", e.name, ex.what()));
      ++out.failed;
      continue;
    }
    for (int n : o.counts) {
      if (Session::Stopped()) break;
      const std::uint64_t before = SettledAvailable(s, o.drop_caches);
      std::vector<std::unique_ptr<Kept>> kept;
      std::string status = "ok", error;
      std::uint64_t step = 0, last = before;
      std::vector<double> starts;
      while (static_cast<int>(kept.size()) < n) {
        if (Session::Stopped()) {
          status = "interrupted";
          error = "interrupted (Ctrl-C or SIGTERM)";
          break;
        }
        const std::uint64_t now = MemAvailableBytes();
        if (now < last) step = std::max(step, last - now);
        last = now;
        if (WouldCrossFloor(now, step, floor)) {
          status = "floor";
          error = fmt::format(
              "stopped at {} of {} containers: MemAvailable {} MiB would fall under the floor of "
              "{} MiB (--floor)",
              kept.size(), n, now / kMiB, floor / kMiB);
          break;
        }
        const std::string id = ContainerId(s.context(), e.name, fmt::format("d{}", serial++));
        try {
          kept.push_back(target->StartIdle(id));
          starts.push_back(kept.back()->StartedMs());
        } catch (const std::exception& ex) {
          status = "failed";
          error = fmt::format("container {} of {}: {}", kept.size() + 1, n, ex.what());
          break;
        }
      }
      if (!error.empty()) s.Log(fmt::format("{} N={}: {}", e.name, n, error));
      // Measured with every container still up (an idle one holds its memory).
      const std::uint64_t after = SettledAvailable(s, o.drop_caches);
      std::uint64_t pss = PssSum(target->SharedPids());
      for (const auto& k : kept) pss += PssSum(k->RuntimePids());
      const int started = static_cast<int>(kept.size());
      const auto t_down = Clock::now();
      kept.clear();  // each destructor kills and deletes its container
      const double teardown = Ms(t_down);
      // Signed: on a busy host MemAvailable can grow meanwhile, and a clamp would hide that.
      const auto per = [&](std::int64_t total) {
        return started ? fmt::format("{}", total / started) : std::string();
      };
      const auto used = static_cast<std::int64_t>(before) - static_cast<std::int64_t>(after);
      s.AppendCsv("density.csv", kDensityHeader,
                  fmt::format("{},{},{},{},{},{},{},{},{},{:.1f},{},{}\n", CsvField(e.name), n,
                              started, before, after, per(before > after ? before - after : 0),
                              per(pss), starts.empty() ? "" : fmt::format("{:.3f}", starts.front()),
                              starts.empty() ? "" : fmt::format("{:.3f}", starts.back()), teardown,
                              status, CsvField(error)));
      s.Progress(fmt::format("density: {} N={}: {} started, {:.1f} MiB/container", e.name, n,
                             started, started ? static_cast<double>(used) / started / kMiB : 0.0));
      if (status != "ok") ++out.failed;
      if (status == "floor") break;  // larger N would cross it too
    }
  }
  out.complete = !Session::Stopped();
  return out;
}

}  // namespace ocibench::startup
