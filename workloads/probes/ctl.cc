#include "workloads/probes/ctl.h"

#include <charconv>

namespace ocibench::probes {

std::uint64_t IntLoop(std::uint64_t seed, int steps) {
  std::uint64_t x = seed == 0 ? 1 : seed;
  for (int i = 0; i < steps; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

std::string MakeParseInput(int count) {
  std::string s;
  for (int i = 0; i < count; i++) {
    s += std::to_string(i);
    s += (i % 10 == 9) ? '\n' : ',';
  }
  return s;
}

long long ParseSum(const std::string& text) {
  long long sum = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    if (*p == ',' || *p == '\n') {
      p++;
      continue;
    }
    long long v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p) return -1;
    sum += v;
    p = next;
  }
  return sum;
}

}  // namespace ocibench::probes
