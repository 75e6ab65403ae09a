#include "harness/report/results.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "harness/benchjson/benchjson.h"
#include "harness/report/csv_line.h"
#include "harness/report/where_check.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Where the bench itself ran: in the runtime, unless the placement kept the client native
// (server-only: the server was in the runtime, the bench on the host). Only a bench that ran in
// the runtime says what the runtime gave it (where_* context).
bool BenchRanInTheRuntime(const json& doc) {
  const std::string placement = doc["context"].value("ocibench_placement", "");
  if (placement.empty()) return true;
  const auto p = Parse<Placement>(placement);
  return !p || *p == Placement::kNative || TermOf(*p).client == Side::kRuntime;
}

// JSON files of the contract are read as benchmark JSON is (one rule for the error lines).
json ReadJson(const fs::path& p) {
  try {
    return benchjson::ReadFile(p);
  } catch (const benchjson::Error& e) {
    throw ResultsError(e.what());
  }
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw ResultsError(fmt::format("{}: cannot read (missing or not readable)", p.string()));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Reads a CSV with a header into rows of named fields; checks the required columns.
std::vector<std::map<std::string, std::string>> ReadCsv(const fs::path& p,
                                                        const std::vector<std::string>& required) {
  std::istringstream in(ReadFile(p));
  std::string line;
  if (!std::getline(in, line)) throw ResultsError(fmt::format("{}: empty (no header)", p.string()));
  const auto header = SplitCsvLine(line);
  for (const auto& r : required) {
    if (std::find(header.begin(), header.end(), r) == header.end())
      throw ResultsError(fmt::format("{}: header lacks column '{}'", p.string(), r));
  }
  std::vector<std::map<std::string, std::string>> rows;
  int lineno = 1;
  while (std::getline(in, line)) {
    lineno++;
    if (line.empty() || line == "\r") continue;
    const auto fields = SplitCsvLine(line);
    if (fields.size() != header.size())
      throw ResultsError(fmt::format("{}:{}: {} fields, the header has {}", p.string(), lineno,
                                     fields.size(), header.size()));
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); i++) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<double> Num(const fs::path& p, const std::map<std::string, std::string>& row,
                          const std::string& col) {
  auto it = row.find(col);
  if (it == row.end() || it->second.empty()) return std::nullopt;  // empty = not available
  try {
    std::size_t used = 0;
    const double v = std::stod(it->second, &used);
    if (used != it->second.size()) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    throw ResultsError(
        fmt::format("{}: column '{}' holds '{}', not a number", p.string(), col, it->second));
  }
}

int Int(const fs::path& p, const std::map<std::string, std::string>& row, const std::string& col) {
  auto v = Num(p, row, col);
  if (!v) throw ResultsError(fmt::format("{}: column '{}' is empty", p.string(), col));
  return static_cast<int>(*v);
}

// The rows of memory.csv or lifecycle.csv; none, and a note that `section` is left out, when the
// file is absent.
std::vector<std::map<std::string, std::string>> OptionalCsv(
    const fs::path& p, const std::vector<std::string>& required, const char* section,
    std::vector<std::string>* notes) {
  if (fs::exists(p)) return ReadCsv(p, required);
  notes->push_back(fmt::format("{} is absent: no {} section", p.filename().string(), section));
  return {};
}

// A CSV row's runtime, group and repetition into a sample or row of that cell.
template <class T>
T CellKeyOf(const fs::path& p, const std::map<std::string, std::string>& row) {
  T out;
  out.runtime = row.at("runtime");
  out.group = row.at("group");
  out.repetition = Int(p, row, "repetition");
  return out;
}

RunInfo ParseRunJson(const json& j, const fs::path& file) {
  if (!j.is_object()) throw ResultsError(fmt::format("{}: not a JSON object", file.string()));
  RunInfo run;
  run.raw = j;
  if (j.contains("format") && j["format"] != 1)
    throw ResultsError(fmt::format("{}: format {} is not supported (this ocibench reads format 1)",
                                   file.string(), j["format"].dump()));
  if (j.contains("seed") && j["seed"].is_number_unsigned())
    run.seed = j["seed"].get<std::uint64_t>();
  try {
    for (const auto& r : j.value("runtimes", json::array())) {
      RunRuntime e;
      e.name = Str(r, "name");
      e.kind = Str(r, "kind");
      e.path = Str(r, "path");
      e.version = Str(r, "version");
      e.platform = Str(r, "platform");
      e.over = Str(r, "runtime");
      if (r.contains("args") && r["args"].is_array())
        for (const auto& a : r["args"]) e.args.push_back(a.get<std::string>());
      if (e.name.empty())
        throw ResultsError(fmt::format("{}: a runtime has no name", file.string()));
      run.runtimes.push_back(e);
    }
    for (const auto& g : j.value("groups", json::array()))
      run.groups.push_back(g.get<std::string>());
    for (const auto& c : j.value("cells", json::array())) {
      CellRecord cell;
      cell.index = c.value("index", 0);
      cell.runtime = Str(c, "runtime");
      cell.group = Str(c, "group");
      cell.repetition = c.value("repetition", 0);
      cell.status = Str(c, "status");
      cell.error = Str(c, "error");
      cell.file = Str(c, "file");
      if (c.contains("duration_s") && c["duration_s"].is_number())
        cell.duration_s = c["duration_s"].get<double>();
      run.cells.push_back(cell);
    }
  } catch (const json::exception& e) {
    throw ResultsError(fmt::format("{}: unexpected structure ({})", file.string(), e.what()));
  }
  if (run.runtimes.empty()) throw ResultsError(fmt::format("{}: lists no runtimes", file.string()));
  return run;
}

}  // namespace

