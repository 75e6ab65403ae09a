// 7-Zip's rating formulas against values computed by hand and against `7zz b` output
// (figures quoted from 7-Zip 26.02's printout in the research notes, section 1.3).
#include <gtest/gtest.h>

#include "workloads/lzma/bench_data.h"
#include "workloads/lzma/rating.h"

namespace ocibench::lzma {
namespace {

TEST(LzmaRating, LogSizeOfPowersOfTwoHasNoMantissa) {
  EXPECT_EQ(LogSize(1u << 18), 18u << 8);
  EXPECT_EQ(LogSize(1u << 22), 22u << 8);
  // 3 * 2^20 = 1.5 * 2^21: the 8 bits below the top bit are 0b10000000.
  EXPECT_EQ(LogSize(3u << 20), (21u << 8) + 0x80);
}

TEST(LzmaRating, EncodeComplexityPerDictionary) {
  // 870 + 5 * (k - 18)^2
  EXPECT_EQ(EncodeComplexity(1u << 18), 870u);
  EXPECT_EQ(EncodeComplexity(1u << 22), 950u);
  EXPECT_EQ(EncodeComplexity(1u << 23), 995u);
  EXPECT_EQ(EncodeComplexity(1u << 24), 1050u);
  EXPECT_EQ(EncodeComplexity(1u << 25), 1115u);
  EXPECT_EQ(EncodeComplexity(1u << 16), 870u);  // clamped to 2^18
}

TEST(LzmaRating, CompressRatingMatchesSevenZipPrintout) {
  // `7zz b -mmt1 -md22`: 2991 KiB/s printed with 2910 MIPS.
  const double bytes_per_s = 2991.0 * 1024;
  EXPECT_EQ(ToMips(CompressRating(1u << 22, static_cast<std::uint64_t>(bytes_per_s), 1.0)), 2910u);
  // Hand computation: 1,000,000 bytes in 2 s at 2^22 -> 1e6 * 950 / 2 = 475e6.
  EXPECT_DOUBLE_EQ(CompressRating(1u << 22, 1000000, 2.0), 475e6);
}

TEST(LzmaRating, DecompressRatingWeightsPackedAndUnpackedBytes) {
  // (P*190 + U*4) / T with P = 400, U = 1000, T = 0.5 -> (76000 + 4000) / 0.5
  EXPECT_DOUBLE_EQ(DecompressRating(400, 1000, 0.5), 160000.0);
  EXPECT_EQ(ToMips(1499999.0), 1u);
  EXPECT_EQ(ToMips(1500000.0), 2u);
}

TEST(LzmaRating, PassCountsMatchSevenZip) {
  // Research notes 1.3: d22 -> 3 compression passes, d23..d25 -> 1; d22 decode -> 48 passes
  // for the 0.4178 pack ratio of the benchmark data.
  EXPECT_EQ(CompressPasses(BenchBufferSize(22)), 3u);
  EXPECT_EQ(CompressPasses(BenchBufferSize(23)), 1u);
  EXPECT_EQ(CompressPasses(BenchBufferSize(25)), 1u);
  EXPECT_EQ(DecompressPasses(1779688, BenchBufferSize(22)), 48u);
}

}  // namespace
}  // namespace ocibench::lzma
