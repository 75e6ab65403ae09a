#include "harness/footprint/dpkg_db.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/oci/bundle.h"
#include "harness/process/command.h"

namespace ocibench::footprint {
namespace {

namespace fs = std::filesystem;

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

// States in which a package's files are unpacked and its dependencies were satisfied.
bool IsInstalled(const std::string& status) {
  const auto words = Split(Trim(status), ' ');
  if (words.size() != 3) return false;
  const std::string& s = words[2];
  return s == "installed" || s == "half-configured" || s == "triggers-awaited" ||
         s == "triggers-pending";
}

// name[:arch-qualifier] → {name, qualifier}
std::pair<std::string, std::string> SplitQualifier(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) return {s, ""};
  return {s.substr(0, colon), s.substr(colon + 1)};
}

}  // namespace

std::vector<std::vector<std::string>> ParseDependsField(const std::string& field) {
  std::vector<std::vector<std::string>> clauses;
  for (const std::string& clause : Split(field, ',')) {
    std::vector<std::string> alts;
    for (std::string alt : Split(clause, '|')) {
      for (const char open : {'(', '[', '<'}) {  // version, arch restriction, build profile
        if (const auto p = alt.find(open); p != std::string::npos) alt.erase(p);
      }
      alt = Trim(alt);
      if (!alt.empty()) alts.push_back(alt);
    }
    if (!alts.empty()) clauses.push_back(alts);
  }
  return clauses;
}

DpkgDb DpkgDb::Load(const fs::path& status) {
  std::ifstream in(status);
  if (!in) {
    throw DpkgError("cannot read " + status.string() +
                    ": footprint needs a Debian-based system with dpkg");
  }
  return Parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

DpkgDb DpkgDb::Parse(const std::string& text) {
  DpkgDb db;
  db.native_arch_ = oci::HostArch();
  std::map<std::string, std::string> fields;
  std::string last;
  auto flush = [&] {
    if (!fields.empty() && IsInstalled(fields["Status"])) {
      DebPackage p;
      p.name = fields["Package"];
      p.arch = fields["Architecture"];
      p.version = fields["Version"];
      p.priority = fields["Priority"];
      p.essential = fields["Essential"] == "yes";
      p.multi_arch = fields["Multi-Arch"];
      p.installed_kib =
          fields["Installed-Size"].empty() ? 0 : std::stoull(fields["Installed-Size"]);
      p.depends = fields["Depends"];
      p.pre_depends = fields["Pre-Depends"];
      p.provides = fields["Provides"];
      db.packages_.push_back(std::move(p));
    }
    fields.clear();
    last.clear();
  };
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (Trim(line).empty()) {
      flush();
    } else if (line[0] == ' ' || line[0] == '\t') {
      if (!last.empty()) fields[last] += "\n" + line;  // continuation (Description, Conffiles)
    } else if (const auto colon = line.find(':'); colon != std::string::npos) {
      last = line.substr(0, colon);
      fields[last] = Trim(line.substr(colon + 1));
    }
  }
  flush();
  for (std::size_t i = 0; i < db.packages_.size(); ++i) {
    const DebPackage& p = db.packages_[i];
    db.by_name_.emplace(p.name, i);
    for (const auto& clause : ParseDependsField(p.provides)) {
      for (const auto& v : clause) db.providers_.emplace(SplitQualifier(v).first, i);
    }
  }
  return db;
}

const DebPackage* DpkgDb::Find(const std::string& qualified, const std::string& arch) const {
  auto [name, qualifier] = SplitQualifier(qualified);  // "libc6:amd64" as dpkg-query -S says
  const std::string want = !qualifier.empty() ? qualifier : arch.empty() ? native_arch_ : arch;
  const DebPackage* all = nullptr;
  const DebPackage* other = nullptr;
  const auto [b, e] = by_name_.equal_range(name);
  for (auto it = b; it != e; ++it) {
    const DebPackage& p = packages_[it->second];
    if (p.arch == want) return &p;
    if (p.arch == "all") all = &p;
    if (!other) other = &p;
  }
  if (all) return all;
  return arch.empty() && qualifier.empty() ? other : nullptr;
}

const DebPackage* DpkgDb::Satisfy(const std::string& qualified,
                                  const std::string& from_arch) const {
  const auto [name, qualifier] = SplitQualifier(qualified);
  // dpkg's rules, simplified to what an installed system needs: a plain name is satisfied by the
  // dependent's architecture, an Architecture: all package, or a Multi-Arch: foreign one of any
  // architecture; ":any" by any architecture; ":native" by the native one.
  const std::string arch = qualifier == "native" ? native_arch_
                           : qualifier.empty() || qualifier == "any"
                               ? (from_arch == "all" ? native_arch_ : from_arch)
                               : qualifier;
  auto acceptable = [&](const DebPackage& p) {
    return p.arch == arch || p.arch == "all" || qualifier == "any" || p.multi_arch == "foreign";
  };
  const DebPackage* best = nullptr;
  const auto [b, e] = by_name_.equal_range(name);
  for (auto it = b; it != e; ++it) {
    const DebPackage& p = packages_[it->second];
    if (!acceptable(p)) continue;
    if (p.arch == arch) return &p;
    if (!best) best = &p;
  }
  if (best) return best;
  const auto [pb, pe] = providers_.equal_range(name);
  for (auto it = pb; it != pe; ++it) {
    const DebPackage& p = packages_[it->second];
    if (!acceptable(p)) continue;
    if (p.arch == arch) return &p;
    if (!best) best = &p;
  }
  return best;
}

std::vector<ResolvedDependency> DpkgDb::Dependencies(const DebPackage& pkg) const {
  std::vector<ResolvedDependency> out;
  for (const bool pre : {true, false}) {
    for (const auto& alts : ParseDependsField(pre ? pkg.pre_depends : pkg.depends)) {
      ResolvedDependency d;
      d.pre_depends = pre;
      for (const auto& a : alts) d.clause += (d.clause.empty() ? "" : " | ") + a;
      for (std::size_t i = 0; i < alts.size(); ++i) {
        if (const DebPackage* p = Satisfy(alts[i], pkg.arch)) {
          d.package = p;
          if (i > 0 || SplitQualifier(alts[i]).first != p->name) d.via = alts[i];
          break;
        }
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::string OwningPackage(const fs::path& file) {
  std::vector<fs::path> candidates = {file};
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);
  if (!ec && real != file) candidates.push_back(real);
  // merged-/usr: dpkg may know /bin/x as /usr/bin/x or the other way round.
  for (const fs::path& c : std::vector<fs::path>(candidates)) {
    const std::string s = c.string();
    if (s.starts_with("/usr/")) {
      candidates.push_back(s.substr(4));
    } else {
      candidates.push_back("/usr" + s);
    }
  }
  for (const fs::path& c : candidates) {
    const process::CommandResult r = process::RunCommand(
        {"dpkg-query", "-S", c.string()}, process::WithTimeout(std::chrono::seconds(30)));
    if (!r.ok()) continue;
    // "pkg: /path", "pkg:arch: /path", "pkg1, pkg2: /path"; diversion lines start "diversion".
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("diversion")) continue;
      const auto sep = line.find(": /");
      if (sep == std::string::npos) continue;
      std::string pkgs = line.substr(0, sep);
      return Trim(Split(pkgs, ',').front());
    }
  }
  return "";
}

}  // namespace ocibench::footprint
