// Finding runtimes, their versions and this host's quirks for each.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "harness/oci/runtime.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/command.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;

bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
    return a == flag || a.starts_with(flag + "=") || a == "-" + flag.substr(2) ||
           a.starts_with("-" + flag.substr(2) + "=");
  });
}

// Platforms the runsc binary knows (`runsc help platforms`).
std::vector<std::string> RunscPlatforms(const std::string& binary) {
  std::vector<std::string> out;
  const process::CommandResult r = process::RunCommand(
      {binary, "help", "platforms"}, process::WithTimeout(std::chrono::seconds(20)));
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty() && line.find(' ') == std::string::npos) out.push_back(line);
  }
  return out;
}

}  // namespace

namespace internal {

std::string RuntimeKind(const RuntimeSpec& runtime) {
  const std::string base =
      runtime.binary.empty() ? runtime.name : runtime.binary.filename().string();
  for (const char* k : {"runc", "crun", "runsc", "youki"}) {
    if (base == k || base.starts_with(std::string(k) + "-")) return k;
  }
  return "other";
}

bool NeedsCgroup2Namespace(const RuntimeSpec& runtime) {
  return RuntimeKind(runtime) == "crun" && DetectCgroupMode() != CgroupMode::kUnified;
}

fs::path RootDir(const RuntimeSpec& runtime) {
  return runtime.root_dir.empty() ? fs::path("/run/ocibench") / runtime.name : runtime.root_dir;
}

std::string PlatformArg(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    for (const std::string f : {"--platform", "-platform"}) {
      if (args[i].starts_with(f + "=")) return args[i].substr(f.size() + 1);
      if (args[i] == f && i + 1 < args.size()) return args[i + 1];
    }
  }
  return "";
}

std::vector<std::string> GlobalArgs(const RuntimeSpec& runtime, const nlohmann::json& config) {
  std::vector<std::string> args = runtime.global_args;
  args.push_back("--root");
  args.push_back(RootDir(runtime).string());
  const std::string kind = RuntimeKind(runtime);
  if (NeedsCgroup2Namespace(runtime) && !HasFlag(args, "--cgroup-manager")) {
    args.push_back("--cgroup-manager=disabled");
  }
  if (kind == "runsc" && !HasFlag(args, "--network") && config.is_object()) {
    // runsc's default (sandbox) needs a network namespace holding interfaces; an empty one is
    // "none", and no namespace at all is "host" (else: "cannot run with network enabled in
    // root network namespace").
    const std::string mode =
        config.value("annotations", nlohmann::json::object()).value("io.ocibench.network", "");
    if (mode == "none") args.push_back("--network=none");
    if (mode == "host") args.push_back("--network=host");
    if (mode == "netns" && NetnsLooksLikeRoot(NetnsPath(config))) {
      args.push_back("--network=host");
    }
  }
  return args;
}

std::string NetnsPath(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("linux")) return "";
  for (const auto& ns : config["linux"].value("namespaces", nlohmann::json::array())) {
    if (ns.value("type", "") == "network") return ns.value("path", "");
  }
  return "";
}

bool NetnsLooksLikeRoot(const std::string& netns_path) {
  if (netns_path.empty()) return false;
  const pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {  // async-signal-safe only
    const int fd = ::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) ::_exit(2);
    ::_exit(::access("/proc/sys/net/core/rmem_default", F_OK) == 0 ? 1 : 0);
  }
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(st) && WEXITSTATUS(st) == 1;
}

int EnterCgroup2Namespace() {
  if (::unshare(CLONE_NEWNS) != 0) return errno;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return errno;
  if (::mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) !=
      0) {
    return errno;
  }
  return 0;
}

}  // namespace internal

CgroupMode DetectCgroupMode(const fs::path& mountinfo) {
  std::ifstream in(mountinfo);
  std::string line;
  bool any_v2 = false;
  while (std::getline(in, line)) {
    // "<id> <parent> <maj:min> <root> <mountpoint> <opts> [optional...] - <fstype> ..."
    std::istringstream f(line);
    std::string id, parent, dev, root, mountpoint, tok;
    f >> id >> parent >> dev >> root >> mountpoint;
    while (f >> tok && tok != "-") {
    }
    std::string fstype;
    f >> fstype;
    if (fstype == "cgroup2") {
      if (mountpoint == "/sys/fs/cgroup") return CgroupMode::kUnified;
      any_v2 = true;
    }
  }
  return any_v2 ? CgroupMode::kHybrid : CgroupMode::kLegacy;
}

