// The installed Debian packages as dpkg records them (/var/lib/dpkg/status), and how their
// dependencies were satisfied on this system: for each Depends/Pre-Depends clause the first
// alternative that is installed, a virtual name resolved to the installed package providing it.
//
//   DpkgDb db = DpkgDb::Load();
//   const DebPackage* crun = db.Find("crun", "amd64");
//   for (const auto& d : db.Dependencies(*crun)) ... d.package->name, d.via
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ocibench::footprint {

struct DebPackage {
  std::string name;
  std::string arch;  // "amd64", "arm64", "all"
  std::string version;
  std::string priority;             // required | important | standard | optional | extra | ""
  bool essential = false;           // Essential: yes
  std::string multi_arch;           // same | foreign | allowed | ""
  std::uint64_t installed_kib = 0;  // Installed-Size (dpkg's estimate, KiB)
  std::string depends;              // raw fields
  std::string pre_depends;
  std::string provides;
  std::string Id() const { return name + ":" + arch; }
};

// One clause of a Depends/Pre-Depends field as this system satisfied it.
struct ResolvedDependency {
  std::string clause;                   // as written, e.g. "libgcc-s1 | libgcc1"
  const DebPackage* package = nullptr;  // nullptr: no alternative is installed
  std::string via;  // the name it satisfied when virtual or not the clause's first alternative
  bool pre_depends = false;
};

struct DpkgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DpkgDb {
 public:
  // Reads a dpkg status file; only packages in state "install ok installed" (or the other
  // states in which the files are on disk: half-configured, triggers-*) are kept.
  static DpkgDb Load(const std::filesystem::path& status = "/var/lib/dpkg/status");
  static DpkgDb Parse(const std::string& status_text);

  // The installed package `name` (or "name:arch") for `arch` ("" = the native one, else
  // "all", else any architecture).
  const DebPackage* Find(const std::string& name, const std::string& arch = "") const;
  // Depends + Pre-Depends of `pkg`, each clause resolved (see the file comment).
  std::vector<ResolvedDependency> Dependencies(const DebPackage& pkg) const;
  const std::vector<DebPackage>& packages() const { return packages_; }
  const std::string& native_arch() const { return native_arch_; }

 private:
  // The installed package satisfying the name `name` (optionally qualified :any/:native/:ARCH)
  // for a dependent of `from_arch`: a real package first, else a provider. nullptr if none.
  const DebPackage* Satisfy(const std::string& name, const std::string& from_arch) const;

  std::vector<DebPackage> packages_;
  std::multimap<std::string, std::size_t> by_name_;
  std::multimap<std::string, std::size_t> providers_;  // virtual name → provider
  std::string native_arch_;
};

// Splits a Depends field into clauses, each into alternatives with version constraints and
// architecture restrictions removed: "a (>= 1) | b:any, c" → {{"a", "b:any"}, {"c"}}.
std::vector<std::vector<std::string>> ParseDependsField(const std::string& field);

// The package owning an installed file, from `dpkg-query -S` (tries the path as given and with
// symlinks resolved, so /bin/x and /usr/bin/x both work on merged-/usr). "" when unowned.
std::string OwningPackage(const std::filesystem::path& file);

}  // namespace ocibench::footprint
