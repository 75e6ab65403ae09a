// Apps_startup_exec: posix_spawn of ocibench-startup (workloads/apps/startup), a dynamically
// linked program with python3.11's shared libraries that reads 80 small files before its
// first output, timed from just before the spawn to its first line (manual time), like
// pyperformance's python_startup (2.8x under Kata in the study). total_ms adds the exit.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "benchmarks/apps_common.h"
#include "benchmarks/registry.h"

extern char** environ;

namespace ocibench::bench::apps {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string g_program;  // --apps_startup; "" = beside this binary
std::string g_site;     // --apps_startup_site; "" = beside this binary

std::string Beside(const char* name) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ((ec ? fs::path("/") : self.parent_path()) / name).string();
}

void AddFlags(CLI::App& app) {
  auto* g = app.add_option_group("Apps start-up", "the start-up program (docs/apps.md)");
  g->add_option("--apps_startup", g_program,
                "the ocibench-startup program; default: beside this binary");
  g->add_option("--apps_startup_site", g_site,
                "its site directory; default: startup-site beside this binary");
}

// Spawns the program with its stdout on a pipe; returns the seconds to the first line and
// to its exit (status 0 and a "ready modules=" line required), or throws naming what failed.
struct Times {
  double first = 0, total = 0;
};
Times RunOnce(const std::string& prog, const std::string& site) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  char* argv[] = {const_cast<char*>(prog.c_str()), const_cast<char*>(site.c_str()), nullptr};
  pid_t pid = 0;
  const auto t0 = Clock::now();
  const int err = posix_spawn(&pid, prog.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (err != 0) {
    close(p[0]);
    throw std::system_error(err, std::generic_category(), "posix_spawn " + prog);
  }
  std::string out;
  char buf[512];
  Times t;
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n <= 0) continue;
    if (out.empty()) t.first = std::chrono::duration<double>(Clock::now() - t0).count();
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(p[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  t.total = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !out.starts_with("ready modules="))
    throw std::runtime_error(prog + " " + site + " failed (status " + std::to_string(status) +
                             ", output \"" + out.substr(0, 80) +
                             "\"); run it by hand to see its error");
  return t;
}

void StartupExec(benchmark::State& state) {
  const std::string prog = g_program.empty() ? Beside("ocibench-startup") : g_program;
  const std::string site = g_site.empty() ? Beside("startup-site") : g_site;
  if (access(prog.c_str(), X_OK) != 0)
    return state.SkipWithError((prog + " not found: build the ocibench-startup target (it "
                                       "lives beside ocibench-bench) or give --apps_startup")
                                   .c_str());
  RunOnce(prog, site);  // warm: the page cache, as a second interpreter start finds it
  double total = 0;
  for (auto _ : state) {
    const Times t = RunOnce(prog, site);
    state.SetIterationTime(t.first);
    total += t.total;
  }
  state.counters["total_ms"] = benchmark::Counter(1e3 * total, benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void Register() {
  auto guarded = [](benchmark::State& s) {
    try {
      StartupExec(s);
    } catch (const std::exception& e) {
      s.SkipWithError(e.what());
    }
  };
  Fixed(benchmark::RegisterBenchmark("Apps_startup_exec", guarded)
            ->UseManualTime()
            ->MinTime(MinTime(kDefaultMinTime))
            ->Unit(benchmark::kMillisecond));
}

}  // namespace

OCIBENCH_MODULE(apps_startup, AddFlags, Register);

}  // namespace ocibench::bench::apps
