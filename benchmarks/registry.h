// Benchmark modules register themselves here; main() registers their benchmarks with Google
// Benchmark after the command line is parsed, so modules can use ocibench's own flags.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace ocibench::bench {

struct Module {
  std::string name;
  // Adds the module's own flags (optional).
  std::function<void(CLI::App&)> add_flags;
  // Registers the module's benchmarks; runs after flags are parsed.
  std::function<void()> register_benchmarks;
};

std::vector<Module>& Modules();

// Usage at namespace scope in a module's .cc:
//   OCIBENCH_MODULE(lzma, AddLzmaFlags, RegisterLzmaBenchmarks);
struct ModuleRegistrar {
  explicit ModuleRegistrar(Module m) { Modules().push_back(std::move(m)); }
};

}  // namespace ocibench::bench

#define OCIBENCH_MODULE(name, add_flags, register_fn)                     \
  static const ::ocibench::bench::ModuleRegistrar ocibench_module_##name( \
      {#name, add_flags, register_fn})
