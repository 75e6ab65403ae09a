// Host/version, memory, lifecycle and notes sections.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "harness/report/report.h"

namespace ocibench::report {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Samples up to this long after a cell starts count as "container creation".
constexpr double kCreationWindowS = 2.0;

std::string JsonText(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "–";
  return j.dump();
}

struct MemStats {
  double used_min = kNaN, used_max = kNaN;  // host_used over all samples of all cells
  std::vector<double> creation_peaks;       // per cell: max in the creation window − first sample
  double cgroup_peak = kNaN, pss_peak = kNaN;
  int cells = 0;
};

double NanMax(double a, double b) { return std::isnan(a) ? b : std::max(a, b); }
double NanMin(double a, double b) { return std::isnan(a) ? b : std::min(a, b); }

}  // namespace

Section HostSection(const Results& r) {
  Section s;
  s.title = "Host and versions";
  const auto& j = r.run.raw;
  Table t{.id = "host", .columns = {"item", "value"}};
  for (const char* k : {"ocibench_version", "started", "finished", "seed", "repetitions"})
    if (j.contains(k)) t.rows.push_back({k, JsonText(j[k])});
  if (j.contains("host") && j["host"].is_object())
    for (const auto& [k, v] : j["host"].items()) t.rows.push_back({"host." + k, JsonText(v)});
  if (j.contains("limits") && j["limits"].is_object())
    for (const auto& [k, v] : j["limits"].items()) t.rows.push_back({"limits." + k, JsonText(v)});
  if (j.contains("images") && j["images"].is_object())
    for (const auto& [k, v] : j["images"].items()) t.rows.push_back({"image." + k, JsonText(v)});
  s.tables.push_back(std::move(t));

  Table rt;
  rt.id = "runtimes";
  rt.title = "Runtimes";
  rt.columns = {"name", "kind", "version", "path", "args", "platform"};
  for (const auto& e : r.run.runtimes) {
    std::string args;
    for (const auto& a : e.args) args += (args.empty() ? "" : " ") + a;
    rt.rows.push_back({e.name, e.kind, e.version, e.path, args, e.platform});
  }
  s.tables.push_back(std::move(rt));

  // Library versions and CPU facts recorded by Google Benchmark in each runtime's files.
  Table ctx;
  ctx.id = "bench_context";
  ctx.title = "ocibench-bench context (Google Benchmark, per runtime)";
  ctx.columns = {"runtime", "key", "value"};
  for (const auto& [runtime, c] : r.contexts) {
    if (!c.is_object()) continue;
    for (const auto& [k, v] : c.items()) {
      if (k == "caches" || k == "date" || k.starts_with("ocibench_")) continue;
      ctx.rows.push_back({runtime, k, JsonText(v)});
    }
  }
  s.tables.push_back(std::move(ctx));
  if (j.contains("config"))
    s.paragraphs.push_back("Effective configuration (run.json \"config\"): " + j["config"].dump());
  return s;
}

