// Files and directories the fs probes work on. Every function throws std::system_error naming
// the call and the path when a syscall fails.
#pragma once

#include <cstddef>
#include <string>

namespace ocibench::probes {

// Creates (or truncates) `path` holding `size` bytes of 'x'.
void WriteFile(const std::string& path, std::size_t size);

// Creates base/d/d/.../d with `depth` directory levels below base, each holding the next, and
// a file "f" at the bottom. Returns the file's path: base + depth*"/d" + "/f". depth >= 0.
std::string MakeNestedPath(const std::string& base, int depth);

// Creates `count` empty files "e0".."e<count-1>" in the existing directory `dir`.
void MakeEmptyFiles(const std::string& dir, int count);

// Reads directory `dir` with getdents64 until the end and returns how many entries it saw,
// "." and ".." included. `buf_size` is the getdents buffer (glibc's readdir uses 32 KiB).
long CountDirEntries(const std::string& dir, std::size_t buf_size = 32768);

}  // namespace ocibench::probes
