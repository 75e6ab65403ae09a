#include "harness/footprint/runtime_needs.h"

#include "harness/footprint/host_features.h"

namespace ocibench::footprint {
namespace {

// Every runtime: a foreign-architecture image needs a binfmt_misc handler (qemu-user-static).
FeatureNeed ForeignArch(bool works) {
  return {kBinfmtMisc, false,
          works ? "only for foreign-architecture images (qemu-user-static handler)"
                : "not used: the runtime loads binaries itself (see `ocibench portability`)",
          works};
}

}  // namespace

std::string KindOf(const std::string& name) {
  for (const char* k : {"runc", "crun", "runsc", "youki", "containerd"}) {
    if (name == k || name.starts_with(std::string(k) + "-")) return k;
  }
  if (name.starts_with("kata")) return "kata";
  return "other";
}

RuntimeNeeds NeedsOf(const std::string& kind, const std::string& platform) {
  RuntimeNeeds n;
  n.kind = kind;
  const FeatureNeed userns_rootless{kUserNamespaces, false,
                                    "only for rootless containers or user-namespace remapping"};
  const FeatureNeed seccomp{kSeccomp, false, "to apply the bundle's seccomp profile"};
  if (kind == "runc" || kind == "youki") {
    n.helpers.push_back(
        {"containerd shim", {"containerd-shim-runc-v2"}, false, "only under containerd"});
    n.features = {{kCgroups, true, "resource limits (v1 or v2)"},
                  seccomp,
                  userns_rootless,
                  ForeignArch(true)};
  } else if (kind == "crun") {
    n.helpers.push_back({"containerd shim",
                         {"containerd-shim-runc-v2"},
                         false,
                         "only under containerd (as the runc shim's BinaryName)"});
    n.features = {{kCgroups, true, "resource limits"},
                  {kCgroupV2, false,
                   "crun 1.8 refuses cgroup v1 hybrid hosts (\"cgroups in hybrid mode not "
                   "supported\"); ocibench works around it in a private cgroup2 mount namespace"},
                  seccomp,
                  userns_rootless,
                  ForeignArch(true)};
  } else if (kind == "runsc") {
    n.helpers.push_back({"sandbox (Sentry) and gofer",
                         {"runsc"},
                         true,
                         "the same binary re-executed as `runsc boot` and `runsc gofer`"});
    n.helpers.push_back({"containerd shim",
                         {"containerd-shim-runsc-v1"},
                         false,
                         "only under containerd; not in Debian 12's runsc package"});
    n.features = {{kKvm, platform == "kvm", "only for --platform=kvm (ptrace/systrap need none)"},
                  {kCgroups, true, "resource limits (v1 or v2)"},
                  {kSeccomp, true, "the Sentry and gofer filter their own host system calls"},
                  {kUserNamespaces, false, "rootless mode and the gofer's isolation"},
                  ForeignArch(false)};
  } else if (kind == "containerd") {
    n.helpers.push_back({"runc shim", {"containerd-shim-runc-v2"}, true, ""});
    n.helpers.push_back({"OCI runtime", {"runc"}, true, "the default runtime of the runc shim"});
    n.features = {{kCgroups, true, "resource limits"}, seccomp, ForeignArch(true)};
  } else if (kind == "kata") {
    n.helpers.push_back({"containerd shim", {"containerd-shim-kata-v2"}, true, ""});
    n.helpers.push_back({"VMM",
                         {"qemu-system-x86_64", "qemu-system-aarch64", "cloud-hypervisor",
                          "firecracker", "/opt/kata/bin/qemu-system-x86_64"},
                         true,
                         "the hypervisor named in configuration.toml"});
    n.helpers.push_back({"virtio-fs daemon",
                         {"virtiofsd", "/usr/libexec/virtiofsd", "/opt/kata/libexec/virtiofsd"},
                         false,
                         "shared root filesystem (virtio-fs)"});
    n.helpers.push_back({"guest kernel",
                         {"/usr/share/kata-containers/vmlinux.container",
                          "/opt/kata/share/kata-containers/vmlinux.container"},
                         true,
                         ""});
    n.helpers.push_back({"guest image",
                         {"/usr/share/kata-containers/kata-containers.img",
                          "/opt/kata/share/kata-containers/kata-containers.img"},
                         true,
                         ""});
    n.features = {{kKvm, true, "each container is a virtual machine"},
                  {kVhostVsock, true, "host ↔ kata-agent channel"},
                  {kCgroups, true, "limits of the VM's processes"},
                  {kBinfmtMisc, false,
                   "not the host's: binaries run in the guest kernel, which would need its own "
                   "handler",
                   false}};
  } else {
    n.features = {{kCgroups, true, "resource limits"}, ForeignArch(true)};
  }
  return n;
}

}  // namespace ocibench::footprint
