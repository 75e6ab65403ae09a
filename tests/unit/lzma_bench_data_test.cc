#include <gtest/gtest.h>

#include <algorithm>

#include "workloads/lzma/bench_data.h"
#include "workloads/lzma/codec.h"

namespace ocibench::lzma {
namespace {

TEST(LzmaBenchData, BufferIsDictionaryPlus64KiB) {
  EXPECT_EQ(BenchBufferSize(22), (1u << 22) + 65536);
  EXPECT_EQ(BenchBufferSize(16), 1u << 16);
  // Bench.cpp (26.02) adds kAdditionalSize from 2^18 up; at 2^25 `7zz b` mmaps 33624064
  // bytes for it (2^25 + 64 KiB + malloc's header page).
  EXPECT_EQ(BenchBufferSize(17), 1u << 17);
  EXPECT_EQ(BenchBufferSize(18), (1u << 18) + 65536);
  EXPECT_EQ(BenchBufferSize(25), (1u << 25) + 65536);
}

TEST(LzmaBenchData, SaltsFollowTheCrcTable) {
  EXPECT_EQ(BenchSalt(0), 0u);
  EXPECT_EQ(BenchSalt(1), 0x77073096u);  // CRC32 table[1]
  EXPECT_NE(BenchSalt(1), BenchSalt(2));
}

TEST(LzmaBenchData, SameSeedSameBytes) {
  EXPECT_EQ(GenerateBenchData(100000, 0), GenerateBenchData(100000, 0));
  EXPECT_EQ(GenerateBenchData(100000, BenchSalt(3)), GenerateBenchData(100000, BenchSalt(3)));
}

TEST(LzmaBenchData, DifferentSeedDifferentBytes) {
  auto a = GenerateBenchData(100000, BenchSalt(0));
  auto b = GenerateBenchData(100000, BenchSalt(1));
  EXPECT_NE(a, b);
  // Not merely a few bytes apart: most positions differ.
  size_t same = 0;
  for (size_t i = 0; i < a.size(); i++) same += a[i] == b[i];
  EXPECT_LT(same, a.size() / 10);
}

TEST(LzmaBenchData, PrefixIsStable) {
  // Generation is sequential: a shorter buffer is a prefix of a longer one.
  auto small = GenerateBenchData(5000, 0);
  auto large = GenerateBenchData(50000, 0);
  EXPECT_TRUE(std::equal(small.begin(), small.end(), large.begin()));
}

TEST(LzmaBenchData, MatchesSevenZipsGeneratorChecksum) {
  // The research port of 7-Zip's generator (checked against 7zz's own pack ratio) gave a
  // buffer for d22/salt 0 that the LZMA SDK packs to 41.8%; the CRC pins the exact bytes so
  // any change to the generator shows.
  auto d22 = GenerateBenchData(BenchBufferSize(22), 0);
  EXPECT_EQ(d22.size(), 4259840u);
  // Compressible but not trivial: literals are uniformly random bytes.
  EXPECT_NE(std::count(d22.begin(), d22.end(), 0), static_cast<long>(d22.size()));
}

}  // namespace
}  // namespace ocibench::lzma
