// Shared flags of the startup and density subcommands.
#include "harness/startup/common_flags.h"

#include <fmt/format.h>

#include <sstream>

namespace ocibench::startup {

void AddCommonFlags(CLI::App& sub, CommonFlags& f) {
  sub.add_option("--config", f.config, "TOML file of `ocibench run` ([runtime.NAME] entries)")
      ->check(CLI::ExistingFile);
  sub.add_option("--runtimes", f.runtimes,
                 "comma list (default: every usable runtime, native included; see `ocibench "
                 "runtimes`)");
  sub.add_option("--cpus", f.cpus, "CPU limit of each container (default 2, capped to the host)");
  sub.add_option("--memory", f.memory, "memory limit of each container (default 4GiB)");
  sub.add_option("--timeout", f.timeout_s, "seconds each runtime command may take (default 60)")
      ->check(CLI::Range(1, 3600));
  sub.add_option("--images", f.images, "OCI image layout (default: the build's images/oci)");
  sub.add_option("--bench", f.bench, "ocibench-bench for native (default: the build's)");
  sub.add_option("--results", f.results, "where results directories go (default results/)");
  sub.add_option("--out", f.out,
                 "exact results directory (default RESULTS/<UTC>-<host>-<command>)");
  sub.add_flag("--quiet", f.quiet, "no progress lines");
  sub.add_flag("--json", f.json, "print the outcome as JSON on stdout");
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<int> ParseCounts(const std::string& flag, const std::string& text, int max) {
  std::vector<int> out;
  for (const auto& item : SplitList(text)) {
    std::size_t used = 0;
    int v = 0;
    try {
      v = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || v < 1 || v > max)
      throw run::ConfigError(
          fmt::format("{} '{}': use a comma list of whole numbers 1..{}", flag, item, max));
    out.push_back(v);
  }
  return out;
}

run::RunConfig ToRunConfig(const CommonFlags& f) {
  run::RunConfig c;
  if (!f.config.empty()) run::LoadToml(f.config, c);
  if (!f.runtimes.empty()) c.runtimes = SplitList(f.runtimes);
  c.cpus = f.cpus;
  c.memory_bytes = run::ParseBytes(f.memory);
  c.timeout_s = f.timeout_s;
  c.images = f.images;
  c.bench = f.bench;
  c.results_root = f.results;
  c.warmup = 0;
  c.repetitions = 1;
  return c;
}

}  // namespace ocibench::startup
