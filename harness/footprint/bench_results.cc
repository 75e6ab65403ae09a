#include "harness/footprint/bench_results.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "harness/benchjson/benchjson.h"

namespace ocibench::footprint {

std::map<std::string, double> ParseBenchmarkMillis(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);  // throws on bad JSON
  std::map<std::string, double> out;
  for (const nlohmann::json* b : benchjson::Iterations(j)) {
    const auto ms = benchjson::RealTimeMs(*b);
    if (!ms) throw std::runtime_error("unknown time_unit in " + b->dump());
    out[b->value("name", "")] = *ms;
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
  } catch (const benchjson::Error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": not Google Benchmark JSON: " + e.what());
  }
}

}  // namespace ocibench::footprint
