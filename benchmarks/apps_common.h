// What the apps modules (benchmarks/apps_*.cc) share: their flags, the registration helper
// and the shared inputs. See docs/apps.md.
#pragma once

#include <benchmark/benchmark.h>

#include <exception>
#include <string>
#include <utility>

#include "benchmarks/fixed_iterations.h"
#include "workloads/apps/document.h"

namespace ocibench::bench::apps {

// --apps_min_time if given, else `dflt` (seconds).
double MinTime(double dflt);
// --apps_records: records in the serialize/XML/SQL document (default 1000, ~250 KB of JSON).
std::size_t Records();
// The document of Records() records, made once (seed 42).
const ocibench::apps::Document& SharedDocument();

constexpr double kDefaultMinTime = 0.2;  // seconds

// Registers fn(state) as an apps benchmark "Apps_<category>_<name>": real time, MinTime; an
// exception becomes SkipWithError(e.what()) so the others still run.
template <class Fn>
benchmark::internal::Benchmark* AddApp(const std::string& name, Fn&& fn,
                                       benchmark::TimeUnit unit = benchmark::kMicrosecond) {
  auto guarded = [fn = std::forward<Fn>(fn)](benchmark::State& state) {
    try {
      fn(state);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  };
  auto* b = benchmark::RegisterBenchmark(("Apps_" + name).c_str(), std::move(guarded));
  b->UseRealTime()->MinTime(MinTime(kDefaultMinTime))->Unit(unit);
  return Fixed(b);
}

// SkipWithError("WHAT: got GOT, expected WANT") unless got == want; returns got == want.
bool Expect(benchmark::State& state, const char* what, long long got, long long want);

}  // namespace ocibench::bench::apps
