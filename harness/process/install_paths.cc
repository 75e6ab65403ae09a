// FindInstallPaths: the build tree's layout or the installed one (cmake/Packaging.cmake).
#include "harness/process/install_paths.h"

#include <system_error>

// Set by harness/process/CMakeLists.txt from the install rules' directories, so the lookup and
// the package cannot disagree; the defaults are the same values for a build without them.
#ifndef OCIBENCH_INSTALL_LIBEXECDIR
#define OCIBENCH_INSTALL_LIBEXECDIR "libexec/ocibench"
#endif
#ifndef OCIBENCH_INSTALL_DATADIR
#define OCIBENCH_INSTALL_DATADIR "share/ocibench"
#endif
#ifndef OCIBENCH_SOURCE_DIR
#define OCIBENCH_SOURCE_DIR ""
#endif

namespace ocibench::process {
namespace fs = std::filesystem;

fs::path SelfExeDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

InstallPaths FindInstallPaths(const fs::path& exe_dir) {
  InstallPaths p;
  const fs::path up = exe_dir.parent_path();
  std::error_code ec;
  if (fs::exists(up / "CMakeCache.txt", ec)) {
    p.build_tree = true;
    p.bench = up / "benchmarks/ocibench-bench";
    p.images = up / "images/oci";
    // The source tree this build came from; beside the build when it was moved.
    const fs::path source = OCIBENCH_SOURCE_DIR;
    p.reference = (source.empty() ? up.parent_path() : source) / "results/reference";
    return p;
  }
  p.bench = up / OCIBENCH_INSTALL_LIBEXECDIR / "ocibench-bench";
  p.images = up / OCIBENCH_INSTALL_DATADIR / "images/oci";
  p.reference = up / OCIBENCH_INSTALL_DATADIR / "reference";
  return p;
}

InstallPaths SelfInstallPaths() { return FindInstallPaths(SelfExeDir()); }

}  // namespace ocibench::process
