// The built ocibench-bench as users run it: static, Google Benchmark's flags and JSON, the
// LZMA counters present and plausible, and bad flags refused.
#include <elf.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/run_command.h"

namespace {

const std::string kBench = OCIBENCH_BENCH_PATH;

ocibench::testing::CommandOutput RunBench(const std::string& args) {
  return ocibench::testing::RunCommand(kBench + " " + args + " 2>&1");
}

TEST(BenchBinary, IsStaticallyLinked) {
  // A static executable has no PT_INTERP (dynamic loader) program header.
  std::ifstream f(kBench, std::ios::binary);
  ASSERT_TRUE(f) << kBench;
  Elf64_Ehdr eh;
  f.read(reinterpret_cast<char*>(&eh), sizeof eh);
  ASSERT_EQ(std::string(reinterpret_cast<char*>(eh.e_ident), 4),
            "\x7f"
            "ELF");
  if (!OCIBENCH_STATIC_BUILD) GTEST_SKIP() << "configured with -DOCIBENCH_STATIC=OFF";
  for (int i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    f.seekg(static_cast<std::streamoff>(eh.e_phoff + i * eh.e_phentsize));
    f.read(reinterpret_cast<char*>(&ph), sizeof ph);
    EXPECT_NE(ph.p_type, static_cast<unsigned>(PT_INTERP)) << "ocibench-bench needs a loader";
  }
}

TEST(BenchBinary, LzmaJsonHasSevenZipCounters) {
  auto r = RunBench(
      "--benchmark_filter='^LZMA_(Compress|Decompress)/sdk/dict:22/' --lzma_passes=1 "
      "--benchmark_format=json --benchmark_context=ocibench_runtime=native");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  EXPECT_EQ(j["context"]["ocibench_runtime"], "native");
  EXPECT_FALSE(j["context"]["lzma_sdk_version"].get<std::string>().empty());
  ASSERT_EQ(j["benchmarks"].size(), 2u);
  for (const auto& b : j["benchmarks"]) {
    SCOPED_TRACE(b["name"].get<std::string>());
    EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", "");
    EXPECT_EQ(b["iterations"], 1);
    // Any machine that runs this rates well above 10 MIPS and far below 1e6.
    EXPECT_GT(b["rating_MIPS"].get<double>(), 10);
    EXPECT_LT(b["rating_MIPS"].get<double>(), 1e6);
    EXPECT_NEAR(b["pack_ratio"].get<double>(), 0.418, 0.01);
    EXPECT_GT(b["usage_pct"].get<double>(), 10);
  }
}

TEST(BenchBinary, BadFlagIsRefusedWithExitCode2) {
  auto r = RunBench("--lzma_passes=-3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--lzma_passes"), std::string::npos) << r.out;
  r = RunBench("--no_such_flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--no_such_flag"), std::string::npos) << r.out;
}

}  // namespace
