// BuildCells (seeded, interleaved shuffle) and Summarize (median ratios to native).
#include "harness/run/matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>

#include "harness/benchjson/benchjson.h"

namespace ocibench::run {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

std::vector<CellSpec> BuildCells(const std::vector<std::string>& runtimes,
                                 const std::vector<std::string>& groups, int repetitions,
                                 std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<CellSpec> cells;
  for (int rep = 1; rep <= repetitions; ++rep) {
    std::vector<CellSpec> round;
    for (const auto& r : runtimes)
      for (const auto& g : groups) round.push_back({0, r, g, rep});
    std::shuffle(round.begin(), round.end(), rng);
    cells.insert(cells.end(), round.begin(), round.end());
  }
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i].index = static_cast<int>(i);
  return cells;
}

nlohmann::json Summarize(const std::filesystem::path& dir, const nlohmann::json& run) {
  // values[runtime][group][benchmark] = primary metric per ok repetition
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<double>>>> values;
  std::map<std::string, bool> higher;
  for (const auto& c : run.value("cells", nlohmann::json::array())) {
    if (c.value("status", "") != "ok" || !c["file"].is_string()) continue;
    try {
      const nlohmann::json j = benchjson::ReadFile(dir / c["file"].get<std::string>());
      for (const nlohmann::json* b : benchjson::Iterations(j))
        if (const auto m = benchjson::PrimaryMetric(*b)) {
          const std::string name = benchjson::BaseName(b->value("name", ""));
          values[c["runtime"]][c["group"]][name].push_back(m->value);
          higher[name] = m->direction == benchjson::Direction::kHigherIsBetter;
        }
    } catch (const benchjson::Error&) {
      continue;  // the report says which file is broken; the summary leaves it out
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& rt : run.value("runtimes", nlohmann::json::array())) {
    const std::string name = rt.value("name", "");
    for (const auto& g : run.value("groups", nlohmann::json::array())) {
      std::vector<double> ratios;
      for (const auto& [bench, vals] : values[name][g]) {
        const auto& base = values["native"][g][bench];
        if (base.empty() || vals.empty()) continue;
        const double b = Median(base), v = Median(vals);
        if (b <= 0 || v <= 0) continue;
        ratios.push_back(higher[bench] ? v / b : b / v);
      }
      out[name][g.get<std::string>()] =
          ratios.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(ratios));
    }
  }
  return out;
}

std::string SummaryTable(const nlohmann::json& summary) {
  std::vector<std::string> groups;
  for (const auto& [rt, gs] : summary.items())
    for (const auto& [g, v] : gs.items())
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  std::string s = fmt::format("{:<16}", "runtime");
  for (const auto& g : groups) s += fmt::format(" {:>8}", g);
  s += "\n";
  for (const auto& [rt, gs] : summary.items()) {
    s += fmt::format("{:<16}", rt);
    for (const auto& g : groups) {
      const auto& v = gs.contains(g) ? gs[g] : nlohmann::json(nullptr);
      s += v.is_number() ? fmt::format(" {:>8.2f}", v.get<double>()) : fmt::format(" {:>8}", "-");
    }
    s += "\n";
  }
  s += "(median ratio to native of each group's primary metrics; 1.00 = native, 0.50 = half as "
       "fast)\n";
  return s;
}

}  // namespace ocibench::run
