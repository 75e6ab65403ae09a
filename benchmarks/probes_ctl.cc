// Probe_ctl_*: CPU-only controls (no syscall, no page fault in the loop). They should come
// out at ~1x of bare metal in every runtime; their spread is the noise floor of a comparison.
#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/ctl.h"

namespace ocibench::bench::probes {
namespace {

constexpr int kIntSteps = 10000;
constexpr int kParseNumbers = 1000;

void IntLoop(benchmark::State& state) {
  RusageMeter meter;
  std::uint64_t seed = 88172645463325252ULL;
  for (auto _ : state) {
    seed = ocibench::probes::IntLoop(seed, kIntSteps);
    benchmark::DoNotOptimize(seed);
  }
  meter.Report(state);
  state.SetItemsProcessed(state.iterations() * kIntSteps);
}

void ParseLoop(benchmark::State& state) {
  const std::string text = ocibench::probes::MakeParseInput(kParseNumbers);
  const long long expect = static_cast<long long>(kParseNumbers) * (kParseNumbers - 1) / 2;
  RusageMeter meter;
  for (auto _ : state) {
    long long sum = ocibench::probes::ParseSum(text);
    if (sum != expect) {
      state.SkipWithError("ParseSum returned a wrong sum");
      break;
    }
    benchmark::DoNotOptimize(sum);
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void Register() {
  AddProbe("Probe_ctl_int_loop", kDefaultMinTime, IntLoop);
  AddProbe("Probe_ctl_parse_loop", kDefaultMinTime, ParseLoop);
}

}  // namespace

OCIBENCH_MODULE(probes_ctl, nullptr, Register);

}  // namespace ocibench::bench::probes
