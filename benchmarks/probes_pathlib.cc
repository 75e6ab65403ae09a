// Probe_pathlib_*: pyperformance's bm_pathlib loop ported to C++ (workloads/probes/pathlib.h),
// the benchmark the pyperformance study saw 44x slower under Kata, and an interpreter-like
// import: a run of failed stats along a search path, then one open+read.
#include <sys/stat.h>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/pathlib.h"
#include "workloads/probes/tree.h"

namespace ocibench::bench::probes {
namespace {

namespace pp = ocibench::probes;

constexpr int kSearchPathDirs = 10;
constexpr int kModuleBytes = 2048;

void Pathlib(benchmark::State& state) {
  const std::string& dir =
      FixtureDir("pathlib", [](const std::string& d) { pp::MakePathlibTree(d); });
  // bm_pathlib's warm-up, untimed: list and stat everything once.
  pp::StatEach(dir, pp::ScanDir(dir));
  pp::PathlibCounts total;
  RusageMeter meter;
  for (auto _ : state) {
    pp::PathlibCounts c = pp::PathlibLoop(dir);
    total.listed += c.listed;
    total.matched += c.matched;
    total.stats += c.stats;
  }
  meter.Report(state);
  using benchmark::Counter;
  state.counters["stats"] = Counter(static_cast<double>(total.stats), Counter::kAvgIterations);
  state.counters["listed"] = Counter(static_cast<double>(total.listed), Counter::kAvgIterations);
  state.counters["matched"] = Counter(static_cast<double>(total.matched), Counter::kAvgIterations);
  const long want = 2 * (pp::kPathlibFiles + pp::kPathlibFiles / 4);
  if (total.stats != want * static_cast<long>(state.iterations()))
    state.SkipWithError(("pathlib loop did " + std::to_string(total.stats) + " stats, expected " +
                         std::to_string(want) + " per iteration")
                            .c_str());
}

// Search path p0..p9; the module is found in the last directory as "mod.py", after
// 9 x 5 + 3 = 48 failed stats.
void ImportLike(benchmark::State& state) {
  const std::string& dir = FixtureDir("import_path", [](const std::string& d) {
    for (int i = 0; i < kSearchPathDirs; i++) {
      const std::string p = d + "/p" + std::to_string(i);
      if (mkdir(p.c_str(), 0755) != 0)
        throw std::system_error(errno, std::generic_category(), "mkdir " + p);
      pp::WriteFile(p + "/other.py", 16);  // a neighbour, so the directories are not empty
    }
    pp::WriteFile(d + "/p" + std::to_string(kSearchPathDirs - 1) + "/mod.py", kModuleBytes);
  });
  std::vector<std::string> search;
  for (int i = 0; i < kSearchPathDirs; i++) search.push_back(dir + "/p" + std::to_string(i));
  long failed = 0;
  RusageMeter meter;
  for (auto _ : state) failed += pp::ImportLike(search, "mod").failed_lookups;
  meter.Report(state);
  state.counters["failed_lookups"] =
      benchmark::Counter(static_cast<double>(failed), benchmark::Counter::kAvgIterations);
}

void Register() {
  const int iters = PathlibIterations();
  auto* p = AddProbe("Probe_pathlib_bm_pathlib", iters > 0 ? 0 : 0.5, Pathlib);
  if (iters > 0) p->Iterations(iters);
  p->Unit(benchmark::kMillisecond);
  auto* i = AddProbe("Probe_pathlib_import_like", iters > 0 ? 0 : kDefaultMinTime, ImportLike);
  if (iters > 0) i->Iterations(iters);
  i->Unit(benchmark::kMicrosecond);
}

}  // namespace

OCIBENCH_MODULE(probes_pathlib, nullptr, Register);

}  // namespace ocibench::bench::probes
