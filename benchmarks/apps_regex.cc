// Apps_regex_*: PCRE2 over the planted corpus (workloads/apps/regex_scan.h): compile the
// pattern set, scan with the JIT, scan with the interpreter; pyperformance's regex_compile,
// regex_effbot and regex_v8.
#include "benchmarks/apps_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/regex_scan.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

constexpr std::size_t kCorpusLines = 4000;  // ~260 KB

void RegexCompile(benchmark::State& state) {
  for (auto _ : state) {
    wa::RegexSet rs(true);
    benchmark::DoNotOptimize(&rs);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(wa::Patterns().size() * state.iterations()));
}

void RegexScan(benchmark::State& state, bool jit) {
  static const wa::Corpus c = wa::MakeCorpus(kCorpusLines);
  const wa::RegexSet rs(jit);
  std::size_t matches = 0;
  for (auto _ : state) {
    const auto n = rs.CountAll(c.text);
    if (n[0] != c.emails) return (void)Expect(state, "e-mail matches", n[0], c.emails);
    for (auto x : n) matches += x;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(c.text.size() * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(matches));
  state.counters["matches"] =
      benchmark::Counter(static_cast<double>(matches), benchmark::Counter::kAvgIterations);
}

void Register() {
  AddApp("regex_compile", RegexCompile);
  AddApp("regex_scan_jit", [](benchmark::State& s) { RegexScan(s, true); });
  AddApp("regex_scan_interp", [](benchmark::State& s) { RegexScan(s, false); });
}

}  // namespace

OCIBENCH_MODULE(apps_regex, nullptr, Register);

}  // namespace ocibench::bench::apps
