// The recursive dependency closure of installed packages (Depends + Pre-Depends as this system
// resolved them, harness/footprint/dpkg_db.h) with Installed-Size summed, split into what a
// base system already has and what installing the runtime adds.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "harness/footprint/dpkg_db.h"

namespace ocibench::footprint {

// What counts as "already on every system". Each is the dependency closure (same resolver) of
// the installed packages that are Essential: yes or have the named priorities:
//   kRequired  = Priority required  — what `debootstrap --variant=minbase` installs;
//   kImportant = required + important — what a default `debootstrap` installs;
//   kNone      = nothing: every package of the closure counts.
// Libraries like libc6 are Priority optional in Debian 12 but in the closure of required
// packages, which is why the closure (not the Priority field alone) defines the base.
enum class BaseSystem { kRequired, kImportant, kNone };
std::string ToString(BaseSystem base);             // "required" | "important" | "none"
BaseSystem ParseBaseSystem(const std::string& s);  // throws std::invalid_argument
std::string Describe(BaseSystem base);             // one sentence for the output

std::set<const DebPackage*> BaseSet(const DpkgDb& db, BaseSystem base);

struct ClosureEntry {
  const DebPackage* package = nullptr;
  bool root = false;      // one of the packages asked for
  bool base = false;      // in the base system
  bool direct = false;    // a direct dependency of a root
  std::string needed_by;  // the first package (breadth-first) that pulled it in
  std::string via;        // virtual name / alternative it satisfied, if not its own name
};

struct PackageClosure {
  std::vector<ClosureEntry> entries;     // roots first, then breadth-first
  std::vector<std::string> unsatisfied;  // "pkg: clause" with no installed alternative

  std::uint64_t TotalKib() const;         // all entries
  std::uint64_t ExtraKib() const;         // entries not in the base system
  std::size_t ExtraDependencies() const;  // non-root entries not in the base system
  // The study's Table 4.9 count: the roots plus their direct dependencies, nothing excluded.
  std::uint64_t DirectKib() const;
  std::size_t DirectDependencies() const;
};

PackageClosure Closure(const DpkgDb& db, const std::vector<const DebPackage*>& roots,
                       const std::set<const DebPackage*>& base);

}  // namespace ocibench::footprint
