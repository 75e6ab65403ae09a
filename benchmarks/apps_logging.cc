// Apps_logging_*: formatted lines to a file in the scratch directory, buffered, flushed per
// line (one write(2) each) and below the threshold; pyperformance's logging_simple,
// logging_format and logging_silent.
#include "benchmarks/apps_common.h"
#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/log_writer.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

// One line a pass; `level` below kInfo is filtered out before any formatting.
void Logging(benchmark::State& state, bool flush_each, wa::Level level) {
  wa::LogWriter w(probes::ScratchPath() + "/apps.log", flush_each, wa::Level::kInfo, 16u << 20);
  std::int64_t i = 0;
  for (auto _ : state) {
    w.Log(level, "app.worker", ++i, 4242, 3.5);
  }
  w.Flush();
  if (!Expect(state, "lines", static_cast<long long>(w.lines()), level < wa::Level::kInfo ? 0 : i))
    return;
  state.SetItemsProcessed(i);
  if (w.bytes() > 0) state.SetBytesProcessed(static_cast<std::int64_t>(w.bytes()));
}

void Register() {
  AddApp(
      "logging_buffered", [](benchmark::State& s) { Logging(s, false, wa::Level::kInfo); },
      benchmark::kNanosecond);
  AddApp(
      "logging_flush", [](benchmark::State& s) { Logging(s, true, wa::Level::kWarn); },
      benchmark::kNanosecond);
  AddApp(
      "logging_silent", [](benchmark::State& s) { Logging(s, false, wa::Level::kDebug); },
      benchmark::kNanosecond);
}

}  // namespace

OCIBENCH_MODULE(apps_logging, nullptr, Register);

}  // namespace ocibench::bench::apps
