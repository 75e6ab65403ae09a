// Loads a fleet: a fleet directory (fleet.json and one ordinary results directory per host,
// docs/results-format.md "Fleet directories") or several results directories named on the
// command line. A host whose directory is corrupt or partial is kept with the reason, never
// fatal for the others; what makes hosts not comparable is said in one line each.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/report/results.h"

namespace ocibench::report {

struct FleetHost {
  std::string name;
  std::filesystem::path dir;
  std::string status;  // fleet.json's: ok | failed | partial ("ok" for a directory named)
  std::string reason;  // fleet.json's reason, or why the directory could not be read
  std::optional<Results> results;  // absent when the directory could not be read
};

struct Fleet {
  std::filesystem::path dir;  // the fleet directory ("" for directories named one by one)
  nlohmann::json raw;         // fleet.json as read (null without one)
  std::string config;         // fleet.json "config": the shared TOML file's name
  std::vector<FleetHost> hosts;
  // What makes the hosts not comparable: a different ocibench version, a config that differs
  // (and in which keys), the same run under two names. One line each.
  std::vector<std::string> mismatches;
  // Groups whose definition (filter, args, server, preset) differs between readable hosts:
  // their between-host differences are not computed.
  std::set<std::string> incomparable_groups;
};

// True when `dir` holds a fleet.json.
bool IsFleetDir(const std::filesystem::path& dir);

// Reads fleet.json (kind "ocibench-fleet") and each host's directory. Throws ResultsError only
// for a fleet.json that is missing or not a fleet's; a host's own trouble is kept in its entry.
Fleet LoadFleet(const std::filesystem::path& dir);

// The same from results directories given one by one; each host is named by run.json's
// host.hostname (or the directory's name), made unique with "-2", "-3".
Fleet FleetOfDirs(const std::vector<std::filesystem::path>& dirs);

// The readable hosts (results present), in fleet order.
std::vector<const FleetHost*> ReadableHosts(const Fleet& fleet);

// Fills fleet.mismatches and incomparable_groups by comparing every readable host with the
// first one (exposed for tests; LoadFleet and FleetOfDirs call it).
void CheckComparable(Fleet& fleet);

// The keys of run.json "config" that change what is measured; paths, seeds and the results
// root are left out (they differ between machines without changing a benchmark).
nlohmann::json MeasuredConfig(const nlohmann::json& config);

}  // namespace ocibench::report
