// Round trips at every benchmark dictionary size for both codecs, and the error paths.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>

#include "workloads/lzma/bench_data.h"
#include "workloads/lzma/bench_job.h"
#include "workloads/lzma/codec.h"

namespace ocibench::lzma {
namespace {

struct Case {
  CodecKind kind;
  unsigned dict_log;
};

class LzmaRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(LzmaRoundTrip, DecodesToTheInput) {
  const auto [kind, dict_log] = GetParam();
  // Input smaller than the dictionary keeps the test fast; the encoder still allocates and
  // uses the full dictionary size in its properties.
  auto input = GenerateBenchData(1 << 20, BenchSalt(1));
  auto enc = MakeEncoder(kind, {.dict_log = dict_log});
  std::vector<std::uint8_t> packed;
  enc->Compress(input, packed);
  EXPECT_LT(packed.size(), input.size() * 6 / 10) << "benchmark data should compress to ~42%";
  auto props = enc->Properties();
  ASSERT_EQ(props.size(), 5u);
  EXPECT_EQ(props[0], (2 * 5 + 0) * 9 + 3);  // pb2 lp0 lc3
  EXPECT_EQ(props[1] | props[2] << 8 | props[3] << 16 | props[4] << 24, 1 << dict_log);
  std::vector<std::uint8_t> out(input.size());
  MakeDecoder(kind, props)->Decompress(packed, out);
  EXPECT_EQ(out, input);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return std::string(CodecName(info.param.kind)) + "_d" + std::to_string(info.param.dict_log);
}

INSTANTIATE_TEST_SUITE_P(AllDictionaries, LzmaRoundTrip,
                         ::testing::Values(Case{CodecKind::kSdk, 22}, Case{CodecKind::kSdk, 23},
                                           Case{CodecKind::kSdk, 24}, Case{CodecKind::kSdk, 25},
                                           Case{CodecKind::kXz, 22}, Case{CodecKind::kXz, 23},
                                           Case{CodecKind::kXz, 24}, Case{CodecKind::kXz, 25}),
                         CaseName);

class LzmaErrors : public ::testing::TestWithParam<CodecKind> {};

TEST_P(LzmaErrors, CrossDecodesTheOtherCodecsStream) {
  // Both write plain LZMA1 with the same properties, so each decodes the other's output.
  const CodecKind other = GetParam() == CodecKind::kSdk ? CodecKind::kXz : CodecKind::kSdk;
  auto input = GenerateBenchData(300000, 0);
  auto enc = MakeEncoder(other, {.dict_log = 22});
  std::vector<std::uint8_t> packed;
  enc->Compress(input, packed);
  std::vector<std::uint8_t> out(input.size());
  MakeDecoder(GetParam(), enc->Properties())->Decompress(packed, out);
  EXPECT_EQ(out, input);
}

TEST_P(LzmaErrors, TruncatedStreamIsAnError) {
  BenchJob job(GetParam(), 22);
  job.PreparePacked();
  job.packed().resize(job.packed().size() / 2);
  try {
    job.DecompressPass();
    FAIL() << "a stream cut in half decoded without error";
  } catch (const LzmaError& e) {
    EXPECT_NE(std::string(e.what()).find("trunc"), std::string::npos) << e.what();
  }
}

TEST_P(LzmaErrors, CorruptedStreamIsAnError) {
  BenchJob job(GetParam(), 22);
  job.PreparePacked();
  auto& packed = job.packed();
  // Flip bits all over the stream: the decoder either rejects the data, runs out of input, or
  // produces other bytes, which the CRC check must catch.
  for (size_t i = 100; i < packed.size(); i += 997) packed[i] ^= 0x5A;
  EXPECT_THROW(job.DecompressPass(), LzmaError);
}

TEST_P(LzmaErrors, EmptyStreamIsAnError) {
  auto enc = MakeEncoder(GetParam(), {.dict_log = 22});
  std::vector<std::uint8_t> out(1000);
  EXPECT_THROW(MakeDecoder(GetParam(), enc->Properties())->Decompress({}, out), LzmaError);
}

TEST_P(LzmaErrors, BadPropertiesAreAnError) {
  const std::vector<std::uint8_t> bad = {0xFF, 0, 0, 0x40, 0};  // lc/lp/pb byte out of range
  EXPECT_THROW(MakeDecoder(GetParam(), bad), LzmaError);
  EXPECT_THROW(MakeDecoder(GetParam(), std::vector<std::uint8_t>(3)), LzmaError);
}

TEST_P(LzmaErrors, DictionaryOutOfRangeIsAnError) {
  EXPECT_THROW(MakeEncoder(GetParam(), {.dict_log = 31}), LzmaError);
}

long PageFaults() {
  rusage r{};
  getrusage(RUSAGE_THREAD, &r);
  return r.ru_minflt + r.ru_majflt;
}

// The first timed pass must neither allocate nor first-touch memory: the quick preset times
// one pass, and under gVisor each page fault is a trap to the Sentry. Before BenchJob
// prepared its buffers, the first compression pass at 2^22 faulted 11436 (sdk) / 14562 (xz)
// times and liblzma's first decode 1031 times; a prepared pass faults fewer than 20.
class LzmaBenchJob : public ::testing::TestWithParam<CodecKind> {};

TEST_P(LzmaBenchJob, FirstTimedPassesDoNotPageFault) {
  BenchJob job(GetParam(), 22);
  long before = PageFaults();
  job.CompressPass();
  EXPECT_LT(PageFaults() - before, 200) << "compression pass";
  job.PreparePacked();
  before = PageFaults();
  job.DecompressPass();
  EXPECT_LT(PageFaults() - before, 200) << "decompression pass";
}

INSTANTIATE_TEST_SUITE_P(BothCodecs, LzmaErrors, ::testing::Values(CodecKind::kSdk, CodecKind::kXz),
                         [](const auto& info) { return std::string(CodecName(info.param)); });
INSTANTIATE_TEST_SUITE_P(BothCodecs, LzmaBenchJob,
                         ::testing::Values(CodecKind::kSdk, CodecKind::kXz),
                         [](const auto& info) { return std::string(CodecName(info.param)); });

}  // namespace
}  // namespace ocibench::lzma
