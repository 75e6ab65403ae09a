#include "workloads/lzma/rating.h"

#include <algorithm>
#include <bit>

namespace ocibench::lzma {
namespace {
constexpr std::uint64_t kComplexInCommands = std::uint64_t{1} << 34;
constexpr std::uint64_t kEncCommandsPerByte = 1200;
constexpr std::uint64_t kMinDictForComplexity = std::uint64_t{1} << 18;
}  // namespace

std::uint32_t LogSize(std::uint64_t x) {
  if (x == 0) return 0;
  const unsigned k = 63 - std::countl_zero(x);
  const std::uint64_t mant = k >= 8 ? (x >> (k - 8)) : (x << (8 - k));
  return (k << 8) + static_cast<std::uint32_t>(mant & 0xFF);
}

std::uint64_t EncodeComplexity(std::uint64_t dict_size) {
  const std::uint64_t t = LogSize(std::max(dict_size, kMinDictForComplexity)) - (18u << 8);
  return 870 + ((t * t * 5) >> 16);
}

double CompressRating(std::uint64_t dict_size, std::uint64_t unpacked_bytes, double seconds) {
  return static_cast<double>(unpacked_bytes) * static_cast<double>(EncodeComplexity(dict_size)) /
         seconds;
}

double DecompressRating(std::uint64_t packed_bytes, std::uint64_t unpacked_bytes, double seconds) {
  return (static_cast<double>(packed_bytes) * kDecComplexCompr +
          static_cast<double>(unpacked_bytes) * kDecComplexUnc) /
         seconds;
}

std::uint64_t ToMips(double rating) {
  return (static_cast<std::uint64_t>(rating) + 500000) / 1000000;
}

std::uint64_t CompressPasses(std::uint64_t buffer_size) {
  const std::uint64_t commands = std::max<std::uint64_t>(buffer_size, 100) * kEncCommandsPerByte;
  return std::max<std::uint64_t>(1, kComplexInCommands / std::max<std::uint64_t>(16, commands));
}

std::uint64_t DecompressPasses(std::uint64_t packed_size, std::uint64_t buffer_size) {
  const std::uint64_t commands = packed_size * kDecComplexCompr + buffer_size * kDecComplexUnc;
  return std::max<std::uint64_t>(1, kComplexInCommands / std::max<std::uint64_t>(1, commands));
}

}  // namespace ocibench::lzma
