#include "harness/footprint/runtime_footprint.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness/oci/runtime.h"
#include "harness/process/command.h"

namespace ocibench::footprint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A runtime given as a path is shown by its file name in the tables (the JSON has the path).
std::string Short(const std::string& name) { return fs::path(name).filename().string(); }

double MbFromKib(std::uint64_t kib) { return static_cast<double>(kib) * 1024.0 / 1e6; }
double MbFromBytes(std::uint64_t b) { return static_cast<double>(b) / 1e6; }

std::uint64_t FileBytes(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(fs::canonical(p, ec), ec);
  return ec ? 0 : n;
}

fs::path Locate(const std::string& candidate) {
  if (candidate.find('/') != std::string::npos) {
    return fs::exists(candidate) ? fs::path(candidate) : fs::path();
  }
  return process::FindOnPath(candidate);
}

RuntimeFootprint Measure(const std::string& name, const DpkgDb& db,
                         const std::set<const DebPackage*>& base,
                         const std::vector<HostFeature>& host) {
  RuntimeFootprint f;
  f.name = name;
  f.binary = Locate(name);
  f.kind =
      KindOf(f.binary.empty() ? fs::path(name).filename().string() : f.binary.filename().string());
  if (f.binary.empty()) {
    f.error = name + " is not installed (not on PATH; give its path or install it)";
    return f;
  }
  f.binary_bytes = FileBytes(f.binary);
  std::string platform;
  if (f.kind == "runsc" || f.kind == "runc" || f.kind == "crun" || f.kind == "youki") {
    oci::RuntimeSpec spec = oci::FindRuntime(f.kind);
    spec.name = name;
    spec.binary = f.binary;
    const oci::RuntimeInfo info = oci::Probe(spec);
    f.version = info.version;
    platform = info.platform;
  } else {
    f.version = process::RunCommand({f.binary.string(), "--version"},
                                    process::WithTimeout(std::chrono::seconds(20)))
                    .out;
    f.version = f.version.substr(0, f.version.find('\n'));
  }
  const RuntimeNeeds needs = NeedsOf(f.kind, platform);

  std::vector<const DebPackage*> roots;
  auto add_root = [&](const std::string& owner) {
    if (owner.empty()) return;
    if (const DebPackage* p = db.Find(owner);
        p && std::find(roots.begin(), roots.end(), p) == roots.end()) {
      roots.push_back(p);
      f.roots.push_back(p->name);
    }
  };
  f.package = OwningPackage(f.binary);
  if (const DebPackage* p = db.Find(f.package)) {
    f.package = p->name;
    f.package_version = p->version;
  }
  add_root(f.package);
  for (const HelperSpec& h : needs.helpers) {
    HelperFound found{h, {}, "", 0};
    for (const auto& c : h.candidates) {
      if (fs::path p = Locate(c); !p.empty()) {
        found.path = p;
        break;
      }
    }
    if (!found.path.empty()) {
      found.bytes = FileBytes(found.path);
      found.package = OwningPackage(found.path);
      if (h.required) add_root(found.package);
    }
    f.helpers.push_back(std::move(found));
  }
  f.closure = Closure(db, roots, base);
  f.ldd = Ldd(f.binary);
  for (const FeatureNeed& n : needs.features) {
    FeatureCheck c{n, false, ""};
    if (const HostFeature* h = FindFeature(host, n.feature)) {
      c.host_has = h->present;
      c.host_detail = h->detail;
    }
    f.features.push_back(std::move(c));
  }
  return f;
}

}  // namespace

std::vector<std::string> DefaultFootprintRuntimes() {
  std::vector<std::string> out = {"runc", "crun", "runsc"};
  for (const char* optional : {"containerd", "kata-runtime"}) {
    if (!process::FindOnPath(optional).empty()) out.push_back(optional);
  }
  return out;
}

std::vector<RuntimeFootprint> MeasureFootprints(const std::vector<std::string>& runtimes,
                                                const FootprintOptions& options) {
  const auto db = std::make_shared<const DpkgDb>(DpkgDb::Load(options.dpkg_status));
  const auto base = BaseSet(*db, options.base);
  const auto host = DetectHostFeatures();
  std::vector<RuntimeFootprint> out;
  for (const auto& r : runtimes) {
    out.push_back(Measure(r, *db, base, host));
    out.back().db = db;
  }
  return out;
}

