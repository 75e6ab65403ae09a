// Pieces of `ctr` command lines and output: --mount values and ctr's own error as one line.
#pragma once

#include <filesystem>
#include <string>

namespace ocibench::containerd {

// `ctr run --mount` values: a bind mount (rbind, ro or rw), a tmpfs (nosuid, nodev, size).
std::string CtrBind(const std::filesystem::path& src, const std::string& dst, bool readonly);
std::string CtrTmpfs(const std::string& dst, const std::string& size = "");

// ctr's own error ("ctr: failed to start shim: …", possibly over several lines) as one line;
// else `fallback`.
std::string CtrError(const std::string& output, const std::string& fallback);

}  // namespace ocibench::containerd
