// SQLite storage of the record document (sql_store.h).
#include "workloads/apps/sql_store.h"

#include <sqlite3.h>

#include <stdexcept>

namespace ocibench::apps {

SqlStore::SqlStore(const std::string& path, Sync sync) : path_(path) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("sqlite3_open_v2: " + msg + " (" + path + ")");
  }
  try {
    Exec("PRAGMA journal_mode=WAL");
    Exec(sync == Sync::kFull     ? "PRAGMA synchronous=FULL"
         : sync == Sync::kNormal ? "PRAGMA synchronous=NORMAL"
                                 : "PRAGMA synchronous=OFF");
    Exec(
        "CREATE TABLE IF NOT EXISTS person(id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "email TEXT NOT NULL, city TEXT NOT NULL, active INTEGER NOT NULL, score REAL NOT NULL);"
        "CREATE TABLE IF NOT EXISTS item(person INTEGER NOT NULL REFERENCES person(id), "
        "sku TEXT NOT NULL, qty INTEGER NOT NULL, price REAL NOT NULL);"
        "CREATE INDEX IF NOT EXISTS person_city ON person(city);"
        "CREATE INDEX IF NOT EXISTS item_person ON item(person);");
    Check(sqlite3_prepare_v2(db_, "INSERT INTO person VALUES(?,?,?,?,?,?)", -1, &ins_person_,
                             nullptr),
          "sqlite3_prepare_v2");
    Check(sqlite3_prepare_v2(db_, "INSERT INTO item VALUES(?,?,?,?)", -1, &ins_item_, nullptr),
          "sqlite3_prepare_v2");
    Check(sqlite3_prepare_v2(db_,
                             "SELECT count(DISTINCT p.id), coalesce(sum(i.qty), 0) FROM person p "
                             "JOIN item i ON i.person = p.id WHERE p.city = ?",
                             -1, &sel_city_, nullptr),
          "sqlite3_prepare_v2");
  } catch (...) {
    Close();
    throw;
  }
}

SqlStore::~SqlStore() { Close(); }

void SqlStore::Close() {
  sqlite3_finalize(ins_person_);
  sqlite3_finalize(ins_item_);
  sqlite3_finalize(sel_city_);
  ins_person_ = ins_item_ = sel_city_ = nullptr;
  sqlite3_close(db_);
  db_ = nullptr;
}

void SqlStore::Check(int rc, const char* call) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  throw std::runtime_error(std::string("sqlite3 ") + call + ": " + sqlite3_errmsg(db_) + " (" +
                           path_ + ")");
}

void SqlStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("sqlite3 exec \"" + std::string(sql).substr(0, 40) + "\": " + msg +
                             " (" + path_ + ")");
  }
}

void SqlStore::Clear() { Exec("BEGIN; DELETE FROM item; DELETE FROM person; COMMIT"); }

std::size_t SqlStore::InsertRecord(const Record& r) {
  sqlite3_stmt* p = ins_person_;
  sqlite3_bind_int64(p, 1, r.id);
  sqlite3_bind_text(p, 2, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
  sqlite3_bind_text(p, 3, r.email.data(), static_cast<int>(r.email.size()), SQLITE_STATIC);
  sqlite3_bind_text(p, 4, r.city.data(), static_cast<int>(r.city.size()), SQLITE_STATIC);
  sqlite3_bind_int(p, 5, r.active ? 1 : 0);
  sqlite3_bind_double(p, 6, r.score);
  Check(sqlite3_step(p), "sqlite3_step");
  sqlite3_reset(p);
  for (const auto& it : r.items) {
    sqlite3_stmt* s = ins_item_;
    sqlite3_bind_int64(s, 1, r.id);
    sqlite3_bind_text(s, 2, it.sku.data(), static_cast<int>(it.sku.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, it.qty);
    sqlite3_bind_double(s, 4, it.price);
    Check(sqlite3_step(s), "sqlite3_step");
    sqlite3_reset(s);
  }
  return 1 + r.items.size();
}

std::size_t SqlStore::Insert(const Document& d, std::size_t per_txn) {
  if (per_txn == 0) per_txn = d.size();
  std::size_t rows = 0;
  for (std::size_t i = 0; i < d.size(); i += per_txn) {
    Exec("BEGIN");
    try {
      for (std::size_t j = i; j < d.size() && j < i + per_txn; j++) rows += InsertRecord(d[j]);
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    Exec("COMMIT");
  }
  return rows;
}

std::size_t SqlStore::InsertOne(const Record& r) {
  Exec("BEGIN");
  std::size_t rows = 0;
  try {
    rows = InsertRecord(r);
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  Exec("COMMIT");
  return rows;
}

SqlStore::CityTotals SqlStore::SelectCity(const std::string& city) {
  sqlite3_stmt* s = sel_city_;
  sqlite3_bind_text(s, 1, city.data(), static_cast<int>(city.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(s);
  Check(rc, "sqlite3_step");
  CityTotals t;
  if (rc == SQLITE_ROW) {
    t.people = sqlite3_column_int64(s, 0);
    t.qty = sqlite3_column_int64(s, 1);
  }
  sqlite3_reset(s);
  return t;
}

std::int64_t SqlStore::CountPeople() {
  sqlite3_stmt* s = nullptr;
  Check(sqlite3_prepare_v2(db_, "SELECT count(*) FROM person", -1, &s, nullptr),
        "sqlite3_prepare_v2");
  const int rc = sqlite3_step(s);
  const std::int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  Check(rc, "sqlite3_step");
  return n;
}

}  // namespace ocibench::apps
