// Where the probes make their files: a fresh directory under a base directory (the
// --probes_scratch flag, OCIBENCH_SCRATCH, or $TMPDIR), removed with everything in it when the
// owner goes away. The base directory itself is never removed.
#pragma once

#include <string>

namespace ocibench::probes {

// $TMPDIR if set and non-empty, else /tmp.
std::string DefaultScratchBase();

// The filesystem type of `path` from statfs(2), as a name ("tmpfs", "ext2/ext3/ext4",
// "overlayfs", "9p", ...) or "0x<magic>" when the magic number is not one we know.
// Throws std::system_error when statfs fails.
std::string FsTypeName(const std::string& path);

// Removes `path` and everything below it; no error if it does not exist. Returns false (and
// leaves what it could not remove) on failure.
bool RemoveTree(const std::string& path) noexcept;

// A fresh directory "<base>/ocibench-probes-XXXXXX" (mkdtemp), removed by the destructor.
class ScratchDir {
 public:
  // Throws std::system_error naming the base when it cannot be created.
  explicit ScratchDir(const std::string& base);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A directory made by one probe and removed, with its contents, when the probe ends — also
// when it ends with an error.
class ScopedDir {
 public:
  // Throws std::system_error when mkdir fails (an existing directory is emptied first).
  explicit ScopedDir(std::string path);
  ~ScopedDir() {
    if (!path_.empty()) RemoveTree(path_);
  }
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;

  const std::string& path() const { return path_; }
  // Keeps the directory: someone else removes it now.
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace ocibench::probes
