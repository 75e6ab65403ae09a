// Fleet directories and hosts given one by one → Fleet, with what makes hosts not comparable.
#include "harness/report/fleet_results.h"

#include <fmt/format.h>

#include <map>

#include "harness/benchjson/benchjson.h"

namespace ocibench::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return j.is_object() && it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// A host's directory read, or the one line saying why it cannot be.
void LoadHost(FleetHost& h) {
  try {
    h.results = LoadResults(h.dir);
  } catch (const ResultsError& e) {
    h.reason = h.reason.empty() ? e.what() : h.reason + "; " + e.what();
  }
}

// Keys whose difference makes every group incomparable, and the one that touches only groups
// with a server.
constexpr const char* kAllGroupsKeys[] = {"cpus", "memory_bytes", "scratch"};
constexpr const char* kServerKey = "placement";

std::string Short(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

}  // namespace

json MeasuredConfig(const json& config) {
  json out = json::object();
  if (!config.is_object()) return out;
  for (const char* k : {"cpus", "memory_bytes", "scratch", "placement", "preset", "repetitions",
                        "warmup", "groups", "group"})
    if (config.contains(k)) out[k] = config[k];
  return out;
}

bool IsFleetDir(const fs::path& dir) { return fs::is_regular_file(dir / "fleet.json"); }

std::vector<const FleetHost*> ReadableHosts(const Fleet& fleet) {
  std::vector<const FleetHost*> out;
  for (const auto& h : fleet.hosts)
    if (h.results) out.push_back(&h);
  return out;
}

void CheckComparable(Fleet& fleet) {
  fleet.mismatches.clear();
  fleet.incomparable_groups.clear();
  const auto hosts = ReadableHosts(fleet);
  if (hosts.empty()) return;
  const FleetHost& first = *hosts.front();
  const json& j0 = first.results->run.raw;
  const json c0 = MeasuredConfig(j0.value("config", json::object()));
  std::map<std::string, std::string> ids;  // run id → first host holding it
  for (const FleetHost* h : hosts) {
    const json& j = h->results->run.raw;
    const std::string id = Str(j, "id");
    if (!id.empty()) {
      if (auto [it, fresh] = ids.emplace(id, h->name); !fresh)
        fleet.mismatches.push_back(
            fmt::format("{} and {} hold the same run (id {}): a copy, not two measurements",
                        it->second, h->name, id));
    }
    // A test fixture's copy says so in run.json (tests/integration/make_fleet_results).
    if (const std::string fx = Str(j, "fixture"); !fx.empty())
      fleet.mismatches.push_back(h->name + ": " + fx);
    if (!fleet.config.empty()) {
      const std::string file = Str(j.value("config", json::object()), "config_file");
      if (fs::path(file).filename() != fs::path(fleet.config).filename())
        fleet.mismatches.push_back(fmt::format("{}: ran with config '{}', not the fleet's '{}'",
                                               h->name, file.empty() ? "(none)" : file,
                                               fleet.config));
    }
    if (h == &first) continue;
    const std::string v0 = Str(j0, "ocibench_version"), v = Str(j, "ocibench_version");
    if (v != v0)
      fleet.mismatches.push_back(fmt::format(
          "{}: ocibench {} (the others are compared with {}'s {}); benchmarks of the same name "
          "are still set side by side",
          h->name, v.empty() ? "of unknown version" : v, first.name, v0.empty() ? "?" : v0));
    const json c = MeasuredConfig(j.value("config", json::object()));
    std::vector<std::string> diff;
    for (const auto& [k, v1] : c0.items()) {
      if (k == "group") continue;
      const json v2 = c.value(k, json());
      if (v1 == v2) continue;
      diff.push_back(fmt::format("{} ({} vs {})", k, Short(v2), Short(v1)));
      for (const char* all : kAllGroupsKeys)
        if (k == all)
          for (const auto& g : c0.value("groups", json::array()))
            fleet.incomparable_groups.insert(g.get<std::string>());
      const json groups0 = c0.value("group", json::object());  // items() of a temporary dangles
      if (k == kServerKey)
        for (const auto& [g, def] : groups0.items())
          if (!Str(def, "server").empty()) fleet.incomparable_groups.insert(g);
    }
    const json g0 = c0.value("group", json::object()), g1 = c.value("group", json::object());
    for (const auto& [g, def] : g0.items())
      if (g1.contains(g) && g1[g] != def) {
        diff.push_back(fmt::format("group {} (filter or arguments differ)", g));
        fleet.incomparable_groups.insert(g);
      }
    if (!diff.empty()) {
      std::string d;
      for (const auto& x : diff) d += (d.empty() ? "" : ", ") + x;
      fleet.mismatches.push_back(
          fmt::format("{}: config differs from {}'s in {}", h->name, first.name, d));
    }
  }
  if (!fleet.incomparable_groups.empty()) {
    std::string g;
    for (const auto& x : fleet.incomparable_groups) g += (g.empty() ? "" : ", ") + x;
    fleet.mismatches.push_back("Not compared between hosts (their settings differ): " + g +
                               "; each host's ratios to its own native are still shown");
  }
}

Fleet LoadFleet(const fs::path& dir) {
  Fleet f;
  f.dir = dir;
  try {
    f.raw = benchjson::ReadFile(dir / "fleet.json");
  } catch (const benchjson::Error& e) {
    throw ResultsError(e.what());
  }
  if (!f.raw.is_object() || Str(f.raw, "kind") != "ocibench-fleet")
    throw ResultsError((dir / "fleet.json").string() +
                       ": not a fleet (kind must be \"ocibench-fleet\")");
  f.config = Str(f.raw, "config");
  const auto hosts = f.raw.value("hosts", json::array());
  if (!hosts.is_array() || hosts.empty())
    throw ResultsError((dir / "fleet.json").string() + ": \"hosts\" lists no host");
  for (const auto& e : hosts) {
    FleetHost h;
    h.name = Str(e, "name");
    h.status = Str(e, "status");
    h.reason = Str(e, "reason");
    const std::string sub = Str(e, "dir").empty() ? h.name : Str(e, "dir");
    if (h.name.empty() || sub.find("..") != std::string::npos || fs::path(sub).is_absolute()) {
      h.name = h.name.empty() ? "(unnamed)" : h.name;
      h.reason = "fleet.json names no usable directory for this host ('" + sub + "')";
      f.hosts.push_back(std::move(h));
      continue;
    }
    h.dir = dir / sub;
    // A failed host usually has no results; a partial one keeps what it measured.
    if (h.status != "failed" || fs::exists(h.dir / "run.json")) LoadHost(h);
    f.hosts.push_back(std::move(h));
  }
  CheckComparable(f);
  return f;
}

Fleet FleetOfDirs(const std::vector<fs::path>& dirs) {
  Fleet f;
  std::map<std::string, int> seen;
  for (const auto& d : dirs) {
    FleetHost h;
    h.dir = d;
    h.status = "ok";
    LoadHost(h);
    std::string name = d.filename().string();
    if (name.empty()) name = d.parent_path().filename().string();
    if (h.results) {
      const std::string hn = Str(h.results->run.raw.value("host", json::object()), "hostname");
      if (!hn.empty()) name = hn;
    } else {
      h.status = "failed";
    }
    if (const int n = ++seen[name]; n > 1) name += "-" + std::to_string(n);
    h.name = name;
    f.hosts.push_back(std::move(h));
  }
  CheckComparable(f);
  return f;
}

}  // namespace ocibench::report
