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

namespace ocibench::run {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A workload group: a Google Benchmark filter over ocibench-bench plus its own flags.
// server: "" (none), "redis" (a Redis server, --redis_server= passed), "http" (nginx,
// --http_server= passed); where server and client run is the placement.
struct GroupDef {
  std::string name;
  std::string filter;
  std::vector<std::string> args;
  std::string server;
};

// The image (tag in the layout) that runs a group's server in a container: "redis", "nginx";
// "" for a group without a server.
inline std::string ServerImage(const std::string& server) {
  return server == "redis" ? "redis" : server == "http" ? "nginx" : "";
}

// A runtime entry named in the TOML ([runtime.NAME]): an OCI command-line runtime binary with
// global arguments (e.g. binary = "runsc", args = ["--platform=systrap"]), or a containerd
// shim v2 runtime driven through ctr (shim = "io.containerd.kata.v2").
struct RuntimeDef {
  std::string name;
  std::string binary;
  std::vector<std::string> args;
  std::string shim;
};

struct RunConfig {
  std::vector<std::string> runtimes;  // empty: every usable runtime found
  std::vector<std::string> groups = {"lzma", "probes", "redis", "http"};
  int repetitions = 5;
  std::uint64_t seed = 0;  // 0: from the clock (recorded in run.json)
  double cpus = 2;
  std::uint64_t memory_bytes = std::uint64_t{4} << 30;
  int timeout_s = 600;           // per cell
  int warmup = 1;                // untimed runs of each runtime before the matrix
  std::string preset = "quick";  // quick | full: the groups' default settings
  std::string scratch = "rootfs";
  // Redis in containers: "server-only" (server in the runtime on the host network, client
  // native) or "both" (server and client each in a container of the runtime, each in its own
  // network namespace on a CNI bridge). Native always uses loopback.
  std::string placement = "server-only";
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

// The groups to run, resolved (built-in, overridden by group_defs). Throws ConfigError for an
// unknown group name.
std::vector<GroupDef> ResolveGroups(const RunConfig& config);

nlohmann::json ToJson(const RunConfig& config);

}  // namespace ocibench::run

namespace ocibench::run {
// The inverse of ToJson (for --resume: the run's own recorded configuration).
RunConfig FromJson(const nlohmann::json& j);
}  // namespace ocibench::run
