// Probe_sock_*: the cost of one small socket read/write, send/recv and a readiness wait on a
// socket, as a server makes them (issue 14: the costs of Redis's and nginx's socket calls,
// which the 4 KiB file read/write probes overstate under a sandbox's netstack). Both ends live
// in this one process, so an iteration is a fixed set of system calls (docs/profile.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"

namespace ocibench::bench::probes {
namespace {

using ocibench::probes::UniqueFd;

enum class Kind { kUnix, kTcp };
enum class Calls { kReadWrite, kSendRecv };

// A connected pair: a[0] writes, a[1] reads. false with `call` naming what failed.
bool Pair(Kind kind, UniqueFd (&a)[2], std::string& call) {
  if (kind == Kind::kUnix) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      call = "socketpair(AF_UNIX)";
      return false;
    }
    a[0] = UniqueFd(sv[0]);
    a[1] = UniqueFd(sv[1]);
    return true;
  }
  UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  call = "socket/bind/listen 127.0.0.1:0";
  if (!listener.ok() ||
      bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener.get(), 1) != 0 ||
      getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return false;
  a[0] = UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  call = "connect 127.0.0.1";
  if (!a[0].ok() || connect(a[0].get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return false;
  a[1] = UniqueFd(accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  call = "accept4";
  if (!a[1].ok()) return false;
  int one = 1;
  setsockopt(a[0].get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(a[1].get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

// One iteration = one write (or send) of N bytes on one end and one read (or recv) of them on
// the other: 2 system calls. A short transfer fails the probe (it would not be 2 calls).
void ReadWrite(benchmark::State& state, Kind kind, Calls calls) {
  const auto n = static_cast<std::size_t>(state.range(0));
  UniqueFd a[2];
  std::string call;
  if (!Pair(kind, a, call)) return SkipErrno(state, call);
  std::vector<char> out(n, 'x'), in(n);
  RusageMeter meter;
  for (auto _ : state) {
    const ssize_t w = calls == Calls::kReadWrite ? write(a[0].get(), out.data(), n)
                                                 : send(a[0].get(), out.data(), n, 0);
    ssize_t r = w == static_cast<ssize_t>(n)
                    ? (calls == Calls::kReadWrite ? read(a[1].get(), in.data(), n)
                                                  : recv(a[1].get(), in.data(), n, 0))
                    : -1;
    if (r != static_cast<ssize_t>(n)) {
      if (r >= 0 || w >= 0) errno = EPROTO;  // a short transfer
      SkipErrno(state, calls == Calls::kReadWrite ? "socket write/read" : "send/recv");
      break;
    }
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

// One iteration = one zero-timeout epoll_wait over a TCP socket with 64 bytes waiting (never
// read): a server's wakeup on a ready connection, through the netstack's readiness path.
void EpollReady(benchmark::State& state) {
  UniqueFd a[2];
  std::string call;
  if (!Pair(Kind::kTcp, a, call)) return SkipErrno(state, call);
  char b[64] = {};
  if (write(a[0].get(), b, sizeof b) != static_cast<ssize_t>(sizeof b))
    return SkipErrno(state, "write");
  UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
  if (!ep.ok()) return SkipErrno(state, "epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = a[1].get();
  if (epoll_ctl(ep.get(), EPOLL_CTL_ADD, a[1].get(), &ev) != 0)
    return SkipErrno(state, "epoll_ctl(EPOLL_CTL_ADD)");
  // Loopback delivery can lag the write in a user-space netstack: wait for it, untimed.
  epoll_event events[4];
  if (epoll_wait(ep.get(), events, 4, 5000) != 1) return SkipErrno(state, "epoll_wait (5 s)");
  RusageMeter meter;
  for (auto _ : state) {
    if (epoll_wait(ep.get(), events, 4, 0) != 1) {
      errno = EPROTO;
      SkipErrno(state, "epoll_wait (expected 1 ready socket)");
      break;
    }
  }
  meter.Report(state);
}

void Register() {
  AddProbe("Probe_sock_unix_rw", kDefaultMinTime, ReadWrite, Kind::kUnix, Calls::kReadWrite)
      ->Arg(64)
      ->ArgName("bytes");
  AddProbe("Probe_sock_tcp_rw", kDefaultMinTime, ReadWrite, Kind::kTcp, Calls::kReadWrite)
      ->Arg(64)
      ->ArgName("bytes");
  AddProbe("Probe_sock_tcp_sendrecv", kDefaultMinTime, ReadWrite, Kind::kTcp, Calls::kSendRecv)
      ->Arg(64)
      ->ArgName("bytes");
  AddProbe("Probe_sock_epoll_ready", kDefaultMinTime, EpollReady);
}

}  // namespace

OCIBENCH_MODULE(probes_sock, nullptr, Register);

}  // namespace ocibench::bench::probes