Section MemorySection(const Results& r, const Analysis& a, const Reference& ref) {
  Section s;
  s.title = "Memory";
  s.paragraphs.push_back(fmt::format(
      "From memory.csv (10 Hz). used = host MemTotal − MemAvailable over every sample of every "
      "cell of the group. Overhead = runtime − {0} as the embedded study estimated it (section "
      "5.4): from (runtime min − {0} min) to (runtime max − {0} max). Creation peak = the highest "
      "host used in the first {1:.0f} s of a cell minus its first sample, median over cells. "
      "cgroup and PSS peaks where the harness could read them.",
      a.options.baseline, kCreationWindowS));
  if (r.memory.empty()) {
    s.paragraphs.push_back("No memory samples in this run.");
    return s;
  }
  // Per (group, runtime) and per cell.
  std::map<std::pair<std::string, std::string>, MemStats> stats;
  std::map<std::tuple<std::string, std::string, int>, std::vector<const MemorySample*>> cells;
  for (const auto& m : r.memory) cells[{m.group, m.runtime, m.repetition}].push_back(&m);
  for (auto& [key, samples] : cells) {
    auto& st = stats[{std::get<0>(key), std::get<1>(key)}];
    st.cells++;
    std::sort(samples.begin(), samples.end(), [](auto* x, auto* y) { return x->t_s < y->t_s; });
    double first = kNaN, peak = kNaN;
    for (const auto* m : samples) {
      if (m->host_used_bytes) {
        const double v = *m->host_used_bytes;
        st.used_min = NanMin(st.used_min, v);
        st.used_max = NanMax(st.used_max, v);
        if (std::isnan(first)) first = v;
        if (m->t_s <= kCreationWindowS) peak = NanMax(peak, v);
      }
      if (m->cgroup_bytes) st.cgroup_peak = NanMax(st.cgroup_peak, *m->cgroup_bytes);
      if (m->runtime_pss_bytes) st.pss_peak = NanMax(st.pss_peak, *m->runtime_pss_bytes);
    }
    if (!std::isnan(first) && !std::isnan(peak)) st.creation_peaks.push_back(peak - first);
  }
  Table t{.id = "memory",
          .columns = {"group", "runtime", "cells", "used min MiB", "used max MiB",
                      "overhead vs " + a.options.baseline + " MiB", "creation peak MiB",
                      "cgroup peak MiB", "runtime PSS peak MiB", "study overhead (Table 5.4)"}};
  const std::string arch = RunArch(r).empty() ? "amd64" : RunArch(r);
  for (const auto& g : a.groups) {
    for (const auto& rt : a.runtimes) {
      auto it = stats.find({g, rt});
      if (it == stats.end()) continue;
      const auto& st = it->second;
      TableCell overhead = Empty();
      auto base = stats.find({g, a.options.baseline});
      if (rt != a.options.baseline && base != stats.end() && !std::isnan(st.used_min) &&
          !std::isnan(base->second.used_min)) {
        const double lo = (st.used_min - base->second.used_min) / kMiB;
        const double hi = (st.used_max - base->second.used_max) / kMiB;
        overhead = TableCell(fmt::format("{:.0f} – {:.0f}", std::min(lo, hi), std::max(lo, hi)),
                             nlohmann::json{{"min", std::min(lo, hi)}, {"max", std::max(lo, hi)}});
      }
      TableCell study = Empty();
      const std::string bench = g == "lzma" ? "7z" : g;
      for (const auto& row : ref.memory_overhead)
        if (row.at("arch") == arch && row.at("runtime") == StudyRuntimeName(rt) &&
            row.at("benchmark") == bench)
          study = TableCell(row.at("overhead_min_mb") + " – " + row.at("overhead_max_mb") + " MB");
      t.rows.push_back({g, rt, Num(st.cells), Num(st.used_min / kMiB), Num(st.used_max / kMiB),
                        overhead,
                        st.creation_peaks.empty() ? Empty() : Num(Median(st.creation_peaks) / kMiB),
                        Num(st.cgroup_peak / kMiB), Num(st.pss_peak / kMiB), study});
    }
  }
  t.notes.push_back(
      "Host-wide numbers include everything else running on the host; other processes' "
      "activity during a cell shows up as overhead. The study's figures are for its hosts "
      "(x86: 8 GB laptop; ARM: Raspberry Pi 4) and Docker.");
  s.tables.push_back(std::move(t));
  return s;
}

Section LifecycleSection(const Results& r, const Analysis& a) {
  Section s;
  s.title = "Container lifecycle";
  s.paragraphs.push_back(
      "From lifecycle.csv: wall-clock ms of the runtime's create, start and delete commands, "
      "first output and total (from the start of create until the process exited), median "
      "(and max) over all cells of each runtime. Native rows have only first output and total.");
  if (r.lifecycle.empty()) {
    s.paragraphs.push_back("No lifecycle rows in this run.");
    return s;
  }
  Table t{.id = "lifecycle",
          .columns = {"runtime", "cells", "create ms", "start ms", "first output ms", "total ms",
                      "delete ms", "create max ms", "delete max ms"}};
  for (const auto& rt : a.runtimes) {
    std::map<std::string, std::vector<double>> v;
    int n = 0;
    for (const auto& l : r.lifecycle) {
      if (l.runtime != rt) continue;
      n++;
      if (l.create_ms) v["create"].push_back(*l.create_ms);
      if (l.start_ms) v["start"].push_back(*l.start_ms);
      if (l.first_output_ms) v["first"].push_back(*l.first_output_ms);
      if (l.total_ms) v["total"].push_back(*l.total_ms);
      if (l.delete_ms) v["delete"].push_back(*l.delete_ms);
    }
    if (n == 0) continue;
    auto med = [&](const char* k) { return v.count(k) ? Num(Median(v[k])) : Empty(); };
    auto mx = [&](const char* k) {
      return v.count(k) ? Num(*std::max_element(v[k].begin(), v[k].end())) : Empty();
    };
    t.rows.push_back({rt, Num(n), med("create"), med("start"), med("first"), med("total"),
                      med("delete"), mx("create"), mx("delete")});
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section NotesSection(const Results& r) {
  Section s;
  s.title = "Cells and notes";
  std::map<std::string, int> status;
  for (const auto& c : r.run.cells) status[c.status]++;
  std::string counts;
  for (const auto& [k, n] : status)
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, k);
  s.paragraphs.push_back(
      fmt::format("{} cells: {}.", r.run.cells.size(), counts.empty() ? "none" : counts));
  Table t{.id = "notes", .columns = {"note"}};
  for (const auto& n : r.notes) t.rows.push_back({n});
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ocibench::report