std::string ToString(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kLegacy:
      return "v1";
    case CgroupMode::kHybrid:
      return "hybrid";
    case CgroupMode::kUnified:
      return "v2";
  }
  return "?";
}

RuntimeSpec FindRuntime(const std::string& name, const std::string& platform) {
  RuntimeSpec spec;
  spec.name = name;
  spec.binary = process::FindOnPath(name);
  if (!spec.binary.empty() && internal::RuntimeKind(spec) == "runsc") {
    std::string p = platform;
    if (p.empty()) {
      // systrap (2023+) is the best platform in a VM; older runsc (Debian 12's) has ptrace.
      const auto known = RunscPlatforms(spec.binary);
      p = std::find(known.begin(), known.end(), "systrap") != known.end() ? "systrap" : "ptrace";
    }
    spec.global_args.push_back("--platform=" + p);
  }
  return spec;
}

RuntimeInfo Probe(const RuntimeSpec& runtime) {
  RuntimeInfo info;
  info.name = runtime.name;
  info.binary = runtime.binary.empty() ? "" : process::FindOnPath(runtime.binary.string());
  info.kind = internal::RuntimeKind(runtime);
  if (info.binary.empty()) {
    info.unusable = runtime.name + ": " +
                    (runtime.binary.empty() ? "not found on PATH"
                                            : "'" + runtime.binary.string() + "' not found") +
                    " (install it, or give the binary's path)";
    return info;
  }
  const process::CommandResult v = process::RunCommand(
      {info.binary.string(), "--version"}, process::WithTimeout(std::chrono::seconds(20)));
  std::istringstream first(v.out);
  std::getline(first, info.version);
  if (!v.ok()) {
    info.unusable = runtime.name + ": '" + info.binary.string() +
                    " --version' failed: " + (v.timed_out ? "timed out" : v.LastLine());
  }
  info.global_args = internal::GlobalArgs(runtime, nullptr);
  info.cgroup2_namespace = internal::NeedsCgroup2Namespace(runtime);
  if (info.cgroup2_namespace) {
    info.notes.push_back("crun refuses cgroup " + ToString(DetectCgroupMode()) +
                         " hosts (\"cgroups in hybrid mode not supported\"): it runs in a private "
                         "mount namespace with cgroup2 on /sys/fs/cgroup and "
                         "--cgroup-manager=disabled; ocibench applies CPU/memory limits through "
                         "cgroup v1 at the bundle's cgroupsPath");
  }
  if (info.kind == "runsc") {
    info.platform = internal::PlatformArg(runtime.global_args);
    if (info.platform.empty()) info.platform = "ptrace";  // flag default of Debian 12's runsc
    const auto known = RunscPlatforms(info.binary.string());
    if (!known.empty() && std::find(known.begin(), known.end(), info.platform) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      info.unusable = runtime.name + ": this runsc (" + info.version + ") has no platform '" +
                      info.platform + "' (it knows: " + list + ")";
    }
    if (info.platform == "kvm" && ::access("/dev/kvm", R_OK | W_OK) != 0) {
      info.unusable = runtime.name +
                      ": --platform=kvm needs /dev/kvm, which is missing or not "
                      "accessible here; use --platform=ptrace or systrap";
    }
    info.notes.push_back(
        "runsc: --network follows the bundle: none, host, and for a network namespace "
        "sandbox (gVisor's netstack), or host (the kernel's stack inside that namespace) where "
        "this runsc would mistake the namespace for the root one (Container::GlobalArgs() "
        "says which); the bundle's seccomp profile is not applied inside the sandbox "
        "(runsc filters its own host syscalls; --oci-seccomp would apply it)");
  }
  return info;
}

}  // namespace ocibench::oci
