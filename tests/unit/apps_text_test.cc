// Unit tests of the apps regex (PCRE2) and logging workloads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "workloads/apps/log_writer.h"
#include "workloads/apps/regex_scan.h"

namespace ocibench::apps {
namespace {

namespace fs = std::filesystem;

TEST(AppsRegex, CountsThePlantedMatchesWithAndWithoutJit) {
  const Corpus c = MakeCorpus(2000);
  EXPECT_GT(c.emails, 100u);
  EXPECT_GT(c.levels, 100u);
  for (bool jit : {false, true}) {
    const RegexSet rs(jit);
    const auto n = rs.CountAll(c.text);
    ASSERT_EQ(n.size(), Patterns().size());
    EXPECT_EQ(n[0], c.emails) << jit;
    EXPECT_EQ(n[1], c.dates) << jit;
    EXPECT_EQ(n[2], c.urls) << jit;
    EXPECT_EQ(n[3], c.levels) << jit;
  }
  EXPECT_EQ(RegexSet(true).CountAll("x"), (std::vector<std::size_t>(Patterns().size(), 0)));
  EXPECT_EQ(RegexSet(false).CountAll("ab ab cd")[4], 1u);  // the backreference
}

class AppsLogging : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "ocibench-apps-log-XXXXXX").string();
    ASSERT_NE(mkdtemp(t.data()), nullptr);
    dir_ = t;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AppsLogging, WritesOneFormattedLinePerCallAboveTheThreshold) {
  const std::string p = (dir_ / "app.log").string();
  for (bool flush : {false, true}) {
    {
      LogWriter w(p, flush, Level::kInfo);
      for (int i = 0; i < 100; i++) w.Log(Level::kInfo, "app.worker", i, 4242, 3.5);
      EXPECT_FALSE(w.Log(Level::kDebug, "app.worker", 1, 1, 1));
      EXPECT_EQ(w.lines(), 100u);
      if (flush) {
        EXPECT_EQ(fs::file_size(p), w.bytes());  // flushed: all on disk already
      }
    }
    std::ifstream f(p);
    std::string s;
    int n = 0;
    while (std::getline(f, s)) {
      // "2026-12-01T18:00:00.123456Z INFO  app.worker request 7 of user 4242 took 3.5 ms"
      ASSERT_GT(s.size(), 28u) << s;
      EXPECT_EQ(s[4], '-') << s;
      EXPECT_EQ(s[10], 'T') << s;
      EXPECT_EQ(s[19], '.') << s;
      EXPECT_EQ(s.substr(26, 2), "Z ") << s;
      EXPECT_EQ(s.substr(28),
                "INFO  app.worker request " + std::to_string(n) + " of user 4242 took 3.5 ms")
          << s;
      n++;
    }
    EXPECT_EQ(n, 100);
  }
}

TEST_F(AppsLogging, RotatesPastTheLimit) {
  const std::string p = (dir_ / "r.log").string();
  LogWriter w(p, false, Level::kInfo, 1000);
  for (int i = 0; i < 200; i++) w.Log(Level::kError, "a", i, i, 1);
  w.Flush();
  EXPECT_GT(w.rotations(), 5u);
  EXPECT_LT(fs::file_size(p), 1100u);
}

TEST_F(AppsLogging, AMissingDirectoryIsNamed) {
  EXPECT_THROW(LogWriter((dir_ / "no" / "x.log").string(), false), std::system_error);
}

}  // namespace
}  // namespace ocibench::apps
