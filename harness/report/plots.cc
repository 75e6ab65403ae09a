#include "harness/report/plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "harness/process/command.h"

namespace ocibench::report {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTerminal =
    "set terminal svg size {},{} dynamic font 'sans,11' background rgb 'white'\n"
    "set termoption noenhanced\nset output '{}'\nset datafile missing '?'\n"
    "set key outside right top\nset grid ytics\n";

// Runs gnuplot on a script (60 s at most); "" on success, else one line (from its stderr, which
// is also kept in `log`).
std::string RunGnuplot(const std::string& gnuplot, const fs::path& script, const fs::path& log) {
  const process::CommandResult r = process::RunCommand(
      {gnuplot, script.string()}, process::WithTimeout(std::chrono::seconds(60)));
  if (FILE* f = std::fopen(log.c_str(), "w")) {
    std::fputs(r.err.c_str(), f);
    std::fclose(f);
  }
  if (!r.started)
    return fmt::format("{} not found ({}); install Debian's gnuplot-nox (scripts/install-deps)",
                       gnuplot, r.start_error.empty() ? r.err : r.start_error);
  if (r.ok()) return "";
  const std::string last = r.timed_out ? "timed out after 60 s" : r.LastLine();
  return fmt::format("gnuplot failed on {}: {}", script.filename().string(),
                     last.empty() ? "no message" : last);
}

void WriteText(const fs::path& p, const std::string& text) {
  FILE* f = std::fopen(p.c_str(), "w");
  if (!f) throw std::runtime_error(fmt::format("{}: cannot write", p.string()));
  std::fputs(text.c_str(), f);
  std::fclose(f);
}

std::string Value(double v) { return std::isnan(v) ? "?" : fmt::format("{:.6g}", v); }

// A "name rt1 rt2 …" table of medians of the benchmarks matching `pred`.
template <typename Pred>
std::string MedianTable(const Analysis& a, Pred pred, std::size_t* rows) {
  std::string out = "benchmark";
  for (const auto& rt : a.runtimes) out.append(" ").append(rt);
  out += "\n";
  std::vector<std::string> names;
  for (const auto& r : a.rows)
    if (pred(r.series) && std::find(names.begin(), names.end(), r.series.name) == names.end())
      names.push_back(r.series.name);
  for (const auto& n : names) {
    out += n;
    for (const auto& rt : a.runtimes) {
      double v = NAN;
      for (const auto& r : a.rows)
        if (r.series.name == n && r.series.runtime == rt && pred(r.series)) v = r.median;
      out.append(" ").append(Value(v));
    }
    out += "\n";
  }
  *rows = names.size();
  return out;
}

std::string Histogram(const fs::path& dat, std::size_t ncols, const std::string& ylabel,
                      bool logscale) {
  std::string s =
      "set style data histograms\nset style histogram clustered gap 1\n"
      "set style fill solid 0.85 border -1\nset xtics rotate by -40 scale 0\nset bmargin 10\n"
      "set ylabel '" +
      ylabel + "'\nset yrange [" + (logscale ? "*" : "0") + ":*]\n";
  if (logscale) s += "set logscale y\n";
  s += "plot '" + dat.string() + "' using 2:xtic(1) title columnheader(2)";
  for (std::size_t c = 3; c <= ncols + 1; c++)
    s += fmt::format(", '' using {} title columnheader({})", c, c);
  return s + "\n";
}

}  // namespace

std::string GnuplotHead(const fs::path& dir, const std::string& id, int w, int h) {
  return fmt::format(kTerminal, w, h, (dir / (id + ".svg")).string());
}

Plot RenderGnuplot(Plot plot, const fs::path& dir, const std::string& script,
                   const std::string& gnuplot) {
  fs::create_directories(dir);
  const fs::path gp = dir / (plot.id + ".gp"), svg = dir / (plot.id + ".svg");
  WriteText(gp, script);
  const std::string err = RunGnuplot(gnuplot, gp, dir / (plot.id + ".log"));
  if (err.empty() && fs::exists(svg) && fs::file_size(svg) > 0) {
    plot.svg = svg;
    fs::remove(dir / (plot.id + ".log"));
  } else {
    plot.missing = err.empty() ? "gnuplot wrote no SVG" : err;
  }
  return plot;
}

