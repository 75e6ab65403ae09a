#include "harness/report/reference.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/report/csv_line.h"

namespace ocibench::report {

namespace fs = std::filesystem;

CsvRows ReadCsvFile(const fs::path& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error(fmt::format("{}: cannot read", path.string()));
  std::string line;
  if (!std::getline(f, line)) throw std::runtime_error(fmt::format("{}: empty", path.string()));
  const auto header = SplitCsvLine(line);
  CsvRows rows;
  int n = 1;
  while (std::getline(f, line)) {
    n++;
    if (line.empty()) continue;
    const auto fields = SplitCsvLine(line);
    if (fields.size() != header.size())
      throw std::runtime_error(fmt::format("{}:{}: {} fields, the header has {}", path.string(), n,
                                           fields.size(), header.size()));
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); i++) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

Reference LoadReference(const fs::path& dir) {
  Reference r;
  r.dir = dir;
  if (dir.empty() || !fs::is_directory(dir)) return r;
  r.redis = ReadCsvFile(dir / "embedded2022_redis.csv");
  r.sevenzip = ReadCsvFile(dir / "embedded2022_7z.csv");
  r.summary_ratios = ReadCsvFile(dir / "embedded2022_summary_ratios.csv");
  r.memory_overhead = ReadCsvFile(dir / "embedded2022_memory_overhead.csv");
  r.creation_peak = ReadCsvFile(dir / "embedded2022_creation_peak.csv");
  r.install_size = ReadCsvFile(dir / "embedded2022_install_size.csv");
  r.pyperf_categories = ReadCsvFile(dir / "pyperformance2021_categories.csv");
  r.pyperf_tests = ReadCsvFile(dir / "pyperformance2021_crun_kata.csv");
  r.loaded = true;
  return r;
}

std::string StudyRuntimeName(const std::string& rt) {
  if (rt == "native") return "native";
  if (rt.starts_with("runc")) return "runc";
  if (rt.starts_with("crun")) return "crun";
  if (rt.starts_with("runsc") || rt.starts_with("gvisor")) return "gVisor";
  if (rt.starts_with("kata")) return "Kata";
  return "";
}

std::optional<double> StudyRedisRps(const Reference& ref, const std::string& arch,
                                    const std::string& study_runtime, const std::string& test) {
  for (const auto& row : ref.redis)
    if (row.at("arch") == arch && row.at("runtime") == study_runtime && row.at("test") == test)
      return std::stod(row.at("rps"));
  return std::nullopt;
}

}  // namespace ocibench::report
