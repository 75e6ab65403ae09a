// Unit tests of the apps SQL workload: SQLite on a file in a temporary directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "workloads/apps/document.h"
#include "workloads/apps/sql_store.h"

namespace ocibench::apps {
namespace {

namespace fs = std::filesystem;

class AppsSql : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "ocibench-apps-sql-XXXXXX").string();
    ASSERT_NE(mkdtemp(t.data()), nullptr);
    dir_ = t;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AppsSql, InsertsCountAndIndexedSelectsAgreeWithTheDocument) {
  const Document d = MakeDocument(500);
  SqlStore s((dir_ / "a.db").string(), Sync::kNormal);
  EXPECT_EQ(s.Insert(d, 64), d.size() + ItemCount(d));
  EXPECT_EQ(s.CountPeople(), 500);
  std::int64_t people = 0, qty = 0;
  for (const auto& c : Cities()) {
    const auto t = s.SelectCity(c);
    std::int64_t want = 0;
    for (const auto& r : d) want += r.city == c;
    EXPECT_EQ(t.people, want) << c;
    people += t.people;
    qty += t.qty;
  }
  EXPECT_EQ(people, 500);
  EXPECT_EQ(qty, QtySum(d));
  EXPECT_EQ(s.SelectCity("Nowhere").people, 0);
  s.Clear();
  EXPECT_EQ(s.CountPeople(), 0);
}

TEST_F(AppsSql, CommitsPerRowWithFullSyncPersist) {
  const Document d = MakeDocument(20);
  {
    SqlStore s((dir_ / "b.db").string(), Sync::kFull);
    for (const auto& r : d) s.InsertOne(r);
  }
  SqlStore again((dir_ / "b.db").string(), Sync::kOff);
  EXPECT_EQ(again.CountPeople(), 20);
}

TEST_F(AppsSql, ADuplicateKeyThrowsAndRollsBack) {
  const Document d = MakeDocument(5);
  SqlStore s((dir_ / "c.db").string(), Sync::kNormal);
  s.Insert(d);
  EXPECT_THROW(s.Insert(d), std::runtime_error);
  EXPECT_EQ(s.CountPeople(), 5);
}

TEST_F(AppsSql, AnUnwritablePathIsNamed) {
  try {
    SqlStore s((dir_ / "missing" / "x.db").string(), Sync::kNormal);
    FAIL() << "opened a database in a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing/x.db"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ocibench::apps