std::vector<Plot> RenderPlots(const Results& r, const Analysis& a, const fs::path& dir,
                              const std::string& gnuplot) {
  std::vector<Plot> plots;
  fs::create_directories(dir);
  // A previous report's plots (e.g. of a runtime no longer reported) must not linger.
  for (const auto& f : fs::directory_iterator(dir)) {
    const auto ext = f.path().extension();
    if (ext == ".svg" || ext == ".dat" || ext == ".gp" || ext == ".log") fs::remove(f.path());
  }
  // Each entry: plot, script text (empty = no data; `missing` says why).
  struct Job {
    Plot plot;
    std::string script;
  };
  std::vector<Job> jobs;
  auto svg_of = [&](const std::string& id) { return dir / (id + ".svg"); };
  auto head = [&](const std::string& id, int w, int h) {
    return fmt::format(kTerminal, w, h, svg_of(id).string());
  };
  const auto nrt = a.runtimes.size();

  {  // Redis requests/s per test and runtime.
    Job j{{"redis_rps", "Redis requests/s per test and runtime (median)", {}, {}}, {}};
    std::size_t rows = 0;
    const auto data = MedianTable(
        a, [](const Series& s) { return s.name.starts_with("Redis_"); }, &rows);
    if (rows == 0) {
      j.plot.missing = "no Redis results in this run";
    } else {
      WriteText(dir / "redis_rps.dat", data);
      j.script = head("redis_rps", 1000, 520) + "set title 'Redis requests/s (median)'\n" +
                 Histogram(dir / "redis_rps.dat", nrt, "requests/s", false);
    }
    jobs.push_back(j);
  }
  {  // Latency percentiles: median over the latency benchmarks of each runtime.
    Job j{{"latency", "Latency percentiles per runtime (median over benchmarks)", {}, {}}, {}};
    const std::vector<std::string> pct = {"lat_min_us", "lat_p50_us", "lat_avg_us",
                                          "lat_p95_us", "lat_p99_us", "lat_max_us"};
    // Prefer the Redis group (the study's latency figures); else any group with latencies.
    std::string group;
    for (const auto& row : a.rows)
      if (row.series.counters.count("lat_p50_us") && (group.empty() || row.series.group == "redis"))
        group = row.series.group;
    if (group.empty()) {
      j.plot.missing = "no benchmark with latency counters (lat_*_us) in this run";
    } else {
      std::string data = "percentile";
      for (const auto& rt : a.runtimes) data.append(" ").append(rt);
      data += "\n";
      for (const auto& p : pct) {
        data += p.substr(4, p.size() - 7);
        for (const auto& rt : a.runtimes) {
          std::vector<double> meds;
          for (const auto& row : a.rows)
            if (row.series.group == group && row.series.runtime == rt &&
                row.series.counters.count(p))
              meds.push_back(Median(row.series.counters.at(p)));
          data.append(" ").append(Value(meds.empty() ? NAN : Median(meds)));
        }
        data += "\n";
      }
      WriteText(dir / "latency.dat", data);
      j.plot.title = "Latency percentiles per runtime, " + group + " (median over benchmarks)";
      j.script = head("latency", 900, 480) + "set title 'Latency, " + group + " group'\n" +
                 Histogram(dir / "latency.dat", nrt, "microseconds (log)", true);
    }
    jobs.push_back(j);
  }
  {  // LZMA ratings.
    Job j{{"lzma_rating", "LZMA rating (MIPS) per benchmark and runtime (median)", {}, {}}, {}};
    std::size_t rows = 0;
    const auto data = MedianTable(
        a, [](const Series& s) { return s.name.starts_with("LZMA_"); }, &rows);
    if (rows == 0) {
      j.plot.missing = "no LZMA results in this run";
    } else {
      WriteText(dir / "lzma_rating.dat", data);
      j.script = head("lzma_rating", 1000, 520) + "set title 'LZMA rating (MIPS, median)'\n" +
                 Histogram(dir / "lzma_rating.dat", nrt, "rating MIPS", false);
    }
    jobs.push_back(j);
  }
  // Memory time series, one plot per runtime: host used (and cgroup usage) of the first
  // repetition of each group.
  for (const auto& rt : a.runtimes) {
    Job j{{"memory_" + rt,
           "Memory during the cells of " + rt + " (first repetition per group)",
           {},
           {}},
          {}};
    std::map<std::string, int> first_rep;
    for (const auto& m : r.memory)
      if (m.runtime == rt && (!first_rep.count(m.group) || m.repetition < first_rep[m.group]))
        first_rep[m.group] = m.repetition;
    if (first_rep.empty()) {
      if (!r.memory.empty()) {
        j.plot.missing = "no memory samples for " + rt;
        jobs.push_back(j);
      }
      continue;
    }
    std::string plot_cmd;
    for (const auto& [g, rep] : first_rep) {
      std::string data = "t_s host_used_MiB cgroup_MiB\n";
      bool cgroup = false;
      std::vector<const MemorySample*> ms;
      for (const auto& m : r.memory)
        if (m.runtime == rt && m.group == g && m.repetition == rep) ms.push_back(&m);
      std::sort(ms.begin(), ms.end(), [](auto* x, auto* y) { return x->t_s < y->t_s; });
      for (const auto* m : ms) {
        data += fmt::format("{:.3f} {} {}\n", m->t_s,
                            m->host_used_bytes ? Value(*m->host_used_bytes / 1048576.0) : "?",
                            m->cgroup_bytes ? Value(*m->cgroup_bytes / 1048576.0) : "?");
        cgroup = cgroup || m->cgroup_bytes.has_value();
      }
      const fs::path dat = dir / fmt::format("memory_{}_{}.dat", rt, g);
      WriteText(dat, data);
      plot_cmd += fmt::format("{}'{}' using 1:2 with lines lw 2 title '{} host used'",
                              plot_cmd.empty() ? "plot " : ", ", dat.string(), g);
      if (cgroup)
        plot_cmd +=
            fmt::format(", '{}' using 1:3 with lines dt 2 title '{} cgroup'", dat.string(), g);
    }
    j.script = head(j.plot.id, 900, 420) + "set title 'Memory, " + rt +
               "'\nset xlabel 'seconds from the cell start'\nset ylabel 'MiB'\n" + plot_cmd + "\n";
    jobs.push_back(j);
  }
  {  // Heatmap of the speed ratio (benchmark × runtime), log2 colour scale centred on 1.
    Job j{{"ratio_heatmap",
           "Speed ratio vs " + a.options.baseline + " (benchmark × runtime)",
           {},
           {}},
          {}};
    std::vector<std::string> rts, names;
    for (const auto& rt : a.runtimes)
      if (rt != a.options.baseline) rts.push_back(rt);
    for (const auto& row : a.rows)
      if (row.vs_baseline && std::find(names.begin(), names.end(), row.series.name) == names.end())
        names.push_back(row.series.name);
    if (rts.empty() || names.empty()) {
      j.plot.missing = "no runtime to compare with " + a.options.baseline;
    } else {
      // One filled box per cell (boxxyerror: `with image` needs at least 2×2 cells). Rows are
      // plotted bottom-up; write them reversed so the first benchmark is on top.
      std::string data, labels;
      double maxabs = 0.2;
      bool any_multimodal = false;
      for (std::size_t i = 0; i < names.size(); i++) {
        const auto& n = names[names.size() - 1 - i];
        for (std::size_t c = 0; c < rts.size(); c++) {
          double v = NAN;
          bool multimodal = false;
          for (const auto& row : a.rows)
            if (row.series.name == n && row.series.runtime == rts[c] && row.vs_baseline) {
              v = row.vs_baseline->speed;
              multimodal = row.vs_baseline->AnyMultimodal();
            }
          const double l = std::isnan(v) ? NAN : std::log2(v);
          if (!std::isnan(l)) maxabs = std::max(maxabs, std::fabs(l));
          data += fmt::format("{} {} {}\n", c, i, Value(l));
          // A multimodal series' ratio depends on which mode its median fell in: marked "*".
          if (!std::isnan(v))
            labels += fmt::format("{} {} \"{:.2f}{}\"\n", c, i, v, multimodal ? "*" : "");
          any_multimodal = any_multimodal || multimodal;
        }
        data += "\n";
      }
      WriteText(dir / "ratio_heatmap.dat", data);
      WriteText(dir / "ratio_heatmap_labels.dat", labels.empty() ? "0 0 ?\n" : labels);
      std::string ytics, xtics;
      for (std::size_t i = 0; i < names.size(); i++)
        ytics += fmt::format("{}'{}' {}", i ? ", " : "", names[names.size() - 1 - i], i);
      for (std::size_t c = 0; c < rts.size(); c++)
        xtics += fmt::format("{}'{}' {}", c ? ", " : "", rts[c], c);
      const int h = static_cast<int>(std::max<std::size_t>(300, 120 + 22 * names.size()));
      const int w = static_cast<int>(std::max<std::size_t>(700, 420 + 110 * rts.size()));
      j.script =
          head("ratio_heatmap", w, h) +
          fmt::format(
              "set title 'Speed ratio vs {} (1 = same; < 1 slower; log2 colour){}'\n"
              "unset grid\nunset key\nset view map\n"
              "set xrange [-0.5:{}]\nset yrange [-0.5:{}]\n"
              "set xtics ({}) scale 0\nset ytics ({}) scale 0\n"
              "set cbrange [{}:{}]\nset cblabel 'log2(speed ratio)'\n"
              "set palette defined (-1 '#b2182b', 0 '#f7f7f7', 1 '#2166ac')\n"
              "plot '{}' using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, "
              "'{}' using 1:2:3 with labels font ',9'\n",
              a.options.baseline, any_multimodal ? "; * multimodal, no verdict" : "",
              rts.size() - 0.5, names.size() - 0.5, xtics, ytics, -maxabs, maxabs,
              (dir / "ratio_heatmap.dat").string(), (dir / "ratio_heatmap_labels.dat").string());
    }
    jobs.push_back(j);
  }

  for (auto& j : jobs) {
    if (!j.script.empty()) {
      const fs::path gp = dir / (j.plot.id + ".gp");
      WriteText(gp, j.script);
      const std::string err = RunGnuplot(gnuplot, gp, dir / (j.plot.id + ".log"));
      const fs::path svg = svg_of(j.plot.id);
      if (err.empty() && fs::exists(svg) && fs::file_size(svg) > 0) {
        j.plot.svg = svg;
        fs::remove(dir / (j.plot.id + ".log"));
      } else {
        j.plot.missing = err.empty() ? "gnuplot wrote no SVG" : err;
      }
    }
    plots.push_back(j.plot);
  }
  return plots;
}

std::string RunGnuplotScript(const std::string& gnuplot, const fs::path& script,
                             const fs::path& log) {
  return RunGnuplot(gnuplot, script, log);
}

}  // namespace ocibench::report
