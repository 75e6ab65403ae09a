// The matrix's order and its summary.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/run/cell.h"

namespace ocibench::run {

// runtimes × groups × repetitions, interleaved: repetition k of every (runtime, group) pair
// runs before repetition k+1 of any, each round in a shuffled order (std::mt19937_64(seed)),
// so slow drift of the machine spreads over all runtimes.
std::vector<CellSpec> BuildCells(const std::vector<std::string>& runtimes,
                                 const std::vector<std::string>& groups, int repetitions,
                                 std::uint64_t seed);

// Per runtime and group: the median over the group's benchmarks of (median of the runtime's
// repetitions ÷ median of native's) of each benchmark's primary metric (docs/results-format.md),
// oriented so that 1.0 = as fast as native and 0.5 = half as fast. Null where not measured.
nlohmann::json Summarize(const std::filesystem::path& results_dir, const nlohmann::json& run);

// The summary as a text table.
std::string SummaryTable(const nlohmann::json& summary);

}  // namespace ocibench::run
