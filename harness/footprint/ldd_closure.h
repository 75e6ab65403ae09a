// The shared libraries a binary loads (ldd), each with its size on disk and owning package.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ocibench::footprint {

struct SharedObject {
  std::string soname;          // "libc.so.6", or the loader's path
  std::filesystem::path path;  // as ldd resolved it; empty when "not found"
  std::filesystem::path real;  // symlinks resolved
  std::uint64_t bytes = 0;     // size of `real`
  std::string package;         // dpkg owner ("" = unowned)
};

struct LddClosure {
  bool is_static = false;  // "not a dynamic executable" / "statically linked"
  std::vector<SharedObject> objects;
  std::vector<std::string> not_found;  // sonames the loader could not find
  std::string error;                   // ldd itself failed
  std::uint64_t Bytes() const;         // sum over objects (each real file once)
};

// Parses `ldd` output (pure, for tests). Sizes and packages are left empty.
LddClosure ParseLdd(const std::string& ldd_output);

// Runs `ldd binary` and fills sizes and owning packages.
LddClosure Ldd(const std::filesystem::path& binary);

}  // namespace ocibench::footprint
