// Wall time per benchmark from Google Benchmark's JSON output (--benchmark_out_format=json).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace ocibench::footprint {

// name → real_time in milliseconds (benchjson: iteration runs only; errored runs skipped). Throws
// std::runtime_error naming the file when it is missing or not Google Benchmark JSON.
std::map<std::string, double> ReadBenchmarkMillis(const std::filesystem::path& json_file);
std::map<std::string, double> ParseBenchmarkMillis(const std::string& json_text);

}  // namespace ocibench::footprint
