// Where ocibench's own files are (bench binary, OCI image layout, the studies' reference CSVs):
// beside the binary in a build tree first, else under the prefix it is installed in.
#pragma once

#include <filesystem>

namespace ocibench::process {

struct InstallPaths {
  bool build_tree = false;          // true: exe_dir is <build>/harness
  std::filesystem::path bench;      // ocibench-bench for native runs
  std::filesystem::path images;     // the OCI image layout (index.json at its top)
  std::filesystem::path reference;  // results/reference: the studies' figures
};

// The directory of the running program (/proc/self/exe's parent); "" if it cannot be read.
std::filesystem::path SelfExeDir();

// The paths for an ocibench binary living in `exe_dir`. A build tree is recognised by
// <exe_dir>/../CMakeCache.txt; otherwise exe_dir is <prefix>/bin and the files are where
// cmake/Packaging.cmake installs them (<prefix>/libexec/ocibench, <prefix>/share/ocibench).
// Nothing is checked for existence beyond that: the callers name a missing file.
InstallPaths FindInstallPaths(const std::filesystem::path& exe_dir);

// FindInstallPaths(SelfExeDir()).
InstallPaths SelfInstallPaths();

}  // namespace ocibench::process
