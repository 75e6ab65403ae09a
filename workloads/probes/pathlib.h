// A C++ port of pyperformance's bm_pathlib, and an interpreter-like module search.
//
// bm_pathlib (pyperformance/benchmarks/bm_pathlib): a directory of 2000 files holding the 9
// bytes "benchmark", named 1.py 2.txt 3.tar.gz 4 5.py ... (500 of each suffix). One loop:
//   for p in base.iterdir(): p.stat()      # 2000 stats
//   for p in base.glob("*.py"): p.stat()   # 500 stats
// twice: 5000 stat(2) calls and 4 directory scans. glob("*.py") is one scandir plus fnmatch,
// no stat, as in CPython's pathlib; p.stat() is stat(2) of the joined path.
#pragma once

#include <string>
#include <vector>

namespace ocibench::probes {

constexpr int kPathlibFiles = 2000;

// Creates bm_pathlib's files in the existing directory `dir`. Throws std::system_error.
void MakePathlibTree(const std::string& dir, int num_files = kPathlibFiles);

// Names in `dir` (readdir order, no "." or ".."). Throws std::system_error.
std::vector<std::string> ScanDir(const std::string& dir);

// Names in `dir` that match the fnmatch(3) pattern, like pathlib's glob of one component;
// names starting with '.' match only a pattern starting with '.'.
std::vector<std::string> GlobNames(const std::string& dir, const std::string& pattern);

struct PathlibCounts {
  long listed = 0;   // entries returned by the scans
  long matched = 0;  // entries returned by the globs
  long stats = 0;    // stat(2) calls that succeeded
};

// stat(2) of dir + "/" + name for each name; returns the number that succeeded, and throws
// std::system_error on the first that fails.
long StatEach(const std::string& dir, const std::vector<std::string>& names);

// One bm_pathlib loop over `dir` (see above).
PathlibCounts PathlibLoop(const std::string& dir);

// An interpreter's import: for each directory of the search path in order, look for the
// module under each suffix with stat(2); the first hit is opened and read to the end.
struct ImportCounts {
  long failed_lookups = 0;  // stats that failed with ENOENT
  long bytes_read = 0;      // size of the module found
};

// The suffixes CPython tries for a module on Linux, in its order (extension modules first).
const std::vector<std::string>& ImportSuffixes();

// Looks `module` up along `search_path`; throws std::system_error when it is found nowhere or
// a call fails with anything else than ENOENT.
ImportCounts ImportLike(const std::vector<std::string>& search_path, const std::string& module);

}  // namespace ocibench::probes
