// ocibench: what a container runtime costs your workload.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include "harness/command.h"

namespace ocibench::cli {
std::vector<Command>& Commands() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace ocibench::cli

int main(int argc, char** argv) {
  using namespace ocibench::cli;
  CLI::App app{
      "ocibench: measures what a container runtime (runc, crun, runsc, Kata, ...) costs "
      "a workload, against bare metal"};
  app.set_version_flag("--version", OCIBENCH_VERSION);
  app.require_subcommand(1);
  auto& commands = Commands();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  std::function<int()> action;
  for (auto& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.description);
    auto run = c.setup(*sub);
    sub->callback([&action, run] { action = run; });
  }
  // An unknown first word: name it (CLI11 would only say that a subcommand is required).
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(),
                   [&](const Command& c) { return c.name == argv[1]; })) {
    std::string known;
    for (const auto& c : commands) known += (known.empty() ? "" : ", ") + c.name;
    std::fprintf(stderr, "ocibench: unknown command '%s' (known: %s; see ocibench --help)\n",
                 argv[1], known.c_str());
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    return action ? action() : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ocibench: %s\n", e.what());
    return kExitFailure;
  }
}
