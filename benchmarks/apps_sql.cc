// Apps_sql_*: SQLite on a file in the probes' scratch directory (OCIBENCH_SCRATCH): inserts in
// transactions, selects through an index, and commits of one record each with
// synchronous=FULL, so every commit waits for fsync of the WAL (the runtime's file system and
// its sync path, which pyperformance's in-memory sqlite_synth never reaches).
#include "benchmarks/apps_common.h"
#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/apps/sql_store.h"

namespace ocibench::bench::apps {
namespace {

namespace wa = ocibench::apps;

constexpr std::size_t kPerTxn = 100;

std::string DbPath(const std::string& name) { return probes::ScratchPath() + "/" + name; }

// One pass: empty the tables, insert the document in transactions of kPerTxn records.
void InsertTxn(benchmark::State& state) {
  const wa::Document& d = SharedDocument();
  wa::SqlStore db(DbPath("apps-insert.db"), wa::Sync::kNormal);
  std::size_t rows = 0;
  for (auto _ : state) {
    db.Clear();
    rows += db.Insert(d, kPerTxn);
  }
  if (!Expect(state, "people", db.CountPeople(), static_cast<long long>(d.size()))) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(rows));
  state.counters["rows"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kAvgIterations);
}

// One pass: the indexed join select for every city; the people found must be the document's.
void SelectIndexed(benchmark::State& state) {
  const wa::Document& d = SharedDocument();
  wa::SqlStore db(DbPath("apps-select.db"), wa::Sync::kNormal);
  db.Clear();
  db.Insert(d);
  const std::int64_t want_qty = wa::QtySum(d);
  for (auto _ : state) {
    std::int64_t people = 0, qty = 0;
    for (const auto& c : wa::Cities()) {
      const auto t = db.SelectCity(c);
      people += t.people;
      qty += t.qty;
    }
    if (people != static_cast<std::int64_t>(d.size()) || qty != want_qty)
      return (void)Expect(state, "qty", qty, want_qty);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(wa::Cities().size() * state.iterations()));
}

// One pass: one record (and its items) in its own transaction, synchronous=FULL.
void CommitFull(benchmark::State& state) {
  wa::SqlStore db(DbPath("apps-commit.db"), wa::Sync::kFull);
  db.Clear();
  wa::Record r = SharedDocument().front();
  std::int64_t n = 0;
  for (auto _ : state) {
    r.id = ++n;
    db.InsertOne(r);
  }
  if (!Expect(state, "people", db.CountPeople(), n)) return;
  state.SetItemsProcessed(n);
}

void Register() {
  AddApp("sql_insert_txn", InsertTxn, benchmark::kMillisecond);
  AddApp("sql_select_indexed", SelectIndexed);
  AddApp("sql_commit_full", CommitFull);
}

}  // namespace

OCIBENCH_MODULE(apps_sql, nullptr, Register);

}  // namespace ocibench::bench::apps
