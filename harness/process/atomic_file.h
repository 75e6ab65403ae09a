// Replacing a file so that a crash leaves the old one or the new one, never a torn one.
#pragma once

#include <filesystem>
#include <string>

namespace ocibench::process {

// Writes `content` to `path` atomically (its parent directories created; NAME.tmp in the same
// directory, fsync, rename, fsync of the directory). Throws std::runtime_error naming the file.
void WriteFileAtomic(const std::filesystem::path& path, const std::string& content);

// Moves a file into place atomically (fsync of the file, rename, fsync of the directory).
void MoveFileAtomic(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace ocibench::process
