// The SQL workload: SQLite (libsqlite3) on a file, as an application keeps its data. Inserts of
// the record document in transactions, selects through an index, and one commit per row.
// Every failing call throws std::runtime_error "sqlite3 CALL: MESSAGE (PATH)".
#pragma once

#include <cstdint>
#include <string>

#include "workloads/apps/document.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ocibench::apps {

// PRAGMA synchronous: NORMAL syncs at checkpoints only (WAL), FULL syncs every commit.
enum class Sync { kOff, kNormal, kFull };

class SqlStore {
 public:
  // Opens (creates) the database file at `path` in WAL mode with `sync`, and creates the
  // tables `person` (id, name, email, city, active, score) and `item` (person, sku, qty,
  // price) with an index on person.city and on item.person if they do not exist.
  SqlStore(const std::string& path, Sync sync);
  ~SqlStore();
  SqlStore(const SqlStore&) = delete;
  SqlStore& operator=(const SqlStore&) = delete;

  // Deletes every row (one transaction).
  void Clear();
  // Inserts the records and their items, `per_txn` records per transaction (0 = all in one).
  // Returns the rows inserted (records + items).
  std::size_t Insert(const Document& d, std::size_t per_txn = 0);
  // One record and its items in a transaction of their own: one commit, so with kFull one
  // fsync of the WAL. Returns the rows inserted.
  std::size_t InsertOne(const Record& r);
  // SELECT through the city index joined to the items: the number of rows and their qty sum.
  struct CityTotals {
    std::int64_t people = 0;
    std::int64_t qty = 0;
  };
  CityTotals SelectCity(const std::string& city);
  std::int64_t CountPeople();

 private:
  void Close();
  void Exec(const char* sql);
  void Check(int rc, const char* call);
  std::size_t InsertRecord(const Record& r);

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* ins_person_ = nullptr;
  sqlite3_stmt* ins_item_ = nullptr;
  sqlite3_stmt* sel_city_ = nullptr;
};

}  // namespace ocibench::apps
