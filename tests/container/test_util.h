// Shared by the container tests: temporary directories and the Google Benchmark JSON check.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"

namespace ocibench::test {

// A fresh directory under /var/tmp, removed (with everything in it) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A container id unique to this process and test.
std::string UniqueId(const std::string& prefix);

// The bench image's spec for one fast benchmark (one LZMA compression pass, ~1 s natively)
// writing JSON to /results/out.json.
oci::BundleSpec BenchSpec(const std::filesystem::path& results_dir, const std::string& arch = "");

// "" when `path` holds Google Benchmark JSON with at least one LZMA_Compress result with a
// positive real_time; else what is wrong.
std::string CheckBenchmarkJson(const std::filesystem::path& path);

// Runs `spec` once in its own cgroup (/ocibench-test-<id>/<id>, set in `spec`) from a bundle
// made in `dir`/bundle, with a 120 s timeout.
oci::RunResult RunOnce(const oci::RuntimeSpec& runtime, const std::string& id,
                       oci::BundleSpec& spec, const std::filesystem::path& dir);

// Why a runtime cannot be tested here ("" = it can).
std::string WhyUnusable(const oci::RuntimeSpec& runtime);

// "" when the runtime has no container `id` and no cgroup directory for `cgroups_path` is left
// in any hierarchy; else what is left.
std::string Leftovers(const oci::RuntimeSpec& runtime, const std::string& id,
                      const std::string& cgroups_path);

}  // namespace ocibench::test
