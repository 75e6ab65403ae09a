#include "harness/footprint/package_closure.h"

#include <deque>
#include <map>
#include <stdexcept>

namespace ocibench::footprint {

std::string ToString(BaseSystem base) {
  switch (base) {
    case BaseSystem::kRequired:
      return "required";
    case BaseSystem::kImportant:
      return "important";
    case BaseSystem::kNone:
      return "none";
  }
  return "?";
}

BaseSystem ParseBaseSystem(const std::string& s) {
  if (s == "required") return BaseSystem::kRequired;
  if (s == "important") return BaseSystem::kImportant;
  if (s == "none") return BaseSystem::kNone;
  throw std::invalid_argument("unknown base system '" + s + "' (required, important, none)");
}

std::string Describe(BaseSystem base) {
  switch (base) {
    case BaseSystem::kRequired:
      return "base system = the installed Essential and Priority: required packages with their "
             "dependency closure (what debootstrap --variant=minbase installs)";
    case BaseSystem::kImportant:
      return "base system = the installed Essential, Priority: required and Priority: important "
             "packages with their dependency closure (a default debootstrap)";
    case BaseSystem::kNone:
      return "no base system: every package of the closure counts";
  }
  return "";
}

std::set<const DebPackage*> BaseSet(const DpkgDb& db, BaseSystem base) {
  std::vector<const DebPackage*> seeds;
  for (const DebPackage& p : db.packages()) {
    const bool seed = p.essential || p.priority == "required" ||
                      (base == BaseSystem::kImportant && p.priority == "important");
    if (base != BaseSystem::kNone && seed) seeds.push_back(&p);
  }
  std::set<const DebPackage*> out;
  for (const auto& e : Closure(db, seeds, {}).entries) out.insert(e.package);
  return out;
}

PackageClosure Closure(const DpkgDb& db, const std::vector<const DebPackage*>& roots,
                       const std::set<const DebPackage*>& base) {
  PackageClosure c;
  std::map<const DebPackage*, std::size_t> index;
  std::deque<const DebPackage*> queue;
  auto add = [&](const DebPackage* p, ClosureEntry e) {
    if (index.count(p)) return;
    e.package = p;
    e.base = base.count(p) > 0;
    index[p] = c.entries.size();
    c.entries.push_back(std::move(e));
    queue.push_back(p);
  };
  for (const DebPackage* r : roots) {
    ClosureEntry e;
    e.root = true;
    add(r, e);
  }
  while (!queue.empty()) {
    const DebPackage* p = queue.front();
    queue.pop_front();
    const bool from_root = c.entries[index[p]].root;
    for (const ResolvedDependency& d : db.Dependencies(*p)) {
      if (!d.package) {
        c.unsatisfied.push_back(p->Id() + ": " + d.clause);
        continue;
      }
      if (from_root && index.count(d.package)) c.entries[index[d.package]].direct = true;
      ClosureEntry e;
      e.direct = from_root;
      e.needed_by = p->Id();
      e.via = d.via;
      add(d.package, e);
    }
  }
  return c;
}

std::uint64_t PackageClosure::TotalKib() const {
  std::uint64_t kib = 0;
  for (const auto& e : entries) kib += e.package->installed_kib;
  return kib;
}

std::uint64_t PackageClosure::ExtraKib() const {
  std::uint64_t kib = 0;
  for (const auto& e : entries) kib += e.base ? 0 : e.package->installed_kib;
  return kib;
}

std::size_t PackageClosure::ExtraDependencies() const {
  std::size_t n = 0;
  for (const auto& e : entries) n += !e.root && !e.base;
  return n;
}

std::uint64_t PackageClosure::DirectKib() const {
  std::uint64_t kib = 0;
  for (const auto& e : entries) kib += e.root || e.direct ? e.package->installed_kib : 0;
  return kib;
}

std::size_t PackageClosure::DirectDependencies() const {
  std::size_t n = 0;
  for (const auto& e : entries) n += !e.root && e.direct;
  return n;
}

}  // namespace ocibench::footprint
