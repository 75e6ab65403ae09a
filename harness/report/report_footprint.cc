// The report's footprint and portability section, from the optional footprint.json and
// portability.json that `ocibench footprint --out` and `ocibench portability --out` write into a
// results directory (their fields: docs/footprint.md, "JSON").
#include <fmt/format.h>

#include <string>

#include "harness/report/report.h"

namespace ocibench::report {
namespace {

using nlohmann::json;

double Mb(double bytes) { return bytes / 1e6; }

// "4 / 22.0": dependencies besides the runtime's package, and MB of the whole set.
TableCell DepsMb(const json& part) {
  if (!part.is_object()) return Empty();
  const double mb = Mb(part.value("installed_kib", 0.0) * 1024);
  return TableCell(fmt::format("{} / {:.1f}", part.value("dependencies", 0), mb),
                   json{{"dependencies", part.value("dependencies", 0)}, {"mb", mb}});
}

Table FootprintTable(const json& f) {
  Table t{.id = "footprint",
          .title = "Install size and dependencies (ocibench footprint)",
          .columns = {"runtime", "version", "package", "binary MB", "closure deps / MB",
                      "beyond base deps / MB", "study method deps / MB", "ldd libs / MB",
                      "required features missing here"}};
  for (const auto& rt : f["runtimes"]) {
    const json closure = rt.value("closure", json::object());
    const json ldd = rt.value("ldd", json::object());
    TableCell libs = Empty();
    if (ldd.value("static", false))
      libs = TableCell("static", "static");
    else if (ldd.contains("objects"))
      libs = TableCell(
          fmt::format("{} / {:.1f}", ldd["objects"].size(), Mb(ldd.value("bytes", 0.0))),
          json{{"libraries", ldd["objects"].size()}, {"mb", Mb(ldd.value("bytes", 0.0))}});
    std::string missing;
    for (const auto& feat : rt.value("features", json::array()))
      if (feat.value("required", false) && !feat.value("host_has", true))
        missing += (missing.empty() ? "" : ", ") + feat.value("feature", std::string("?"));
    t.rows.push_back(
        {rt.value("name", std::string("?")), rt.value("version", std::string()),
         rt.value("package", std::string()) + " " + rt.value("package_version", std::string()),
         Num(Mb(rt.value("binary_bytes", 0.0)), 3), DepsMb(closure),
         DepsMb(closure.value("beyond_base", json())),
         DepsMb(closure.value("study_method", json())), libs,
         missing.empty() ? TableCell("none", "") : TableCell(missing)});
  }
  if (f.contains("base_system"))
    t.notes.push_back("Base system: " + f["base_system"].value("definition", std::string()));
  t.notes.push_back(
      "MB = 10^6 bytes of dpkg's Installed-Size; deps = packages besides the runtime's own. "
      "Study method = the package and its direct dependencies, as the embedded study's Table "
      "4.9 counted (beside it under \"Summary like the studies\").");
  return t;
}

std::string AttemptText(const json& a) {
  if (!a.is_object()) return "not tried";
  if (a.value("ok", false)) return "ran";
  const std::string text = a.value("error_text", std::string());
  return text.empty() ? a.value("message", std::string("failed")) : text;
}

std::vector<Table> PortabilityTables(const json& p) {
  const std::string foreign = p.value("foreign_arch", std::string("?"));
  const std::string host = p.value("host_arch", std::string("?"));
  Table errors;
  errors.id = "portability_errors";
  errors.title = fmt::format(
      "The {} image on this {} host without emulation (like the study's "
      "Table 4.2)",
      foreign, host);
  errors.columns = {"runtime", "version", "without emulation", "emulation that ran"};
  Table slow;
  slow.id = "portability_slowdown";
  slow.title = fmt::format("What emulating {} costs (qemu-user-static, median of {} run(s))",
                           foreign, p.value("repetitions", 0));
  slow.columns = {"runtime", "emulation", "benchmark", "native ms", "emulated ms", "slowdown ×"};
  for (const auto& rt : p["runtimes"]) {
    const std::string name = rt.value("runtime", std::string("?"));
    if (rt.contains("unusable")) {
      errors.rows.push_back({name, rt.value("version", std::string()),
                             TableCell("unusable: " + rt.value("unusable", std::string())),
                             Empty()});
      continue;
    }
    const std::string emulation = rt.value("emulation", std::string());
    errors.rows.push_back({name, rt.value("version", std::string()),
                           TableCell(AttemptText(rt.value("no_emulation", json()))),
                           emulation.empty() ? TableCell("none") : TableCell(emulation)});
    for (const auto& w : rt.value("workloads", json::array()))
      slow.rows.push_back({name, emulation, w.value("benchmark", std::string()),
                           Num(w.value("native_ms", 0.0)), Num(w.value("emulated_ms", 0.0)),
                           Num(w.value("slowdown", 0.0), 3)});
  }
  const json binfmt = p.value("binfmt", json::object());
  slow.notes.push_back(fmt::format(
      "qemu: {}; CPU limit {}; binfmt_misc before: {}; restored afterwards: {}.",
      p.value("qemu", std::string("?")), p.value("cpus", 0.0),
      binfmt.value("before", std::string("?")), binfmt.value("restored", false) ? "yes" : "NO"));
  return {errors, slow};
}

}  // namespace

Section FootprintSection(const Results& r) {
  Section s;
  s.title = "Footprint and portability";
  if (r.footprint.is_null() && r.portability.is_null()) {
    s.paragraphs.push_back(
        "Not measured for this run. `ocibench footprint --out DIR/footprint.json` and `ocibench "
        "portability --out DIR/portability.json` add them to a results directory DIR.");
    return s;
  }
  if (!r.footprint.is_null()) s.tables.push_back(FootprintTable(r.footprint));
  if (!r.portability.is_null())
    for (auto& t : PortabilityTables(r.portability)) s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ocibench::report
