// Probe_proc_*: making processes and threads. fork+exit+wait from a small and a large parent
// (page tables to copy), fork+exec and posix_spawn of a tiny static program — this binary
// with --ocibench_noop, which returns from main at once (workloads/probes/noop.h) — thread
// create+join, and the exec-to-main start-up time alone.
//
// Forked children leave with _exit(): exit() would run this binary's static destructors,
// which remove the scratch directory.
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"
#include "workloads/probes/noop.h"

extern char** environ;

namespace ocibench::bench::probes {
namespace {

constexpr const char* kSelf = "/proc/self/exe";

// Waits for `pid`; true if it exited with status 0, else SkipWithError naming `what`.
bool WaitOk(benchmark::State& state, pid_t pid, const std::string& what) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      SkipErrno(state, "waitpid (" + what + ")");
      return false;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
  state.SkipWithError((what + " failed: " + how).c_str());
  return false;
}

// Arg: MiB of touched anonymous memory the parent holds while forking.
void ForkExitWait(benchmark::State& state) {
  const auto len = static_cast<std::size_t>(state.range(0)) << 20;
  void* mem = nullptr;
  if (len > 0) {
    mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return SkipErrno(state, "mmap(parent memory)");
    madvise(mem, len, MADV_NOHUGEPAGE);  // 4 KiB pages: one PTE each, as a typical heap
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    for (std::size_t off = 0; off < len; off += page) static_cast<char*>(mem)[off] = 1;
  }
  RusageMeter meter(true);
  for (auto _ : state) {
    pid_t pid = fork();
    if (pid < 0) {
      SkipErrno(state, "fork");
      break;
    }
    if (pid == 0) _exit(0);
    if (!WaitOk(state, pid, "fork child")) break;
  }
  meter.Report(state);
  if (mem != nullptr) munmap(mem, len);
}

void ForkExecWait(benchmark::State& state) {
  RusageMeter meter(true);
  for (auto _ : state) {
    pid_t pid = fork();
    if (pid < 0) {
      SkipErrno(state, "fork");
      break;
    }
    if (pid == 0) {
      char* argv[] = {const_cast<char*>("ocibench-bench"),
                      const_cast<char*>(ocibench::probes::kNoopFlag), nullptr};
      execve(kSelf, argv, environ);
      _exit(127);
    }
    if (!WaitOk(state, pid, std::string("execve ") + kSelf)) break;
  }
  meter.Report(state);
}

void PosixSpawn(benchmark::State& state) {
  char* argv[] = {const_cast<char*>("ocibench-bench"),
                  const_cast<char*>(ocibench::probes::kNoopFlag), nullptr};
  RusageMeter meter(true);
  for (auto _ : state) {
    pid_t pid;
    int err = posix_spawn(&pid, kSelf, nullptr, nullptr, argv, environ);
    if (err != 0) {
      errno = err;
      SkipErrno(state, std::string("posix_spawn ") + kSelf);
      break;
    }
    if (!WaitOk(state, pid, std::string("posix_spawn ") + kSelf)) break;
  }
  meter.Report(state);
}

void* Nothing(void*) { return nullptr; }

void ThreadCreateJoin(benchmark::State& state) {
  RusageMeter meter;
  for (auto _ : state) {
    pthread_t t;
    int err = pthread_create(&t, nullptr, Nothing, nullptr);
    if (err != 0) {
      errno = err;
      SkipErrno(state, "pthread_create");
      break;
    }
    pthread_join(t, nullptr);
  }
  meter.Report(state);
}

// Manual time: from just before execve in the child to the first line of main in the new
// image, as that image measures it (CLOCK_MONOTONIC, passed on the command line).
void ExecToMain(benchmark::State& state) {
  RusageMeter meter(true);
  for (auto _ : state) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
      SkipErrno(state, "pipe2");
      break;
    }
    ocibench::probes::UniqueFd rd(p[0]), wr(p[1]);
    pid_t pid = fork();
    if (pid < 0) {
      SkipErrno(state, "fork");
      break;
    }
    if (pid == 0) {
      if (dup2(wr.get(), 1) < 0) _exit(126);
      char t0[32];
      std::snprintf(t0, sizeof t0, "%lld", ocibench::probes::MonotonicNs());
      char* argv[] = {const_cast<char*>("ocibench-bench"),
                      const_cast<char*>(ocibench::probes::kNoopFlag), t0, nullptr};
      execve(kSelf, argv, environ);
      _exit(127);
    }
    wr.Reset();
    char buf[64] = {};
    std::size_t got = 0;
    for (ssize_t n;
         got < sizeof buf - 1 && (n = read(rd.get(), buf + got, sizeof buf - 1 - got)) != 0;) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    if (!WaitOk(state, pid, std::string("execve ") + kSelf)) break;
    const long long ns = std::atoll(buf);
    if (ns <= 0) {
      state.SkipWithError("exec-to-main: the child printed no start-up time");
      break;
    }
    state.SetIterationTime(static_cast<double>(ns) * 1e-9);
  }
  meter.Report(state);
}

void Register() {
  AddProbe("Probe_proc_fork_exit_wait", kDefaultMinTime, ForkExitWait)
      ->Arg(0)
      ->Arg(256)
      ->ArgName("parent_mib")
      ->Unit(benchmark::kMicrosecond);
  AddProbe("Probe_proc_fork_exec_wait", kDefaultMinTime, ForkExecWait)
      ->Unit(benchmark::kMicrosecond);
  AddProbe("Probe_proc_posix_spawn_wait", kDefaultMinTime, PosixSpawn)
      ->Unit(benchmark::kMicrosecond);
  AddProbe("Probe_proc_thread_create_join", kDefaultMinTime, ThreadCreateJoin)
      ->Unit(benchmark::kMicrosecond);
  // Manual time, so not through AddProbe (Google Benchmark refuses real + manual time).
  benchmark::RegisterBenchmark("Probe_proc_exec_to_main", ExecToMain)
      ->UseManualTime()
      ->MinTime(MinTime(kDefaultMinTime))
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace

OCIBENCH_MODULE(probes_proc, nullptr, Register);

}  // namespace ocibench::bench::probes
