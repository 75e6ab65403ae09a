// Probe_net_*: the network stack on loopback (a sandbox's own netstack shows here): TCP
// request/response of 1 byte, TCP bulk transfer, and select/poll/epoll over 10 and 1000
// descriptors of which one is ready.
//
// Forked children leave with _exit() (see probes_proc.cc).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"

namespace ocibench::bench::probes {
namespace {

using ocibench::probes::ReadFull;
using ocibench::probes::UniqueFd;
using ocibench::probes::WriteFull;

constexpr std::size_t kBulkChunk = 64 << 10;

void Reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// A connected loopback TCP pair: a forked child serves the accepted side with `serve`.
// Returns the child's pid (or -1 with errno and `call` set) and the client socket.
template <class Serve>
pid_t Connect(UniqueFd& client, std::string& call, Serve serve) {
  auto fail = [&call](const char* what) {
    call = what;
    return pid_t{-1};
  };
  UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener.ok()) return fail("socket(AF_INET)");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return fail("bind 127.0.0.1:0");
  if (listen(listener.get(), 1) != 0) return fail("listen");
  if (getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return fail("getsockname");
  pid_t pid = fork();
  if (pid < 0) return fail("fork");
  if (pid == 0) {
    int conn = accept(listener.get(), nullptr, nullptr);
    if (conn < 0) _exit(1);
    NoDelay(conn);
    serve(conn);
    _exit(0);
  }
  client = UniqueFd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!client.ok() || connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    kill(pid, SIGKILL);
    Reap(pid);
    errno = e;
    return fail("connect 127.0.0.1");
  }
  NoDelay(client.get());
  return pid;
}

void TcpRequestResponse(benchmark::State& state) {
  ocibench::probes::ScopedIgnoreSigpipe no_sigpipe;
  UniqueFd sock;
  std::string call;
  RusageMeter meter(true);
  pid_t pid = Connect(sock, call, [](int conn) {
    char b;
    while (ReadFull(conn, &b, 1) && WriteFull(conn, &b, 1)) {
    }
  });
  if (pid < 0) return SkipErrno(state, call);
  char b = 'x';
  for (auto _ : state) {
    if (!WriteFull(sock.get(), &b, 1) || !ReadFull(sock.get(), &b, 1)) {
      SkipErrno(state, "tcp send/recv");
      break;
    }
  }
  sock.Reset();
  Reap(pid);
  meter.Report(state);
}

// One iteration = 64 KiB handed to the kernel; the child drains and discards.
void TcpBulk(benchmark::State& state) {
  ocibench::probes::ScopedIgnoreSigpipe no_sigpipe;
  UniqueFd sock;
  std::string call;
  RusageMeter meter(true);
  pid_t pid = Connect(sock, call, [](int conn) {
    std::vector<char> buf(kBulkChunk);
    while (read(conn, buf.data(), buf.size()) > 0) {
    }
  });
  if (pid < 0) return SkipErrno(state, call);
  std::vector<char> buf(kBulkChunk, 'x');
  for (auto _ : state) {
    if (!WriteFull(sock.get(), buf.data(), buf.size())) {
      SkipErrno(state, "tcp send");
      break;
    }
  }
  sock.Reset();
  Reap(pid);
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kBulkChunk));
}

enum class Wait { kSelect, kPoll, kEpoll };

// `n` eventfds, the last one readable; every call must report exactly that one.
void Multiplex(benchmark::State& state, Wait how) {
  const int n = static_cast<int>(state.range(0));
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < static_cast<rlim_t>(n + 64)) {
    rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, n + 64);
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  std::vector<UniqueFd> fds;
  for (int i = 0; i < n; i++) {
    fds.emplace_back(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!fds.back().ok()) return SkipErrno(state, "eventfd #" + std::to_string(i));
  }
  if (eventfd_write(fds.back().get(), 1) != 0) return SkipErrno(state, "eventfd_write");
  int maxfd = 0;
  for (auto& f : fds) maxfd = std::max(maxfd, f.get());
  if (how == Wait::kSelect && maxfd >= FD_SETSIZE) {
    state.SkipWithError("select: descriptor above FD_SETSIZE");
    return;
  }
  std::vector<pollfd> pfds;
  for (auto& f : fds) pfds.push_back({f.get(), POLLIN, 0});
  UniqueFd ep;
  if (how == Wait::kEpoll) {
    ep = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
    if (!ep.ok()) return SkipErrno(state, "epoll_create1");
    for (auto& f : fds) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = f.get();
      if (epoll_ctl(ep.get(), EPOLL_CTL_ADD, f.get(), &ev) != 0)
        return SkipErrno(state, "epoll_ctl(EPOLL_CTL_ADD)");
    }
  }
  epoll_event events[16];
  RusageMeter meter;
  for (auto _ : state) {
    int r = 0;
    const char* call = "";
    switch (how) {
      case Wait::kSelect: {
        fd_set set;
        FD_ZERO(&set);
        for (auto& f : fds) FD_SET(f.get(), &set);
        timeval zero{0, 0};
        r = select(maxfd + 1, &set, nullptr, nullptr, &zero);
        call = "select";
        break;
      }
      case Wait::kPoll:
        r = poll(pfds.data(), pfds.size(), 0);
        call = "poll";
        break;
      case Wait::kEpoll:
        r = epoll_wait(ep.get(), events, 16, 0);
        call = "epoll_wait";
        break;
    }
    if (r != 1) {
      if (r >= 0) errno = EPROTO;
      SkipErrno(state, std::string(call) + " (expected 1 ready descriptor)");
      break;
    }
  }
  meter.Report(state);
}

void Register() {
  AddProbe("Probe_net_tcp_rr", kDefaultMinTime, TcpRequestResponse);
  AddProbe("Probe_net_tcp_bulk", kDefaultMinTime, TcpBulk);
  AddProbe("Probe_net_select", kDefaultMinTime, Multiplex, Wait::kSelect)
      ->Arg(10)
      ->Arg(1000)
      ->ArgName("fds");
  AddProbe("Probe_net_poll", kDefaultMinTime, Multiplex, Wait::kPoll)
      ->Arg(10)
      ->Arg(1000)
      ->ArgName("fds");
  AddProbe("Probe_net_epoll", kDefaultMinTime, Multiplex, Wait::kEpoll)
      ->Arg(10)
      ->Arg(1000)
      ->ArgName("fds");
}

}  // namespace

OCIBENCH_MODULE(probes_net, nullptr, Register);

}  // namespace ocibench::bench::probes
