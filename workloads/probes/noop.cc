#include "workloads/probes/noop.h"

#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ocibench::probes {

long long MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

bool IsNoopInvocation(int argc, char** argv) {
  return argc >= 2 && std::strcmp(argv[1], kNoopFlag) == 0;
}

int RunNoop(int argc, char** argv) {
  if (argc < 3) return 0;
  const long long now = MonotonicNs();
  const long long t0 = std::strtoll(argv[2], nullptr, 10);
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%lld\n", now - t0);
  return write(1, buf, static_cast<size_t>(n)) == n ? 0 : 1;
}

}  // namespace ocibench::probes
