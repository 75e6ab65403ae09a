// `ocibench footprint`: what installing and running a runtime takes on this host — version,
// owning package, package dependency closure with sizes, ldd closure, helpers, host features.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/footprint/dpkg_db.h"
#include "harness/footprint/host_features.h"
#include "harness/footprint/ldd_closure.h"
#include "harness/footprint/package_closure.h"
#include "harness/footprint/runtime_needs.h"

namespace ocibench::footprint {

struct HelperFound {
  HelperSpec spec;
  std::filesystem::path path;  // empty: not found
  std::string package;         // owner ("" = unowned or not found)
  std::uint64_t bytes = 0;     // size on disk
};

struct FeatureCheck {
  FeatureNeed need;
  bool host_has = false;
  std::string host_detail;
};

struct RuntimeFootprint {
  std::string name;
  std::string kind;
  std::filesystem::path binary;  // resolved; empty = not installed
  std::uint64_t binary_bytes = 0;
  std::string version;  // first line of --version
  std::string package;  // dpkg owner of the binary ("" = not from a package)
  std::string package_version;
  std::vector<std::string> roots;  // packages whose closure is counted (runtime + helpers)
  PackageClosure closure;
  LddClosure ldd;
  std::vector<HelperFound> helpers;
  std::vector<FeatureCheck> features;
  std::string error;                 // "" = measured; else why not (one line)
  std::shared_ptr<const DpkgDb> db;  // owns the packages `closure` points to
};

struct FootprintOptions {
  BaseSystem base = BaseSystem::kRequired;
  std::filesystem::path dpkg_status = "/var/lib/dpkg/status";
};

// Measures each named runtime (name on PATH or a path). A missing runtime gets `error` set.
std::vector<RuntimeFootprint> MeasureFootprints(const std::vector<std::string>& runtimes,
                                                const FootprintOptions& options);

// The default runtimes: runc, crun, runsc, plus containerd and kata-runtime when installed.
std::vector<std::string> DefaultFootprintRuntimes();

nlohmann::json FootprintJson(const std::vector<RuntimeFootprint>& runs,
                             const FootprintOptions& options);
std::string FootprintTable(const std::vector<RuntimeFootprint>& runs,
                           const FootprintOptions& options, bool verbose);

}  // namespace ocibench::footprint
