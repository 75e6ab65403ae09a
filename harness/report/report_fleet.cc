// The fleet report's document: hosts and their facts, and writing it out (the tables of
// ratios and differences: report_fleet_tables.cc).
#include "harness/report/report_fleet.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/report/report.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Text(const json& v) {
  if (v.is_null()) return "";
  return v.is_string() ? v.get<std::string>() : v.dump();
}

int OkCells(const Results& r) {
  return static_cast<int>(
      std::count_if(r.run.cells.begin(), r.run.cells.end(),
                    [](const CellRecord& c) { return c.status == Name(CellStatus::kOk); }));
}

// A fact of one host's run.json as a cell; "–" when the host does not say.
TableCell HostFact(const Results& r, const std::string& key) {
  const json host = r.run.raw.value("host", json::object());
  if (!host.is_object() || !host.contains(key) || host[key].is_null()) return Empty();
  if (key == "mem_bytes" && host[key].is_number())
    return TableCell(fmt::format("{:.1f} GiB", host[key].get<double>() / (1u << 30)), host[key]);
  return TableCell(Text(host[key]), host[key]);
}

// What the bench binary saw itself (benchjson context, docs/results-format.md), from the
// baseline's files or else the first runtime's.
TableCell ContextFact(const Results& r, const std::string& baseline, const std::string& key) {
  auto it = r.contexts.find(baseline);
  if (it == r.contexts.end()) it = r.contexts.begin();
  if (it == r.contexts.end() || !it->second.is_object() || !it->second.contains(key))
    return Empty();
  return TableCell(Text(it->second[key]), it->second[key]);
}

}  // namespace

std::vector<HostAnalysis> AnalyzeFleet(const Fleet& fleet, const AnalysisOptions& options) {
  std::vector<HostAnalysis> out;
  for (const FleetHost* h : ReadableHosts(fleet)) {
    AnalysisOptions o = options;
    if (h->results->run.seed && o.seed == AnalysisOptions{}.seed) o.seed = *h->results->run.seed;
    out.push_back({h, Analyze(*h->results, o)});
  }
  return out;
}

std::vector<std::string> FleetRuntimes(const std::vector<HostAnalysis>& hosts) {
  std::vector<std::string> out;
  for (const auto& h : hosts)
    for (const auto& rt : h.analysis.runtimes)
      if (rt != h.analysis.options.baseline && std::find(out.begin(), out.end(), rt) == out.end())
        out.push_back(rt);
  return out;
}

Section FleetHostsSection(const Fleet& fleet) {
  Section s;
  s.title = "Hosts";
  Table t{.id = "fleet_hosts",
          .columns = {"host", "status", "directory", "ocibench", "cells ok", "cells",
                      "benchmark results", "reason"}};
  for (const auto& h : fleet.hosts) {
    if (!h.results) {
      t.rows.push_back({h.name, h.status == "failed" ? "failed" : "unreadable", h.dir.string(),
                        Empty(), Empty(), Empty(), Empty(),
                        h.reason.empty() ? "no results" : h.reason});
      continue;
    }
    const Results& r = *h.results;
    t.rows.push_back({h.name, h.status, h.dir.string(),
                      TableCell(r.run.raw.value("ocibench_version", "")), Num(OkCells(r)),
                      Num(static_cast<double>(r.run.cells.size())),
                      Num(static_cast<double>(r.entries.size())), TableCell(h.reason)});
  }
  s.tables.push_back(std::move(t));
  if (fleet.mismatches.empty()) {
    s.paragraphs.push_back(
        "The readable hosts ran the same ocibench version and the same measured settings.");
  } else {
    s.paragraphs.push_back("What is not alike between the hosts:");
    for (const auto& m : fleet.mismatches) s.paragraphs.push_back("- " + m);
  }
  return s;
}

