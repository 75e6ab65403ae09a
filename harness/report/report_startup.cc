// The report's start-up and density section: startup.csv, concurrency.csv and density.csv of
// the results directory (`ocibench startup`, `ocibench density`) as tables and a CDF plot per
// workload, beside the anchors' published figures (results/reference/startup_*.csv).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "harness/process/atomic_file.h"
#include "harness/report/plots.h"
#include "harness/report/reference.h"
#include "harness/report/report.h"
#include "harness/report/stats.h"

namespace ocibench::report {
namespace {

namespace fs = std::filesystem;

CsvRows ReadIfThere(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec) ? ReadCsvFile(p) : CsvRows{};
}

double Field(const std::map<std::string, std::string>& row, const std::string& key) {
  const auto it = row.find(key);
  if (it == row.end() || it->second.empty()) return NAN;
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    return NAN;
  }
}
std::string Text(const std::map<std::string, std::string>& row, const std::string& key) {
  const auto it = row.find(key);
  return it == row.end() ? "" : it->second;
}

// The sequential samples of one runtime, variant and workload.
struct Series {
  int failed = 0;
  std::map<std::string, std::vector<double>> ms;  // column → values of ok rows
};
using Key = std::tuple<std::string, std::string, std::string>;  // workload, runtime, variant

std::map<Key, Series> Sequential(const CsvRows& rows) {
  std::map<Key, Series> out;
  for (const auto& row : rows) {
    if (Text(row, "mode") != "sequential") continue;
    Series& s = out[{Text(row, "workload"), Text(row, "runtime"), Text(row, "variant")}];
    if (Text(row, "status") != "ok") {
      ++s.failed;
      continue;
    }
    for (const char* c :
         {"bundle_ms", "create_ms", "start_ms", "workload_ms", "exit_ms", "delete_ms", "total_ms"})
      if (const double v = Field(row, c); !std::isnan(v)) s.ms[c].push_back(v);
  }
  return out;
}

TableCell P(const Series& s, const std::string& col, double q) {
  const auto it = s.ms.find(col);
  if (it == s.ms.end() || it->second.empty()) return Empty();
  return Num(Quantile(it->second, q), 3);
}

TableCell Mib(double bytes) { return std::isnan(bytes) ? Empty() : Num(bytes / (1 << 20), 3); }

Table SequentialTable(const std::map<Key, Series>& seq) {
  Table t{.id = "startup",
          .title = "Start-up, sequential containers (ms from ocibench's first command)",
          .columns = {"workload", "runtime", "variant", "n", "failed", "create p50", "start p50",
                      "to workload p50", "to workload p95", "delete p50", "total p50", "total p95",
                      "total p99", "total max"}};
  for (const auto& [k, s] : seq) {
    const auto& [w, rt, v] = k;
    const auto n = s.ms.count("total_ms") ? s.ms.at("total_ms").size() : 0;
    t.rows.push_back({w, rt, v, Num(static_cast<double>(n)), Num(s.failed), P(s, "create_ms", .5),
                      P(s, "start_ms", .5), P(s, "workload_ms", .5), P(s, "workload_ms", .95),
                      P(s, "delete_ms", .5), P(s, "total_ms", .5), P(s, "total_ms", .95),
                      P(s, "total_ms", .99), P(s, "total_ms", 1)});
  }
  t.notes = {
      "total = create → removed; to workload = create → the workload's own clock stamp "
      "(bench) or first PONG (redis), taken where it happens; native = fork+exec of the "
      "same program; a containerd shim's `ctr run` does create, start and delete in one "
      "command, so its create/start/delete are empty."};
  return t;
}

