// The studies' published figures (results/reference/*.csv) for the report's reference columns.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::report {

// One CSV of results/reference as rows of named fields (quoted fields allowed).
using CsvRows = std::vector<std::map<std::string, std::string>>;

struct Reference {
  std::filesystem::path dir;
  CsvRows redis;              // embedded2022_redis.csv
  CsvRows sevenzip;           // embedded2022_7z.csv
  CsvRows summary_ratios;     // embedded2022_summary_ratios.csv
  CsvRows memory_overhead;    // embedded2022_memory_overhead.csv
  CsvRows creation_peak;      // embedded2022_creation_peak.csv
  CsvRows install_size;       // embedded2022_install_size.csv
  CsvRows pyperf_categories;  // pyperformance2021_categories.csv
  CsvRows pyperf_tests;       // pyperformance2021_crun_kata.csv
  bool loaded = false;
};

// Reads a CSV with a header line; fields may be "quoted" ("" escapes a quote). Throws
// std::runtime_error naming the file when it cannot be read.
CsvRows ReadCsvFile(const std::filesystem::path& path);

// Loads the reference CSVs from `dir`; a missing directory gives loaded = false (the report
// then says so); a missing or broken file in an existing directory throws, naming the file.
Reference LoadReference(const std::filesystem::path& dir);

// The studies' name for one of this run's runtimes: runc → "runc", crun → "crun",
// runsc* → "gVisor", kata* → "Kata", native → "native"; anything else → "".
std::string StudyRuntimeName(const std::string& runtime);

// The study's rps of a Redis test (our id without "Redis_", e.g. "LPUSH_FILL") for a study
// runtime and arch ("amd64" | "arm64").
std::optional<double> StudyRedisRps(const Reference& ref, const std::string& arch,
                                    const std::string& study_runtime, const std::string& test);

}  // namespace ocibench::report
