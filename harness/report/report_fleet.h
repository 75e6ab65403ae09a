// `ocibench report` of a fleet (a fleet directory or several results directories): each host's
// ratios to its own native side by side (a column group per host, like the embedded study's
// x86 and ARM tables), the differences between hosts with confidence intervals, and one table
// of host facts. Reads files only, like the rest of report/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/report/analysis.h"
#include "harness/report/document.h"
#include "harness/report/fleet_results.h"
#include "harness/report/reference.h"

namespace ocibench::report {

// One readable host's analysis (each host against its own baseline runtime).
struct HostAnalysis {
  const FleetHost* host = nullptr;
  Analysis analysis;
};
std::vector<HostAnalysis> AnalyzeFleet(const Fleet& fleet, const AnalysisOptions& options);

// The non-baseline runtimes of all hosts, in first-seen order.
std::vector<std::string> FleetRuntimes(const std::vector<HostAnalysis>& hosts);

Section FleetHostsSection(const Fleet& fleet);  // status, cells, reasons, what is not comparable
Section FleetFactsSection(const Fleet& fleet);  // CPU, cores, memory, kernel, cgroups, versions
Section FleetStudySection(const std::vector<HostAnalysis>& hosts, const Reference& ref);
Section FleetRatiosSection(const std::vector<HostAnalysis>& hosts);
// Every host against the first readable one: the same benchmark and runtime (the machines'
// difference), and each runtime's cost (its ratio to native) divided between the two hosts.
Section FleetDifferencesSection(const Fleet& fleet, const std::vector<HostAnalysis>& hosts);

Document BuildFleetReport(const Fleet& fleet, const std::vector<HostAnalysis>& hosts,
                          const Reference& ref);

// report.md, report.html, report.json and report_*.csv into `out_dir` (no plots: the per-host
// reports draw them). Returns the files written.
std::vector<std::filesystem::path> WriteFleetReport(const Fleet& fleet,
                                                    const std::filesystem::path& out_dir,
                                                    const AnalysisOptions& options,
                                                    const std::filesystem::path& reference_dir,
                                                    Document* doc_out);

}  // namespace ocibench::report
