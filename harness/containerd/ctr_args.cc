// CtrBind, CtrTmpfs, CtrError.
#include "harness/containerd/ctr_args.h"

#include <algorithm>

namespace ocibench::containerd {

std::string CtrBind(const std::filesystem::path& src, const std::string& dst, bool readonly) {
  return "type=bind,src=" + src.string() + ",dst=" + dst +
         ",options=rbind:" + (readonly ? "ro" : "rw");
}

std::string CtrTmpfs(const std::string& dst, const std::string& size) {
  return "type=tmpfs,src=tmpfs,dst=" + dst + ",options=rw:nosuid:nodev" +
         (size.empty() ? "" : ":size=" + size);
}

std::string CtrError(const std::string& output, const std::string& fallback) {
  std::size_t at = output.rfind("\nctr: ");
  if (at != std::string::npos)
    ++at;
  else if (output.starts_with("ctr: "))
    at = 0;
  else
    return fallback;
  std::string e = output.substr(at);
  std::replace(e.begin(), e.end(), '\n', ' ');
  while (!e.empty() && e.back() == ' ') e.pop_back();
  return e;
}

}  // namespace ocibench::containerd