json FootprintJson(const std::vector<RuntimeFootprint>& runs, const FootprintOptions& options) {
  json j;
  j["base_system"] = {{"kind", ToString(options.base)}, {"definition", Describe(options.base)}};
  j["sizes"] =
      "installed_kib = dpkg Installed-Size (KiB, dpkg's estimate); *_bytes = file sizes on disk";
  j["host_features"] = json::array();
  for (const auto& h : DetectHostFeatures()) {
    j["host_features"].push_back({{"name", h.name}, {"present", h.present}, {"detail", h.detail}});
  }
  j["runtimes"] = json::array();
  for (const auto& f : runs) {
    json r = {{"name", f.name}, {"kind", f.kind}, {"binary", f.binary.string()}};
    if (!f.error.empty()) {
      r["error"] = f.error;
      j["runtimes"].push_back(r);
      continue;
    }
    r["binary_bytes"] = f.binary_bytes;
    r["version"] = f.version;
    r["package"] = f.package;
    r["package_version"] = f.package_version;
    r["closure_roots"] = f.roots;
    json pkgs = json::array();
    for (const auto& e : f.closure.entries) {
      json p = {{"package", e.package->name},
                {"arch", e.package->arch},
                {"version", e.package->version},
                {"installed_kib", e.package->installed_kib},
                {"priority", e.package->priority},
                {"root", e.root},
                {"direct", e.direct},
                {"base", e.base}};
      if (!e.needed_by.empty()) p["needed_by"] = e.needed_by;
      if (!e.via.empty()) p["via"] = e.via;
      pkgs.push_back(p);
    }
    const std::size_t n = f.closure.entries.size();
    const std::size_t nroots = f.roots.size();
    r["closure"] = {{"packages", pkgs},
                    {"dependencies", n - nroots},
                    {"installed_kib", f.closure.TotalKib()},
                    {"beyond_base",
                     {{"dependencies", f.closure.ExtraDependencies()},
                      {"installed_kib", f.closure.ExtraKib()}}},
                    {"study_method",
                     {{"dependencies", f.closure.DirectDependencies()},
                      {"installed_kib", f.closure.DirectKib()}}},
                    {"unsatisfied", f.closure.unsatisfied}};
    json libs = json::array();
    for (const auto& o : f.ldd.objects) {
      libs.push_back({{"soname", o.soname},
                      {"path", o.path.string()},
                      {"real_path", o.real.string()},
                      {"bytes", o.bytes},
                      {"package", o.package}});
    }
    r["ldd"] = {{"static", f.ldd.is_static},
                {"objects", libs},
                {"bytes", f.ldd.Bytes()},
                {"not_found", f.ldd.not_found}};
    if (!f.ldd.error.empty()) r["ldd"]["error"] = f.ldd.error;
    r["helpers"] = json::array();
    for (const auto& h : f.helpers) {
      r["helpers"].push_back({{"role", h.spec.role},
                              {"candidates", h.spec.candidates},
                              {"required", h.spec.required},
                              {"note", h.spec.note},
                              {"found", !h.path.empty()},
                              {"path", h.path.string()},
                              {"package", h.package},
                              {"bytes", h.bytes}});
    }
    r["features"] = json::array();
    for (const auto& c : f.features) {
      r["features"].push_back({{"feature", c.need.feature},
                               {"required", c.need.required},
                               {"used", c.need.used},
                               {"why", c.need.why},
                               {"host_has", c.host_has},
                               {"host_detail", c.host_detail}});
    }
    j["runtimes"].push_back(r);
  }
  return j;
}

