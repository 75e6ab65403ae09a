// Port of 7-Zip's CBenchRandomGenerator (CPP/7zip/UI/Common/Bench.cpp), written from its
// published algorithm; see shared research notes "Test data (CBenchRandomGenerator)".
#include "workloads/lzma/bench_data.h"

#include <algorithm>
#include <array>

namespace ocibench::lzma {
namespace {

constexpr std::size_t kAdditionalSize = 1 << 16;
constexpr unsigned kLiteralOnlyPrefix = 1024;  // GenerateLz writes literals only at first

// Multiply-with-carry pair (Marsaglia), as 7-Zip's CBaseRandomGenerator.
class BaseRng {
 public:
  explicit BaseRng(std::uint32_t salt) : salt_(salt) {}
  std::uint32_t Next() {
    a1_ = 36969 * (a1_ & 0xffff) + (a1_ >> 16);
    a2_ = 18000 * (a2_ & 0xffff) + (a2_ >> 16);
    return salt_ ^ ((a1_ << 16) + a2_);
  }

 private:
  std::uint32_t a1_ = 362436069;
  std::uint32_t a2_ = 521288629;
  std::uint32_t salt_;
};

std::uint32_t GetVal(std::uint32_t& r, unsigned bits) {
  std::uint32_t v = r & ((1u << bits) - 1);
  r >>= bits;
  return v;
}

std::uint32_t GetLen(std::uint32_t& r) {
  std::uint32_t len_bits = GetVal(r, 2);
  return GetVal(r, 1 + len_bits);
}

std::array<std::uint32_t, 256> Crc32Table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; i++) {
    std::uint32_t r = i;
    for (int j = 0; j < 8; j++) r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1)));
    t[i] = r;
  }
  return t;
}

}  // namespace

std::size_t BenchBufferSize(unsigned dict_log) {
  std::size_t dict = std::size_t{1} << dict_log;
  return dict >= (std::size_t{1} << 18) ? dict + kAdditionalSize : dict;
}

std::uint32_t BenchSalt(unsigned index) {
  static const auto table = Crc32Table();
  return table[index & 0xFF] ^ (table[(index >> 8) & 0xFF] << 3);
}

std::vector<std::uint8_t> GenerateBenchData(std::size_t size, std::uint32_t salt) {
  constexpr unsigned kDictBits = 32;
  std::vector<std::uint8_t> buf(size);
  BaseRng rng(salt);
  std::size_t pos = 0;
  std::uint32_t rep0 = 1;
  unsigned pos_bits = 1;
  while (pos < size) {
    std::uint32_t r = rng.Next();
    if (GetVal(r, 1) == 0 || pos < kLiteralOnlyPrefix) {
      buf[pos++] = static_cast<std::uint8_t>(r);
      continue;
    }
    std::uint32_t len = 1 + GetLen(r);
    if (GetVal(r, 3) != 0) {  // a new distance; otherwise repeat rep0
      len += GetLen(r);
      while ((std::size_t{1} << pos_bits) < pos) pos_bits++;
      const unsigned num_bits_max = std::min(kDictBits, pos_bits);
      const unsigned num_log_bits = num_bits_max <= 15 + 6 ? 4 : 5;
      for (;;) {
        const std::uint32_t ppp = GetVal(r, num_log_bits) + 6;
        r = rng.Next();
        if (ppp > num_bits_max) continue;
        rep0 = r & ((1u << ppp) - 1);
        if (rep0 < pos) break;
        r = rng.Next();
      }
      rep0++;
    }
    const std::size_t n = std::min<std::size_t>(len, size - pos);
    for (std::size_t i = 0; i < n; i++, pos++) buf[pos] = buf[pos - rep0];  // may overlap
  }
  return buf;
}

}  // namespace ocibench::lzma
