#include "harness/footprint/bench_results.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ocibench::footprint {

std::map<std::string, double> ParseBenchmarkMillis(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);  // throws on bad JSON
  if (!j.contains("benchmarks") || !j["benchmarks"].is_array()) {
    throw std::runtime_error("no \"benchmarks\" array");
  }
  static const std::map<std::string, double> kToMs = {
      {"ns", 1e-6}, {"us", 1e-3}, {"ms", 1.0}, {"s", 1e3}};
  std::map<std::string, double> out;
  for (const auto& b : j["benchmarks"]) {
    if (b.value("run_type", "iteration") != "iteration" || b.value("error_occurred", false)) {
      continue;
    }
    const auto unit = kToMs.find(b.value("time_unit", "ns"));
    if (unit == kToMs.end()) throw std::runtime_error("unknown time_unit in " + b.dump());
    out[b.value("name", "")] = b.value("real_time", 0.0) * unit->second;
  }
  return out;
}

std::map<std::string, double> ReadBenchmarkMillis(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("no benchmark output " + file.string());
  if (in.peek() == std::ifstream::traits_type::eof()) {
    throw std::runtime_error(file.string() +
                             " is empty: did the benchmark filter match anything? "
                             "(ocibench-bench --benchmark_list_tests)");
  }
  try {
    return ParseBenchmarkMillis(std::string(std::istreambuf_iterator<char>(in), {}));
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": not Google Benchmark JSON: " + e.what());
  }
}

}  // namespace ocibench::footprint