// Each variant against the default bundle of the same runtime and workload: the ratio of
// median totals with a bootstrap 95% CI, and the difference of the medians.
Table VariantTable(const std::map<Key, Series>& seq) {
  Table t{.id = "startup_variants",
          .title = "What each part of ocibench's bundle costs (vs the default bundle)",
          .columns = {"workload", "runtime", "variant", "total p50", "default p50",
                      "difference p50 (ms)", "ratio", "95% CI", "verdict"}};
  for (const auto& [k, s] : seq) {
    const auto& [w, rt, v] = k;
    if (v == "default") continue;
    const auto base = seq.find({w, rt, "default"});
    if (base == seq.end() || !s.ms.count("total_ms") || !base->second.ms.count("total_ms"))
      continue;
    const auto& x = s.ms.at("total_ms");
    const auto& b = base->second.ms.at("total_ms");
    const double ratio = Median(x) / Median(b);
    const Interval ci = BootstrapRatioOfMediansCi(x, b, 42);
    t.rows.push_back(
        {w, rt, v, Num(Median(x), 3), Num(Median(b), 3), Num(Median(x) - Median(b), 3),
         Num(ratio, 3), fmt::format("{:.3f}–{:.3f}", ci.low, ci.high),
         ci.Contains(1) ? "cannot tell on this host" : (ratio < 1 ? "faster" : "slower")});
  }
  t.notes = {
      "no-seccomp: no seccomp profile; no-cgroup: no cgroupsPath and no limits; "
      "host-network: no network namespace; fresh-rootfs: a new bundle (rootfs copy) per "
      "container, its copy timed apart (bundle_ms) and not in total. A ratio below 1 is "
      "what that part costs the default bundle."};
  return t;
}

Table ConcurrencyTable(const CsvRows& rows) {
  Table t{.id = "startup_concurrency",
          .title = "Concurrency: k workers creating, starting and deleting for a fixed time",
          .columns = {"workload", "runtime", "workers", "containers/s", "ok", "failed", "p50 ms",
                      "p95 ms", "p99 ms", "max ms", "failures"}};
  for (const auto& r : rows)
    t.rows.push_back({Text(r, "workload"), Text(r, "runtime"), Text(r, "workers"),
                      Num(Field(r, "containers_per_s"), 3), Text(r, "ok"), Text(r, "failed"),
                      Num(Field(r, "p50_ms"), 3), Num(Field(r, "p95_ms"), 3),
                      Num(Field(r, "p99_ms"), 3), Num(Field(r, "max_ms"), 3),
                      Text(r, "failures").empty() ? Empty() : TableCell(Text(r, "failures"))});
  return t;
}

Table DensityTable(const CsvRows& rows) {
  Table t{.id = "density",
          .title = "Density: N idle containers kept at once",
          .columns = {"runtime", "N", "started", "MiB per container",
                      "runtime PSS MiB per "
                      "container",
                      "first start ms", "N-th start ms", "teardown ms", "status"}};
  for (const auto& r : rows)
    t.rows.push_back(
        {Text(r, "runtime"), Text(r, "n"), Text(r, "started"),
         Mib(Field(r, "mem_per_container_bytes")), Mib(Field(r, "runtime_pss_per_container_bytes")),
         Num(Field(r, "first_start_ms"), 3), Num(Field(r, "nth_start_ms"), 3),
         Num(Field(r, "teardown_ms"), 3),
         Text(r, "status") == "ok" ? TableCell("ok")
                                   : TableCell(Text(r, "status") + ": " + Text(r, "error"))});
  t.notes = {
      "MiB per container = (MemAvailable before − after) / started, page cache dropped "
      "before each reading (gVisor's size test); runtime PSS = the runtime's own "
      "processes (runsc's sandbox, gofer and stubs; containerd and its shims), not the "
      "workload; runc and crun leave no process of their own once a container runs."};
  return t;
}

Table PublishedTable(const CsvRows& rows, const std::string& id, const std::string& title) {
  Table t{
      .id = id,
      .title = title,
      .columns = {"anchor", "runtime", "metric", "value", "spread", "unit", "method", "source"}};
  for (const auto& r : rows)
    t.rows.push_back({Text(r, "anchor"), Text(r, "runtime"), Text(r, "metric"),
                      Num(Field(r, "value"), 4), Num(Field(r, "spread"), 3), Text(r, "unit"),
                      Text(r, "method"), Text(r, "source")});
  return t;
}

}  // namespace

bool HasStartupResults(const Results& r) {
  for (const char* f : {"startup.csv", "concurrency.csv", "density.csv"})
    if (fs::exists(r.dir / f)) return true;
  return false;
}