Section FleetFactsSection(const Fleet& fleet) {
  Section s;
  s.title = "Host facts";
  s.paragraphs.push_back(
      "From each host's run.json (\"host\", \"limits\", \"runtimes\") and what the bench binary "
      "saw itself (its where_* context, from the baseline's files).");
  const auto hosts = ReadableHosts(fleet);
  Table t{.id = "fleet_facts", .columns = {"fact"}};
  for (const auto* h : hosts) t.columns.push_back(h->name);
  const std::vector<std::pair<std::string, std::string>> facts = {
      {"CPU model", "cpu_model"},     {"cores", "cpus"},
      {"memory", "mem_bytes"},        {"arch", "arch"},
      {"kernel", "kernel"},           {"OS", "os"},
      {"cgroup mode", "cgroup_mode"}, {"hostname", "hostname"}};
  for (const auto& [label, key] : facts) {
    std::vector<TableCell> row = {label};
    for (const auto* h : hosts) row.push_back(HostFact(*h->results, key));
    t.rows.push_back(std::move(row));
  }
  for (const char* key : {"where_virtual_machine", "where_clocksource"}) {
    std::vector<TableCell> row = {std::string(key)};
    for (const auto* h : hosts) row.push_back(ContextFact(*h->results, "native", key));
    t.rows.push_back(std::move(row));
  }
  for (const char* key : {"ocibench_version", "repetitions"}) {
    std::vector<TableCell> row = {std::string(key)};
    for (const auto* h : hosts) {
      const json& j = h->results->run.raw;
      row.push_back(j.contains(key) ? TableCell(Text(j[key]), j[key]) : Empty());
    }
    t.rows.push_back(std::move(row));
  }
  for (const char* key : {"cpus", "memory_bytes"}) {
    std::vector<TableCell> row = {std::string("limits.") + key};
    for (const auto* h : hosts) {
      const json l = h->results->run.raw.value("limits", json::object());
      row.push_back(l.is_object() && l.contains(key) ? TableCell(Text(l[key]), l[key]) : Empty());
    }
    t.rows.push_back(std::move(row));
  }
  // One row per runtime named on any host: its version there, or why it is absent.
  std::vector<std::string> names;
  for (const auto* h : hosts)
    for (const auto& rt : h->results->run.runtimes)
      if (rt.kind != "native" && std::find(names.begin(), names.end(), rt.name) == names.end())
        names.push_back(rt.name);
  for (const auto& n : names) {
    std::vector<TableCell> row = {"runtime " + n};
    for (const auto* h : hosts) {
      const auto& rts = h->results->run.runtimes;
      const auto it =
          std::find_if(rts.begin(), rts.end(), [&](const RunRuntime& r) { return r.name == n; });
      row.push_back(it == rts.end() ? TableCell("not run on this host")
                                    : TableCell(it->version.empty() ? "?" : it->version));
    }
    t.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(t));
  return s;
}

Document BuildFleetReport(const Fleet& fleet, const std::vector<HostAnalysis>& hosts,
                          const Reference& ref) {
  Document d;
  d.title = "ocibench fleet report" +
            (fleet.dir.empty() ? std::string() : ": " + fleet.dir.filename().string());
  std::string names;
  for (const auto& h : fleet.hosts) names += (names.empty() ? "" : ", ") + h.name;
  d.intro.push_back(fmt::format(
      "{} host(s): {}; {} readable. Every ratio is a host's runtime against that host's own "
      "native; between-host differences take {} as the reference host.{}",
      fleet.hosts.size(), names, hosts.size(),
      hosts.empty() ? std::string("none") : hosts.front().host->name,
      fleet.config.empty() ? "" : " Shared config: " + fleet.config + "."));
  d.sections.push_back(FleetHostsSection(fleet));
  if (!hosts.empty()) {
    d.sections.push_back(FleetStudySection(hosts, ref));
    d.sections.push_back(FleetRatiosSection(hosts));
    d.sections.push_back(FleetDifferencesSection(fleet, hosts));
    d.sections.push_back(FleetFactsSection(fleet));
  }
  return d;
}

std::vector<fs::path> WriteFleetReport(const Fleet& fleet, const fs::path& out_dir,
                                       const AnalysisOptions& options,
                                       const fs::path& reference_dir, Document* doc_out) {
  const auto hosts = AnalyzeFleet(fleet, options);
  const Reference ref = LoadReference(reference_dir);
  Document doc = BuildFleetReport(fleet, hosts, ref);
  fs::create_directories(out_dir);
  std::vector<fs::path> written = WriteDocument(doc, out_dir);
  if (doc_out) *doc_out = std::move(doc);
  return written;
}

}  // namespace ocibench::report
