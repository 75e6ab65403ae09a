#include "harness/report/results.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "harness/report/csv_line.h"

namespace ocibench::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw ResultsError(fmt::format("{}: cannot read (missing or not readable)", p.string()));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

json ReadJson(const fs::path& p) {
  const std::string text = ReadFile(p);
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw ResultsError(fmt::format("{}: not valid JSON ({})", p.string(), e.what()));
  }
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Google Benchmark appends how it ran a benchmark to its name ("/iterations:3", "/min_time:0.020",
// "/process_time", "/real_time", "/manual_time"); those are not part of what was measured and
// would split one benchmark into several when they change (the quick preset shortens the probes'
// min_time). "/threads:N" stays: it is.
std::string BenchmarkName(std::string name) {
  static const std::regex decoration(
      "/(iterations:[0-9]+|min_time:[0-9.]+|process_time|real_time|manual_time)");
  return std::regex_replace(name, decoration, "");
}

// Keys of a Google Benchmark entry that are not user counters.
const std::set<std::string>& StandardKeys() {
  static const std::set<std::string> keys = {"name",
                                             "family_index",
                                             "per_family_instance_index",
                                             "run_name",
                                             "run_type",
                                             "repetitions",
                                             "repetition_index",
                                             "threads",
                                             "iterations",
                                             "real_time",
                                             "cpu_time",
                                             "time_unit",
                                             "error_occurred",
                                             "error_message",
                                             "aggregate_name",
                                             "aggregate_unit",
                                             "label"};
  return keys;
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
      RuntimeEntry e;
      e.name = Str(r, "name");
      e.kind = Str(r, "kind");
      e.path = Str(r, "path");
      e.version = Str(r, "version");
      e.platform = Str(r, "platform");
      if (r.contains("args") && r["args"].is_array())
        for (const auto& a : r["args"]) e.args.push_back(a.get<std::string>());
      if (e.name.empty())
        throw ResultsError(fmt::format("{}: a runtime has no name", file.string()));
      run.runtimes.push_back(e);
    }
    for (const auto& g : j.value("groups", json::array()))
      run.groups.push_back(g.get<std::string>());
    for (const auto& c : j.value("cells", json::array())) {
      RunCell cell;
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

bool PrimaryMetric(const json& b, std::string* metric, std::string* unit, Direction* direction,
                   double* value) {
  const std::string name = Str(b, "name");
  auto counter = [&](const char* c, const char* u) {
    if (!b.contains(c) || !b[c].is_number()) return false;
    *metric = c;
    *unit = u;
    *direction = Direction::kHigherIsBetter;
    *value = b[c].get<double>();
    return true;
  };
  if (StartsWith(name, "LZMA_")) return counter("rating_MIPS", "MIPS");
  if (StartsWith(name, "Redis_")) return counter("rps", "req/s");
  if (StartsWith(name, "HTTP_Download")) return counter("bytes_per_second", "B/s");
  if (!b.contains("real_time") || !b["real_time"].is_number()) return false;
  *metric = "real_time";
  *unit = Str(b, "time_unit").empty() ? "ns" : Str(b, "time_unit");
  *direction = Direction::kLowerIsBetter;
  *value = b["real_time"].get<double>();
  return true;
}

std::vector<BenchEntry> ParseBenchmarkJson(const json& doc, const std::string& file,
                                           const RunCell& cell, std::vector<std::string>* notes) {
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    throw ResultsError(
        fmt::format("{}: not Google Benchmark JSON (no \"benchmarks\" array)", file));
  std::vector<BenchEntry> out;
  for (const auto& b : doc["benchmarks"]) {
    if (!b.is_object())
      throw ResultsError(fmt::format("{}: a benchmark entry is not an object", file));
    if (b.contains("run_type") && b["run_type"] != "iteration") continue;  // aggregates
    const std::string name = Str(b, "name");
    if (b.value("error_occurred", false)) {
      notes->push_back(fmt::format("{} {} rep {}: {} failed: {}", cell.runtime, cell.group,
                                   cell.repetition, name, Str(b, "error_message")));
      continue;
    }
    BenchEntry e;
    e.runtime = cell.runtime;
    e.group = cell.group;
    e.repetition = cell.repetition;
    e.name = BenchmarkName(name);
    if (!PrimaryMetric(b, &e.metric, &e.unit, &e.direction, &e.value)) {
      notes->push_back(fmt::format("{}: {} lacks its primary metric; left out", file, name));
      continue;
    }
    for (const auto& [k, v] : b.items())
      if (v.is_number() && !StandardKeys().count(k)) e.counters[k] = v.get<double>();
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
    if (cell.status != "ok") {
      if (cell.status != "pending")
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
    if (!r.contexts.count(cell.runtime) && doc.contains("context"))
      r.contexts[cell.runtime] = doc["context"];
    r.entries.insert(r.entries.end(), entries.begin(), entries.end());
  }

  const fs::path mem = dir / "memory.csv";
  if (fs::exists(mem)) {
    for (const auto& row : ReadCsv(mem, {"runtime", "group", "repetition", "t_s", "host_used_bytes",
                                         "cgroup_bytes", "runtime_pss_bytes"})) {
      MemorySample s;
      s.runtime = row.at("runtime");
      s.group = row.at("group");
      s.repetition = Int(mem, row, "repetition");
      s.t_s = Num(mem, row, "t_s").value_or(0);
      s.host_used_bytes = Num(mem, row, "host_used_bytes");
      s.cgroup_bytes = Num(mem, row, "cgroup_bytes");
      s.runtime_pss_bytes = Num(mem, row, "runtime_pss_bytes");
      r.memory.push_back(s);
    }
  } else {
    r.notes.push_back("memory.csv is absent: no memory section");
  }

  const fs::path life = dir / "lifecycle.csv";
  if (fs::exists(life)) {
    for (const auto& row : ReadCsv(life, {"runtime", "group", "repetition", "create_ms", "start_ms",
                                          "first_output_ms", "total_ms", "delete_ms"})) {
      LifecycleRow l;
      l.runtime = row.at("runtime");
      l.group = row.at("group");
      l.repetition = Int(life, row, "repetition");
      l.create_ms = Num(life, row, "create_ms");
      l.start_ms = Num(life, row, "start_ms");
      l.first_output_ms = Num(life, row, "first_output_ms");
      l.total_ms = Num(life, row, "total_ms");
      l.delete_ms = Num(life, row, "delete_ms");
      r.lifecycle.push_back(l);
    }
  } else {
    r.notes.push_back("lifecycle.csv is absent: no lifecycle section");
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
  if (r.entries.empty()) r.notes.push_back("no finished cell with benchmark results");
  return r;
}

}  // namespace ocibench::report