Section StartupSection(const Results& r, const Reference& ref) {
  Section s;
  s.title = "Start-up and density";
  if (!HasStartupResults(r)) {
    s.paragraphs.push_back(
        "No start-up or density results in this directory (`ocibench startup`, `ocibench "
        "density`; docs/startup.md).");
    return s;
  }
  const auto seq = Sequential(ReadIfThere(r.dir / "startup.csv"));
  if (!seq.empty()) s.tables.push_back(SequentialTable(seq));
  if (Table v = VariantTable(seq); !v.rows.empty()) s.tables.push_back(std::move(v));
  if (const auto c = ReadIfThere(r.dir / "concurrency.csv"); !c.empty())
    s.tables.push_back(ConcurrencyTable(c));
  if (const auto d = ReadIfThere(r.dir / "density.csv"); !d.empty())
    s.tables.push_back(DensityTable(d));
  if (!ref.dir.empty()) {
    const auto lat = ReadIfThere(ref.dir / "startup_latency.csv");
    const auto den = ReadIfThere(ref.dir / "startup_density.csv");
    if (!lat.empty() || !den.empty())
      s.paragraphs.push_back(
          "The anchors' published figures (results/reference/startup_*.csv, each row cited) "
          "come from other machines and other methods: compare shapes (which runtime is "
          "faster, by about how much, how memory grows with N), not digits. crun's and youki's "
          "READMEs time `run` or create+start+delete of /bin/true from a shell (hyperfine); "
          "gVisor 2019 and idlab go through Docker or a containerd client, whose own time "
          "dominates; Kata's and Firecracker's are VM boots (not runnable on this host: no "
          "nested virtualisation). Ours are timed by ocibench itself, phase by phase.");
    if (!lat.empty())
      s.tables.push_back(PublishedTable(lat, "startup_published", "Published start-up figures"));
    if (!den.empty())
      s.tables.push_back(PublishedTable(den, "density_published", "Published density figures"));
  }
  return s;
}

std::vector<Plot> RenderStartupPlots(const Results& r, const fs::path& dir,
                                     const std::string& gnuplot) {
  std::vector<Plot> plots;
  const auto seq = Sequential(ReadIfThere(r.dir / "startup.csv"));
  std::set<std::string> workloads;
  for (const auto& [k, s] : seq) workloads.insert(std::get<0>(k));
  for (const auto& w : workloads) {
    Plot p;
    p.id = "startup_cdf_" + w;
    p.title = "Start-up CDF (" + w + ", default bundle): create → removed, ms";
    fs::create_directories(dir);
    std::string plot_cmd;
    int i = 0;
    for (const auto& [k, s] : seq) {
      const auto& [kw, rt, v] = k;
      if (kw != w || v != "default" || !s.ms.count("total_ms")) continue;
      std::vector<double> x = s.ms.at("total_ms");
      std::sort(x.begin(), x.end());
      const fs::path dat = dir / fmt::format("startup_cdf_{}_{}.dat", w, i++);
      std::string text;
      for (std::size_t j = 0; j < x.size(); ++j)
        text += fmt::format("{:.6g} {:.6g}\n", x[j], static_cast<double>(j + 1) / x.size());
      process::WriteFileAtomic(dat, text);
      plot_cmd += fmt::format("{}'{}' using 1:2 with steps lw 2 title '{}'",
                              plot_cmd.empty() ? "plot " : ", ", dat.string(), rt);
    }
    if (plot_cmd.empty()) continue;
    const fs::path svg = dir / (p.id + ".svg");
    const std::string script = fmt::format(
        "set terminal svg size 800,450 dynamic font 'sans,11' background rgb 'white'\n"
        "set termoption noenhanced\nset output '{}'\nset key outside right top\nset grid\n"
        "set logscale x\nset xlabel 'ms (log scale)'\nset ylabel 'fraction of containers'\n"
        "set yrange [0:1]\n{}\n",
        svg.string(), plot_cmd);
    const fs::path gp = dir / (p.id + ".gp");
    process::WriteFileAtomic(gp, script);
    const std::string err = RunGnuplotScript(gnuplot, gp, dir / (p.id + ".log"));
    if (err.empty() && fs::exists(svg) && fs::file_size(svg) > 0) {
      p.svg = svg;
      fs::remove(dir / (p.id + ".log"));
    } else {
      p.missing = err.empty() ? "gnuplot wrote no SVG" : err;
    }
    plots.push_back(p);
  }
  return plots;
}

}  // namespace ocibench::report
