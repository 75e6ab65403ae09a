// Google Benchmark JSON: the one reader (benchjson.h).
#include "harness/benchjson/benchjson.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ocibench::benchjson {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string ToString(Direction d) { return d == Direction::kHigherIsBetter ? "higher" : "lower"; }

std::optional<Direction> CounterDirection(std::string_view c) {
  if (c == "rps" || c.ends_with("_per_second") || c.ends_with("_MIPS") || c.ends_with("_KiBps"))
    return Direction::kHigherIsBetter;
  if ((c.starts_with("lat_") && c.ends_with("_us")) || c.ends_with("_ms") || c.ends_with("_ns") ||
      c.ends_with("_us"))
    return Direction::kLowerIsBetter;
  return std::nullopt;
}

std::optional<Primary> PrimaryMetric(const json& b) {
  const std::string name = Str(b, "name");
  auto counter = [&](const char* c, const char* unit) -> std::optional<Primary> {
    if (!b.contains(c) || !b[c].is_number()) return std::nullopt;
    return Primary{c, unit, Direction::kHigherIsBetter, b[c].get<double>()};
  };
  if (name.starts_with("LZMA_")) return counter("rating_MIPS", "MIPS");
  if (name.starts_with("Redis_")) return counter("rps", "req/s");
  if (name.starts_with("HTTP_Download")) return counter("bytes_per_second", "B/s");
  if (!b.contains("real_time") || !b["real_time"].is_number()) return std::nullopt;
  const std::string unit = Str(b, "time_unit");
  return Primary{"real_time", unit.empty() ? "ns" : unit, Direction::kLowerIsBetter,
                 b["real_time"].get<double>()};
}

json ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw Error(p.string() + ": cannot read (missing or not readable)");
  std::ostringstream s;
  s << f.rdbuf();
  try {
    return json::parse(s.str());
  } catch (const json::exception& e) {
    throw Error(p.string() + ": not valid JSON (" + e.what() + ")");
  }
}

std::string CheckFile(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return "no benchmark output (" + file.filename().string() + " was not written)";
  json j;
  try {
    j = json::parse(in);
  } catch (const std::exception& e) {
    return "benchmark output is not valid JSON: " + std::string(e.what());
  }
  if (!j.is_object() || !j.contains("context") || !j.contains("benchmarks") ||
      !j["benchmarks"].is_array() || j["benchmarks"].empty())
    return "benchmark output has no benchmarks";
  for (const auto& b : j["benchmarks"])
    if (b.is_object() && Failed(b))
      return b.value("name", "?") + ": " + b.value("error_message", "error");
  return "";
}

bool Failed(const json& entry) { return entry.value("error_occurred", false); }

std::vector<const json*> Iterations(const json& doc, bool keep_failed) {
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    throw Error("not Google Benchmark JSON (no \"benchmarks\" array)");
  std::vector<const json*> out;
  for (const auto& b : doc["benchmarks"]) {
    if (!b.is_object()) throw Error("a benchmark entry is not an object");
    if (b.contains("run_type") && b["run_type"] != "iteration") continue;  // aggregates
    if (keep_failed || !Failed(b)) out.push_back(&b);
  }
  return out;
}

// Google Benchmark appends how it ran a benchmark to its name; those are not part of what was
// measured and would split one benchmark into several when they change (the quick preset
// shortens the probes' min_time). "/threads:N" stays: it is.
std::string BaseName(const std::string& name) {
  static const std::regex decoration(
      "/(iterations:[0-9]+|min_time:[0-9.]+|process_time|real_time|manual_time)");
  return std::regex_replace(name, decoration, "");
}

std::map<std::string, double> Counters(const json& entry) {
  // Keys of a Google Benchmark entry that are not user counters.
  static const std::set<std::string> standard = {"name",
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
  std::map<std::string, double> out;
  for (const auto& [k, v] : entry.items())
    if (v.is_number() && !standard.count(k)) out[k] = v.get<double>();
  return out;
}

std::optional<double> RealTimeMs(const json& entry) {
  static const std::map<std::string, double> kToMs = {
      {"ns", 1e-6}, {"us", 1e-3}, {"ms", 1.0}, {"s", 1e3}};
  const auto unit = kToMs.find(entry.value("time_unit", "ns"));
  if (unit == kToMs.end()) return std::nullopt;
  return entry.value("real_time", 0.0) * unit->second;
}

}  // namespace ocibench::benchjson
