#include "harness/footprint/host_features.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "harness/footprint/binfmt_guard.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"

namespace ocibench::footprint {
namespace {

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

HostFeature CharDevice(const std::string& name, const std::string& path) {
  HostFeature f{name, false, ""};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) {
    f.detail = path + " missing";
    return f;
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  f.present = fd >= 0;
  if (fd >= 0) ::close(fd);
  f.detail = path + (f.present ? " present and openable" : " present but cannot be opened");
  return f;
}

bool FilesystemKnown(const std::string& fs) {
  std::ifstream in("/proc/filesystems");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= fs.size() && line.compare(line.size() - fs.size(), fs.size(), fs) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<HostFeature> DetectHostFeatures() {
  std::vector<HostFeature> out;
  out.push_back(CharDevice(kKvm, "/dev/kvm"));
  out.push_back(CharDevice(kVhostVsock, "/dev/vhost-vsock"));

  HostFeature binfmt{kBinfmtMisc, false, ""};
  const BinfmtState st = ReadBinfmtState();
  const std::string foreign = oci::HostArch() == "arm64" ? "amd64" : "arm64";
  binfmt.present = st.mounted || FilesystemKnown("binfmt_misc");
  binfmt.detail = (binfmt.present ? "kernel supports it; " : "not in this kernel; ") +
                  st.Describe() + "; " + foreign + " handler " +
                  (HasEnabledHandler(st, foreign) ? "enabled" : "not enabled");
  out.push_back(binfmt);

  const oci::CgroupMode mode = oci::DetectCgroupMode();
  out.push_back(
      {kCgroupV2, mode == oci::CgroupMode::kUnified, "host cgroup mode: " + oci::ToString(mode)});
  out.push_back({kCgroups, true, "host cgroup mode: " + oci::ToString(mode)});

  HostFeature userns{kUserNamespaces, false, ""};
  const std::string max = FirstLine("/proc/sys/user/max_user_namespaces");
  userns.present = !max.empty() && max != "0";
  userns.detail = "user.max_user_namespaces = " + (max.empty() ? "(missing)" : max);
  if (const std::string unpriv = FirstLine("/proc/sys/kernel/unprivileged_userns_clone");
      !unpriv.empty()) {
    userns.detail += ", kernel.unprivileged_userns_clone = " + unpriv;
  }
  out.push_back(userns);

  HostFeature seccomp{kSeccomp, false, ""};
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("Seccomp:")) seccomp.present = true;
  }
  seccomp.detail = seccomp.present ? "Seccomp field in /proc/self/status (CONFIG_SECCOMP)"
                                   : "no Seccomp field in /proc/self/status";
  out.push_back(seccomp);
  return out;
}

const HostFeature* FindFeature(const std::vector<HostFeature>& features, const std::string& name) {
  for (const auto& f : features) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace ocibench::footprint