std::vector<BenchEntry> ParseBenchmarkJson(const json& doc, const std::string& file,
                                           const CellRecord& cell,
                                           std::vector<std::string>* notes) {
  std::vector<const json*> iterations;
  try {
    iterations = benchjson::Iterations(doc, /*keep_failed=*/true);
  } catch (const benchjson::Error& e) {
    throw ResultsError(fmt::format("{}: {}", file, e.what()));
  }
  std::vector<BenchEntry> out;
  for (const json* b : iterations) {
    if (benchjson::Failed(*b)) {
      notes->push_back(fmt::format("{} {} rep {}: {} failed: {}", cell.runtime, cell.group,
                                   cell.repetition, Str(*b, "name"), Str(*b, "error_message")));
      continue;
    }
    const auto primary = benchjson::PrimaryMetric(*b);
    if (!primary) {
      notes->push_back(
          fmt::format("{}: {} lacks its primary metric; left out", file, Str(*b, "name")));
      continue;
    }
    BenchEntry e;
    e.runtime = cell.runtime;
    e.group = cell.group;
    e.repetition = cell.repetition;
    e.name = benchjson::BaseName(Str(*b, "name"));
    e.metric = primary->metric;
    e.unit = primary->unit;
    e.direction = primary->direction;
    e.value = primary->value;
    e.counters = benchjson::Counters(*b);
    out.push_back(std::move(e));
  }
  return out;
}

Results LoadResults(const fs::path& dir) {
  Results r;
  r.dir = dir;
  if (!fs::is_directory(dir))
    throw ResultsError(
        fmt::format("{}: not a directory (give a results/<run> directory)", dir.string()));
  const fs::path run_json = dir / "run.json";
  if (!fs::exists(run_json))
    throw ResultsError(fmt::format("{}: missing; is {} a results directory of `ocibench run`?",
                                   run_json.string(), dir.string()));
  r.run = ParseRunJson(ReadJson(run_json), run_json);

  for (const auto& cell : r.run.cells) {
    const auto status = Parse<CellStatus>(cell.status);
    if (status != CellStatus::kOk) {
      if (status != CellStatus::kPending)
        r.notes.push_back(fmt::format("cell {} ({} {} rep {}) {}: {}", cell.index, cell.runtime,
                                      cell.group, cell.repetition, cell.status,
                                      cell.error.empty() ? "no error recorded" : cell.error));
      continue;
    }
    if (cell.file.empty())
      throw ResultsError(
          fmt::format("{}: cell {} is ok but names no file", run_json.string(), cell.index));
    const fs::path f = dir / cell.file;
    if (!fs::exists(f))
      throw ResultsError(
          fmt::format("{}: missing (run.json says cell {} finished ok)", f.string(), cell.index));
    const json doc = ReadJson(f);
    auto entries = ParseBenchmarkJson(doc, f.string(), cell, &r.notes);
    if (!r.contexts.count(cell.runtime) && doc.contains("context") && BenchRanInTheRuntime(doc))
      r.contexts[cell.runtime] = doc["context"];
    r.entries.insert(r.entries.end(), entries.begin(), entries.end());
  }

  const fs::path mem = dir / "memory.csv";
  for (const auto& row : OptionalCsv(mem,
                                     {"runtime", "group", "repetition", "t_s", "host_used_bytes",
                                      "cgroup_bytes", "runtime_pss_bytes"},
                                     "memory", &r.notes)) {
    MemorySample s = CellKeyOf<MemorySample>(mem, row);
    s.t_s = Num(mem, row, "t_s").value_or(0);
    s.host_used_bytes = Num(mem, row, "host_used_bytes");
    s.cgroup_bytes = Num(mem, row, "cgroup_bytes");
    s.runtime_pss_bytes = Num(mem, row, "runtime_pss_bytes");
    r.memory.push_back(s);
  }
  const fs::path life = dir / "lifecycle.csv";
  for (const auto& row : OptionalCsv(life,
                                     {"runtime", "group", "repetition", "create_ms", "start_ms",
                                      "first_output_ms", "total_ms", "delete_ms"},
                                     "lifecycle", &r.notes)) {
    LifecycleRow l = CellKeyOf<LifecycleRow>(life, row);
    l.create_ms = Num(life, row, "create_ms");
    l.start_ms = Num(life, row, "start_ms");
    l.first_output_ms = Num(life, row, "first_output_ms");
    l.total_ms = Num(life, row, "total_ms");
    l.delete_ms = Num(life, row, "delete_ms");
    r.lifecycle.push_back(l);
  }
  for (auto [name, target] :
       {std::pair{"footprint.json", &r.footprint}, std::pair{"portability.json", &r.portability}}) {
    const fs::path file = dir / name;
    if (!fs::exists(file)) continue;
    *target = ReadJson(file);
    if (!target->is_object() || !target->contains("runtimes") || !(*target)["runtimes"].is_array())
      throw ResultsError(fmt::format("{}: not the JSON of `ocibench {}` (no \"runtimes\" array)",
                                     file.string(), fs::path(name).stem().string()));
  }
  for (auto& line : WhereDisagreements(r.run, r.contexts)) r.notes.push_back(std::move(line));
  if (r.entries.empty()) r.notes.push_back("no finished cell with benchmark results");
  return r;
}

}  // namespace ocibench::report
