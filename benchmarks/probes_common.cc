// Flags, context and shared helpers of the probe families.
#include "benchmarks/probes_common.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "benchmarks/fixed_iterations.h"
#include "benchmarks/registry.h"

namespace ocibench::bench::probes {
namespace {

std::string g_scratch_base;  // --probes_scratch / OCIBENCH_SCRATCH; "" = $TMPDIR
double g_min_time = 0;       // --probes_min_time; 0 = each probe's own default
int g_pathlib_iterations = 0;
int g_iterations = 0;                    // --probes_iterations; 0 = timed
ocibench::probes::UsageFields g_fields;  // detected in Register()

// Destroyed at exit, after the benchmarks ran: removes the scratch directory. Forked children
// leave with _exit() so they never run this.
std::unique_ptr<ocibench::probes::ScratchDir> g_scratch;
std::map<std::string, std::string> g_fixtures;

std::string ScratchBase() {
  return g_scratch_base.empty() ? ocibench::probes::DefaultScratchBase() : g_scratch_base;
}

void AddFlags(CLI::App& app) {
  auto* g = app.add_option_group("Probes", "syscall, file, memory, process, IPC, network probes");
  g->add_option("--probes_scratch", g_scratch_base,
                "existing directory in which the probes make (and then remove) a fresh "
                "ocibench-probes-XXXXXX directory for their files; default $TMPDIR or /tmp")
      ->envname("OCIBENCH_SCRATCH")
      ->check(CLI::ExistingDirectory);
  g->add_option("--probes_min_time", g_min_time,
                "seconds each probe runs at least (overrides the probes' own defaults, which "
                "also override --benchmark_min_time); 0 = defaults")
      ->check(CLI::Range(0.0, 3600.0));
  g->add_option("--probes_pathlib_iterations", g_pathlib_iterations,
                "run the pathlib probes exactly N iterations (for strace -c); 0 = timed")
      ->check(CLI::Range(0, 1000000));
  g->add_option("--probes_iterations", g_iterations,
                "run every probe exactly N iterations, no calibration (the profiling pass's "
                "strace -c per iteration, docs/profile.md); 0 = timed")
      ->check(CLI::Range(0, 1000000));
}

void Register() {
  g_fields = ocibench::probes::DetectUsageFields();
  const std::string absent = ocibench::probes::AbsentFieldNames(g_fields);
  benchmark::AddCustomContext("probes_rusage_absent", absent.empty() ? "none" : absent);
  const std::string base = ScratchBase();
  benchmark::AddCustomContext("scratch_base", base);
  // The fresh directory is made in `base` so it is on the same filesystem.
  try {
    benchmark::AddCustomContext("scratch_fstype", ocibench::probes::FsTypeName(base));
  } catch (const std::exception& e) {
    benchmark::AddCustomContext("scratch_fstype", std::string("unknown: ") + e.what());
  }
}

}  // namespace

const std::string& ScratchPath() {
  if (!g_scratch) g_scratch = std::make_unique<ocibench::probes::ScratchDir>(ScratchBase());
  return g_scratch->path();
}

const std::string& FixtureDir(const std::string& name,
                              const std::function<void(const std::string&)>& fill) {
  auto it = g_fixtures.find(name);
  if (it != g_fixtures.end()) return it->second;
  const std::string dir = ScratchPath() + "/" + name;
  ocibench::probes::RemoveTree(dir);
  ocibench::probes::ScopedDir made(dir);  // removed again if fill throws
  fill(dir);
  made.Release();
  return g_fixtures.emplace(name, dir).first->second;
}

RusageMeter::RusageMeter(bool children) : children_(children) {
  self_ = ocibench::probes::GetUsage(RUSAGE_SELF);
  if (children_) child_ = ocibench::probes::GetUsage(RUSAGE_CHILDREN);
}

void RusageMeter::Report(benchmark::State& state) const {
  using benchmark::Counter;
  auto set = [&](const std::string& prefix, const ocibench::probes::Usage& d) {
    auto per_op = [](double v) { return Counter(v, Counter::kAvgIterations); };
    if (g_fields.nvcsw) state.counters[prefix + "ctxsw_vol"] = per_op(static_cast<double>(d.nvcsw));
    if (g_fields.nivcsw)
      state.counters[prefix + "ctxsw_invol"] = per_op(static_cast<double>(d.nivcsw));
    if (g_fields.minflt) state.counters[prefix + "minflt"] = per_op(static_cast<double>(d.minflt));
    if (g_fields.majflt) state.counters[prefix + "majflt"] = per_op(static_cast<double>(d.majflt));
    if (g_fields.cpu_time) {
      state.counters[prefix + "utime_s"] = per_op(d.utime_s);
      state.counters[prefix + "stime_s"] = per_op(d.stime_s);
    }
  };
  set("", ocibench::probes::GetUsage(RUSAGE_SELF) - self_);
  if (children_) set("child_", ocibench::probes::GetUsage(RUSAGE_CHILDREN) - child_);
}

void SkipErrno(benchmark::State& state, const std::string& call) {
  const int e = errno;
  state.SkipWithError((call + ": " + std::strerror(e)).c_str());
}

double MinTime(double dflt) { return g_min_time > 0 ? g_min_time : dflt; }
int PathlibIterations() { return g_pathlib_iterations; }
int ProbeIterations() {
  return g_iterations > 0 ? g_iterations : static_cast<int>(FixedIterations());
}

OCIBENCH_MODULE(probes, AddFlags, Register);

}  // namespace ocibench::bench::probes
