// SyscallProbeTable: which probe stands for which system call, and how many system calls the
// probe's loop makes per iteration (read off each loop in benchmarks/probes_*.cc, see
// docs/profile.md; a probe whose loop is not a fixed set of calls is not used here).
#include "harness/profile/syscall_probes.h"

#include <algorithm>

namespace ocibench::profile {

const std::vector<SyscallProbe>& SyscallProbeTable() {
  static const std::vector<SyscallProbe> table = {
      // A bare trap: syscall(SYS_getpid), one call.
      {"getpid", "Probe_sys_getpid_raw", 1},
      {"gettid", "Probe_sys_getpid_raw", 1},
      {"clock_gettime", "Probe_sys_clock_gettime_raw", 1},
      {"gettimeofday", "Probe_sys_gettimeofday_raw", 1},
      // open + close of one file.
      {"openat", "Probe_fs_open_close", 2},
      {"open", "Probe_fs_open_close", 2},
      {"close", "Probe_fs_open_close", 2},
      // stat of a file one directory down: one newfstatat.
      {"newfstatat", "Probe_fs_stat_depth/depth:1", 1},
      {"stat", "Probe_fs_stat_depth/depth:1", 1},
      {"lstat", "Probe_fs_stat_depth/depth:1", 1},
      {"fstat", "Probe_fs_stat_depth/depth:1", 1},
      {"statx", "Probe_fs_stat_depth/depth:1", 1},
      // A path lookup that fails (ENOENT): one newfstatat.
      {"access", "Probe_fs_stat_missing", 1},
      {"faccessat", "Probe_fs_stat_missing", 1},
      {"faccessat2", "Probe_fs_stat_missing", 1},
      {"readlink", "Probe_fs_stat_missing", 1},
      // open, getdents64 (64 entries), getdents64 (end), close.
      {"getdents64", "Probe_fs_getdents/entries:64", 4},
      // One 4 KiB read or write of a file (the page cache).
      {"read", "Probe_io_seq_read/block:4096", 1},
      {"pread64", "Probe_io_seq_read/block:4096", 1},
      {"readv", "Probe_io_seq_read/block:4096", 1},
      {"write", "Probe_io_seq_write/block:4096", 1},
      {"pwrite64", "Probe_io_seq_write/block:4096", 1},
      {"writev", "Probe_io_seq_write/block:4096", 1},
      // pwrite + fsync.
      {"fsync", "Probe_io_write_fsync/block:4096", 2},
      {"fdatasync", "Probe_io_write_fsync/block:4096", 2},
      // mmap + touch (one page fault) + munmap of 4 KiB.
      {"mmap", "Probe_mem_mmap_touch_munmap/bytes:4096", 2},
      {"munmap", "Probe_mem_mmap_touch_munmap/bytes:4096", 2},
      {"mprotect", "Probe_mem_mmap_touch_munmap/bytes:4096", 2},
      {"madvise", "Probe_mem_mmap_touch_munmap/bytes:4096", 2},
      {"brk", "Probe_mem_mmap_touch_munmap/bytes:4096", 2},
      // Two threads: wake + wait each per round trip, but a wait that finds the word already
      // changed returns without a call: `ocibench run --profile` measured 2.3 futex calls per
      // round trip natively here (2026-12-01), not 4. Approximate: the share of waits that
      // block can differ in a runtime.
      {"futex", "Probe_ipc_futex_pingpong", 2.3},
      // One readiness check of 10 descriptors.
      {"epoll_wait", "Probe_net_epoll/fds:10", 1},
      {"epoll_pwait", "Probe_net_epoll/fds:10", 1},
      {"poll", "Probe_net_poll/fds:10", 1},
      {"ppoll", "Probe_net_poll/fds:10", 1},
      {"select", "Probe_net_select/fds:10", 1},
      {"pselect6", "Probe_net_select/fds:10", 1},
      // One 64-byte send + recv over a connected loopback TCP pair in one process.
      {"sendto", "Probe_sock_tcp_sendrecv/bytes:64", 2},
      {"recvfrom", "Probe_sock_tcp_sendrecv/bytes:64", 2},
      {"sendmsg", "Probe_sock_tcp_sendrecv/bytes:64", 2},
      {"recvmsg", "Probe_sock_tcp_sendrecv/bytes:64", 2},
      // Else (a run from before the socket probes): a 1-byte TCP round trip to a child process,
      // write + read on each side.
      {"sendto", "Probe_net_tcp_rr", 4},
      {"recvfrom", "Probe_net_tcp_rr", 4},
      {"sendmsg", "Probe_net_tcp_rr", 4},
      {"recvmsg", "Probe_net_tcp_rr", 4},
      // The same calls on a socket (--fd-kind socket, a traced server: strace -c cannot tell
      // fd kinds): one 64-byte write + read over loopback TCP; a wait on a ready TCP socket.
      {"read@socket", "Probe_sock_tcp_rw/bytes:64", 2},
      {"readv@socket", "Probe_sock_tcp_rw/bytes:64", 2},
      {"write@socket", "Probe_sock_tcp_rw/bytes:64", 2},
      {"writev@socket", "Probe_sock_tcp_rw/bytes:64", 2},
      {"epoll_wait@socket", "Probe_sock_epoll_ready", 1},
      {"epoll_pwait@socket", "Probe_sock_epoll_ready", 1},
      // The same calls on a socket of the host's network stack (--fd-kind host-socket: a
      // server cell on the host network, the default placement): the socket's work is the
      // host kernel's, as natively, so what a runtime adds is entering the call, the bare trap.
      // Measured (harness/profile/runsc-net-cost, docs/profile.md): under runsc --network=host
      // a loopback TCP read/write, send/recv or ready epoll_wait costs the sandbox 0.95-1.45x a
      // getpid's added CPU time (two noisy runs); on gVisor's own netstack (the probes cell)
      // a read/write 2.2-2.8x. One trap is the lower end: the host's socket work is not added.
      {"read@hostnet", "Probe_sys_getpid_raw", 1},
      {"readv@hostnet", "Probe_sys_getpid_raw", 1},
      {"write@hostnet", "Probe_sys_getpid_raw", 1},
      {"writev@hostnet", "Probe_sys_getpid_raw", 1},
      {"sendto@hostnet", "Probe_sys_getpid_raw", 1},
      {"recvfrom@hostnet", "Probe_sys_getpid_raw", 1},
      {"sendmsg@hostnet", "Probe_sys_getpid_raw", 1},
      {"recvmsg@hostnet", "Probe_sys_getpid_raw", 1},
      {"epoll_wait@hostnet", "Probe_sys_getpid_raw", 1},
      {"epoll_pwait@hostnet", "Probe_sys_getpid_raw", 1},
  };
  return table;
}

std::optional<FdKind> ParseFdKind(const std::string& text) {
  if (text == "file") return FdKind::kFile;
  if (text == "socket") return FdKind::kSocket;
  if (text == "host-socket") return FdKind::kHostSocket;
  return std::nullopt;
}

const char* FdKindName(FdKind k) {
  switch (k) {
    case FdKind::kSocket:
      return "socket";
    case FdKind::kHostSocket:
      return "host-socket";
    case FdKind::kFile:
      break;
  }
  return "file";
}

std::map<std::string, double> WithFdKind(const std::map<std::string, double>& calls, FdKind k) {
  if (k == FdKind::kFile) return calls;
  auto has = [](const std::string& row) {
    return std::any_of(SyscallProbeTable().begin(), SyscallProbeTable().end(),
                       [&](const SyscallProbe& p) { return p.syscall == row; });
  };
  std::map<std::string, double> out;
  for (const auto& [name, n] : calls) {
    const std::string host = name + kHostSocketSuffix, sock = name + kSocketSuffix;
    if (k == FdKind::kHostSocket && has(host))
      out[host] += n;
    else
      out[has(sock) ? sock : name] += n;
  }
  return out;
}

}  // namespace ocibench::profile
