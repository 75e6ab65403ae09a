// What `ocibench run` runs: flags merged over an optional TOML file, checked before anything
// runs (an unknown key, a wrong type or an unknown runtime is a ConfigError: one line, exit 2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/vocabulary/vocabulary.h"

namespace ocibench::run {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A workload group: a Google Benchmark filter over ocibench-bench plus its own flags, and its
// server (--redis_server= / --http_server= passed); where server and client run is the
// placement.
struct GroupDef {
  std::string name;
  std::string filter;
  std::vector<std::string> args;
  Server server = Server::kNone;
  std::string image = "bench";  // the image (in the OCI layout) its bench runs in
};

// A runtime entry named in the TOML ([runtime.NAME]): an OCI command-line runtime binary with
// global arguments (e.g. binary = "runsc", args = ["--platform=systrap"]), or a containerd
// shim v2 runtime driven through ctr (shim = "io.containerd.kata.v2"), or an OCI runtime
// driven through an engine (engine = "podman", runtime = "runc": the name of an OCI runtime
// entry, whose binary and arguments podman is given).
struct RuntimeDef {
  std::string name;
  std::string binary;
  std::vector<std::string> args;
  std::string shim;
  // The bundle's seccomp profile (OCI runtimes only): "default" (Docker's), "docker",
  // "containers-common", "unconfined" or an absolute path (harness/oci/seccomp_profile.h).
  std::string seccomp = "default";
  std::string engine;   // kind engine: "podman"
  std::string runtime;  // kind engine: the OCI runtime podman runs (--runtime)
};

struct RunConfig {
  std::vector<std::string> runtimes;  // empty: every usable runtime found
  std::vector<std::string> groups = {"lzma", "probes", "redis", "http", "apps"};
  int repetitions = 5;
  std::uint64_t seed = 0;  // 0: from the clock (recorded in run.json)
  double cpus = 2;
  std::uint64_t memory_bytes = std::uint64_t{4} << 30;
  int timeout_s = 600;           // per cell
  int warmup = 1;                // untimed runs of each runtime before the matrix
  std::string preset = "quick";  // quick | full: the groups' default settings
  ScratchKind scratch = ScratchKind::kRootfs;
  // Where a group's server and client run in containers (kPlacementTerms); native cells always
  // run both natively on loopback.
  Placement placement = Placement::kServerOnly;
  std::filesystem::path results_root = "results";
  std::filesystem::path images;  // OCI layout; "" = next to the ocibench binary
  std::filesystem::path bench;   // native ocibench-bench; "" = next to the ocibench binary
  std::map<std::string, RuntimeDef> runtime_defs;
  std::map<std::string, GroupDef> group_defs;  // overrides of the built-in groups
  std::string config_file;                     // the TOML read, if any
};

// The built-in groups for a preset ("quick": short settings so the default matrix fits in
// ~10 min on 2 cores; "full": the study's settings).
std::map<std::string, GroupDef> BuiltinGroups(const std::string& preset);

// Reads a TOML file into `config` (only the keys it sets). Throws ConfigError naming the file
// and the key.
void LoadToml(const std::filesystem::path& file, RunConfig& config);

// "4GiB", "512MiB", "1G", "1073741824" → bytes. Throws ConfigError.
std::uint64_t ParseBytes(const std::string& text);

// True when `name` can name files, directories, cgroups and container ids: letters, digits,
// '.', '_', '-'; 1..64 characters; not starting with '.' or '-'. Runtime and group names from
// TOML and run ids must be such names.
bool ValidName(const std::string& name);

// A word of the vocabulary given by the user as `key` (a flag or TOML key): the value, or a
// ConfigError "KEY 'TEXT': use a, b or c". The one place flags and TOML are checked against it.
template <class E>
E ParseWord(const std::string& key, const std::string& text) {
  if (const auto v = Parse<E>(text)) return *v;
  throw ConfigError(key + " '" + text + "': use " + Choices<E>());
}

// The groups to run, resolved (built-in, overridden by group_defs). Throws ConfigError for an
// unknown group name.
std::vector<GroupDef> ResolveGroups(const RunConfig& config);

nlohmann::json ToJson(const RunConfig& config);

}  // namespace ocibench::run

namespace ocibench::run {
// The inverse of ToJson (for --resume: the run's own recorded configuration).
RunConfig FromJson(const nlohmann::json& j);
}  // namespace ocibench::run
