// ReadEventTimings: podman's events log → create, start and delete durations.
#include "harness/engine/podman_events.h"

#include <cctype>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace ocibench::engine {
namespace {

// "2026-12-01T18:44:24.415196495Z" → nanoseconds since the epoch (UTC), nullopt if malformed.
std::optional<long double> ParseTime(const std::string& t) {
  std::tm tm{};
  std::istringstream in(t);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  long double frac = 0;
  if (in.peek() == '.') {
    std::string digits;
    in.get();
    while (std::isdigit(in.peek())) digits += static_cast<char>(in.get());
    long double scale = 0.1L;
    for (char c : digits) frac += (c - '0') * scale, scale /= 10;
  }
  if (in.peek() != 'Z') return std::nullopt;  // podman writes UTC
  return static_cast<long double>(::timegm(&tm)) * 1e9L + frac * 1e9L;
}

}  // namespace

EventTimings ParseEventTimings(const std::string& jsonl, const std::string& name) {
  std::map<std::string, long double> at;  // the first event of each status
  std::istringstream lines(jsonl);
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("Type", "") != "container" || j.value("Name", "") != name)
      continue;
    const std::string status = j.value("Status", "");
    if (at.count(status)) continue;
    if (const auto t = ParseTime(j.value("Time", ""))) at[status] = *t;
  }
  auto ms = [&](const char* from, const char* to) {
    if (!at.count(from) || !at.count(to) || at[to] < at[from]) return -1.0;
    return static_cast<double>((at[to] - at[from]) / 1e6L);
  };
  return {ms("create", "init"), ms("init", "start"), ms("died", "remove")};
}

EventTimings ReadEventTimings(const std::filesystem::path& events_file, const std::string& name) {
  std::ifstream in(events_file);
  std::stringstream s;
  s << in.rdbuf();
  return ParseEventTimings(s.str(), name);
}

}  // namespace ocibench::engine
