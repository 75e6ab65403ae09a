// Flags and shared inputs of the apps modules (apps_common.h).
#include "benchmarks/apps_common.h"

#include "benchmarks/registry.h"

namespace ocibench::bench::apps {
namespace {

double g_min_time = 0;         // --apps_min_time; 0 = each benchmark's default
std::size_t g_records = 1000;  // --apps_records

void AddFlags(CLI::App& app) {
  auto* g = app.add_option_group("Apps", "application-like workloads (docs/apps.md)");
  g->add_option("--apps_min_time", g_min_time,
                "seconds each apps benchmark runs at least; 0 = default 0.2")
      ->check(CLI::Range(0.0, 3600.0));
  g->add_option("--apps_records", g_records,
                "records in the serialize, XML and SQL document (~250 B of JSON each)")
      ->check(CLI::Range(1, 1000000));
}

}  // namespace

double MinTime(double dflt) { return g_min_time > 0 ? g_min_time : dflt; }
std::size_t Records() { return g_records; }

const ocibench::apps::Document& SharedDocument() {
  static const ocibench::apps::Document d = ocibench::apps::MakeDocument(g_records);
  return d;
}

bool Expect(benchmark::State& state, const char* what, long long got, long long want) {
  if (got == want) return true;
  state.SkipWithError(
      (std::string(what) + ": got " + std::to_string(got) + ", expected " + std::to_string(want))
          .c_str());
  return false;
}

OCIBENCH_MODULE(apps, AddFlags, [] {});

}  // namespace ocibench::bench::apps