std::string FootprintTable(const std::vector<RuntimeFootprint>& runs,
                           const FootprintOptions& options, bool verbose) {
  std::string out;
  out += fmt::format(
      "Package sizes: dpkg Installed-Size from /var/lib/dpkg/status, MB = 10^6 B.\n"
      "Closure: Depends + Pre-Depends, recursively, each resolved to the installed "
      "package that satisfies it.\n{}.\n"
      "Study method (Table 4.9): the package + its direct dependencies, nothing "
      "excluded.\n\n",
      Describe(options.base));
  out +=
      fmt::format("{:<12} {:<16} {:<28} {:>8} {:>14} {:>14} {:>14} {:>14}\n", "runtime", "version",
                  "package", "binary", "closure", "beyond base", "study method", "ldd closure");
  out += fmt::format("{:<12} {:<16} {:<28} {:>8} {:>14} {:>14} {:>14} {:>14}\n", "", "", "", "MB",
                     "deps / MB", "deps / MB", "deps / MB", "libs / MB");
  for (const auto& f : runs) {
    if (!f.error.empty()) {
      out += fmt::format("{:<12} {}\n", f.name, f.error);
      continue;
    }
    const auto& c = f.closure;
    const std::string ldd = f.ldd.is_static ? "static"
                                            : fmt::format("{} / {:.1f}", f.ldd.objects.size(),
                                                          MbFromBytes(f.ldd.Bytes()));
    // "runc version 1.1.5+ds1" → "1.1.5+ds1"
    std::string version = f.version;
    if (const auto v = version.find("version "); v != std::string::npos) {
      version = version.substr(v + 8);
    }
    out += fmt::format(
        "{:<12} {:<16} {:<28} {:>8.1f} {:>14} {:>14} {:>14} {:>14}\n", Short(f.name),
        version.substr(0, 16),
        f.package.empty() ? "(no package)" : f.package + " " + f.package_version,
        MbFromBytes(f.binary_bytes),
        fmt::format("{} / {:.1f}", c.entries.size() - f.roots.size(), MbFromKib(c.TotalKib())),
        fmt::format("{} / {:.1f}", c.ExtraDependencies(), MbFromKib(c.ExtraKib())),
        fmt::format("{} / {:.1f}", c.DirectDependencies(), MbFromKib(c.DirectKib())), ldd);
  }
  out +=
      "\n(package MB include the runtime's own package; deps = packages besides it; the ldd "
      "closure is the libraries without the binary.)\n";

  out += fmt::format("\n{:<13} {:<28} {:<40} {:<16} {:>8}\n", "runtime", "helper", "path",
                     "package", "MB");
  for (const auto& f : runs) {
    if (!f.error.empty()) continue;
    if (f.helpers.empty()) out += fmt::format("{:<13} (none)\n", Short(f.name));
    for (const auto& h : f.helpers) {
      const std::string role = h.spec.role + (h.spec.required ? "" : " (opt.)");
      out += fmt::format(
          "{:<13} {:<28} {:<40} {:<16} {:>8}\n", Short(f.name), role,
          h.path.empty() ? "not installed: " + h.spec.candidates.front() : h.path.string(),
          h.package, h.path.empty() ? "" : fmt::format("{:.1f}", MbFromBytes(h.bytes)));
    }
  }

  // Features: one row per feature, one column per runtime.
  std::vector<std::string> features;
  std::map<std::string, std::string> host;
  for (const auto& f : runs) {
    for (const auto& c : f.features) {
      if (std::find(features.begin(), features.end(), c.need.feature) == features.end()) {
        features.push_back(c.need.feature);
      }
      host[c.need.feature] = (c.host_has ? "yes: " : "no: ") + c.host_detail;
    }
  }
  out += fmt::format("\n{:<16}", "feature");
  for (const auto& f : runs) {
    if (f.error.empty()) out += fmt::format(" {:<10}", Short(f.name).substr(0, 10));
  }
  out += " this host\n";
  for (const auto& feat : features) {
    out += fmt::format("{:<16}", feat);
    for (const auto& f : runs) {
      if (!f.error.empty()) continue;
      std::string cell = "-";
      for (const auto& c : f.features) {
        if (c.need.feature == feat) {
          cell = c.need.required ? "required" : c.need.used ? "optional" : "not used";
        }
      }
      out += fmt::format(" {:<10}", cell);
    }
    out += " " + host[feat] + "\n";
  }
  if (verbose) {
    for (const auto& f : runs) {
      if (!f.error.empty()) continue;
      out += fmt::format("\n{} package closure ({}):\n", f.name, ToString(options.base));
      for (const auto& e : f.closure.entries) {
        out += fmt::format("  {:<32} {:>9.2f} MB  {:<9} {}{}{}\n", e.package->Id(),
                           MbFromKib(e.package->installed_kib), e.package->priority,
                           e.root ? "root" : (e.base ? "base" : "added"),
                           e.needed_by.empty() ? "" : ", needed by " + e.needed_by,
                           e.via.empty() ? "" : " (for " + e.via + ")");
      }
      for (const auto& u : f.closure.unsatisfied) out += "  unsatisfied: " + u + "\n";
      out += fmt::format("{} ldd closure of {}:\n", f.name, f.binary.string());
      if (f.ldd.is_static) out += "  statically linked\n";
      for (const auto& o : f.ldd.objects) {
        out += fmt::format("  {:<52} {:>9.2f} MB  {}\n", o.real.string(), MbFromBytes(o.bytes),
                           o.package);
      }
      for (const auto& n : f.ldd.not_found) out += "  not found: " + n + "\n";
      for (const auto& c : f.features) {
        out += fmt::format("  needs {} ({}): {}\n", c.need.feature,
                           c.need.required ? "required"
                           : c.need.used   ? "optional"
                                           : "not used",
                           c.need.why);
      }
    }
  }
  return out;
}

}  // namespace ocibench::footprint
