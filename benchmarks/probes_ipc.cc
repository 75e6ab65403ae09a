// Probe_ipc_*: talking to another process or thread: a pipe ping-pong between two processes
// (two context switches per round trip), a futex ping-pong between two threads, and a unix
// stream socket echo of 1 B and 96 KiB. One iteration = one round trip.
//
// Forked children leave with _exit() (see probes_proc.cc).
#include <linux/futex.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"

namespace ocibench::bench::probes {
namespace {

using ocibench::probes::ReadFull;
using ocibench::probes::UniqueFd;
using ocibench::probes::WriteFull;

// Echo child: reads `n` bytes from `in`, writes them to `out`, until end of file.
pid_t ForkEcho(int in, int out, std::size_t n, const std::vector<int>& close_in_child) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  for (int fd : close_in_child) close(fd);
  std::vector<char> buf(n);
  while (ReadFull(in, buf.data(), n) && WriteFull(out, buf.data(), n)) {
  }
  _exit(0);
}

void Reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

void PipePingPong(benchmark::State& state) {
  ocibench::probes::ScopedIgnoreSigpipe no_sigpipe;
  int to_child[2], to_parent[2];
  if (pipe(to_child) != 0) return SkipErrno(state, "pipe");
  if (pipe(to_parent) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return SkipErrno(state, "pipe");
  }
  UniqueFd c_rd(to_child[0]), c_wr(to_child[1]), p_rd(to_parent[0]), p_wr(to_parent[1]);
  RusageMeter meter(true);
  pid_t pid = ForkEcho(c_rd.get(), p_wr.get(), 1, {c_wr.get(), p_rd.get()});
  if (pid < 0) return SkipErrno(state, "fork");
  c_rd.Reset();
  p_wr.Reset();
  char b = 'x';
  for (auto _ : state) {
    if (!WriteFull(c_wr.get(), &b, 1) || !ReadFull(p_rd.get(), &b, 1)) {
      SkipErrno(state, "pipe write/read");
      break;
    }
  }
  c_wr.Reset();  // end of file: the child leaves
  Reap(pid);
  meter.Report(state);
}

long Futex(std::atomic<int>* addr, int op, int val) {
  return syscall(SYS_futex, reinterpret_cast<int*>(addr), op | FUTEX_PRIVATE_FLAG, val, nullptr,
                 nullptr, 0);
}

// state: 1 = ping (main -> partner), 2 = pong (partner -> main), 3 = stop.
void FutexPingPong(benchmark::State& state) {
  std::atomic<int> word{0};
  static_assert(sizeof(std::atomic<int>) == sizeof(int));
  std::thread partner([&word] {
    for (;;) {
      int v = word.load();
      if (v == 3) return;
      if (v == 1) {
        word.store(2);
        Futex(&word, FUTEX_WAKE, 1);
        continue;
      }
      Futex(&word, FUTEX_WAIT, v);
    }
  });
  RusageMeter meter;
  for (auto _ : state) {
    word.store(1);
    Futex(&word, FUTEX_WAKE, 1);
    for (int v; (v = word.load()) != 2;) {
      if (Futex(&word, FUTEX_WAIT, v) != 0 && errno != EAGAIN && errno != EINTR) {
        SkipErrno(state, "futex(FUTEX_WAIT)");
        break;
      }
    }
  }
  meter.Report(state);
  word.store(3);
  Futex(&word, FUTEX_WAKE, 1);
  partner.join();
}

void UnixStream(benchmark::State& state) {
  ocibench::probes::ScopedIgnoreSigpipe no_sigpipe;
  const auto n = static_cast<std::size_t>(state.range(0));
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return SkipErrno(state, "socketpair(AF_UNIX, SOCK_STREAM)");
  UniqueFd mine(sv[0]), theirs(sv[1]);
  RusageMeter meter(true);
  pid_t pid = ForkEcho(theirs.get(), theirs.get(), n, {mine.get()});
  if (pid < 0) return SkipErrno(state, "fork");
  theirs.Reset();
  std::vector<char> buf(n, 'x');
  for (auto _ : state) {
    if (!WriteFull(mine.get(), buf.data(), n) || !ReadFull(mine.get(), buf.data(), n)) {
      SkipErrno(state, "unix socket send/recv");
      break;
    }
  }
  mine.Reset();
  Reap(pid);
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * 2 * static_cast<std::int64_t>(n));
}

void Register() {
  AddProbe("Probe_ipc_pipe_pingpong", kDefaultMinTime, PipePingPong);
  AddProbe("Probe_ipc_futex_pingpong", kDefaultMinTime, FutexPingPong);
  AddProbe("Probe_ipc_unix_stream_echo", kDefaultMinTime, UnixStream)
      ->Arg(1)
      ->Arg(96 << 10)
      ->ArgName("bytes");
}

}  // namespace

OCIBENCH_MODULE(probes_ipc, nullptr, Register);

}  // namespace ocibench::bench::probes
