// `ocibench runtimes`: what was found, versions, and why a known runtime is unusable here.
#include <fmt/format.h>

#include <iostream>

#include "harness/command.h"
#include "harness/run/discovery.h"

namespace ocibench::run {
namespace {

std::function<int()> SetupRuntimes(CLI::App& sub) {
  auto json = std::make_shared<bool>(false);
  auto config_file = std::make_shared<std::string>();
  sub.add_flag("--json", *json, "print JSON instead of a table");
  sub.add_option("--config", *config_file, "TOML file with [runtime.NAME] entries")
      ->check(CLI::ExistingFile);
  return [json, config_file]() {
    RunConfig config;
    try {
      if (!config_file->empty()) LoadToml(*config_file, config);
    } catch (const ConfigError& e) {
      std::cerr << "ocibench runtimes: " << e.what() << "\n";
      return cli::kExitUsage;
    }
    const auto entries = DiscoverRuntimes(config);
    if (*json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& e : entries) {
        auto r = ToJson(e);
        r["usable"] = e.unusable.empty();
        r["default"] = e.by_default;
        j.push_back(r);
      }
      std::cout << j.dump(2) << "\n";
      return cli::kExitOk;
    }
    fmt::print("{:<19} {:<6} {:<8} {:<34} {}\n", "runtime", "kind", "usable", "version",
               "path / why not");
    for (const auto& e : entries) {
      std::string usable = e.unusable.empty() ? (e.by_default ? "yes" : "opt-in") : "no";
      std::string where =
          e.unusable.empty()
              ? (e.kind == RuntimeKind::kOci ? e.info.binary.string()
                 : e.kind == RuntimeKind::kEngine
                     ? e.engine + " --runtime " + e.spec.binary.string()
                 : e.kind == RuntimeKind::kNative ? "(the host)"
                                                  : e.shim + " (" + e.spec.binary.string() + ")")
              : e.unusable;
      fmt::print("{:<19} {:<6} {:<8} {:<34} {}\n", e.name, Name(e.kind), usable,
                 e.version.substr(0, 34), where);
      for (const auto& n : e.info.notes)
        if (n.starts_with("opt-in") || e.kind == RuntimeKind::kShim ||
            (e.kind == RuntimeKind::kEngine && e.unusable.empty()))
          fmt::print("{:<19} note: {}\n", "", n);
    }
    return cli::kExitOk;
  };
}

}  // namespace
}  // namespace ocibench::run

OCIBENCH_COMMAND(runtimes,
                 "List the container runtimes found here, their versions, and why any is unusable",
                 ocibench::run::SetupRuntimes);
