// Asks ext4's Orlov allocator to spread a directory's subdirectories over the disk (the
// FS_TOPDIR_FL flag, `chattr +T`), so a probe's files land away from the block group where its
// fixtures were made and deleted (docs/probes.md, "Two modes of file creation on ext4").
#pragma once

#include <string>

namespace ocibench::probes {

// Sets FS_TOPDIR_FL on the directory `dir`. Returns true when it is set, false when the
// filesystem refuses the flag ioctls (tmpfs, 9p, gVisor: ENOTTY, EOPNOTSUPP, EINVAL, ...),
// which changes nothing else. Throws std::system_error when `dir` cannot be opened.
bool SpreadSubdirectories(const std::string& dir);

}  // namespace ocibench::probes
