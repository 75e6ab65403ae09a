// ocibench: what a container runtime costs your workload.
#include <algorithm>
#include <cstdio>
#include <exception>

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
