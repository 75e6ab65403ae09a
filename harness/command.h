// Subcommands of `ocibench` register themselves; main() builds the CLI from them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace ocibench::cli {

// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // ran, and the result is bad (e.g. a regression)
inline constexpr int kExitUsage = 2;    // bad flags or config: nothing ran

struct Command {
  std::string name;
  std::string description;
  // Adds the subcommand's options to `sub` and returns the function that runs it; the
  // function's return value is the process exit code.
  std::function<std::function<int()>(CLI::App& sub)> setup;
};

std::vector<Command>& Commands();

struct CommandRegistrar {
  explicit CommandRegistrar(Command c) { Commands().push_back(std::move(c)); }
};

}  // namespace ocibench::cli

// At namespace scope in a subcommand's .cc: OCIBENCH_COMMAND(run, "Run the matrix", SetupRun);
#define OCIBENCH_COMMAND(id, description, setup) \
  static const ::ocibench::cli::CommandRegistrar ocibench_command_##id({#id, description, setup})
