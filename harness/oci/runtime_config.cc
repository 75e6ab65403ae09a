// BundleSpec + image config → runtime-spec config.json (MakeRuntimeConfig).
// Defaults follow `runc spec` and docker's: masked/read-only /proc paths, the default
// capability set, deny-all device cgroup, the chosen seccomp profile (Docker's by default).
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <map>

#include "harness/oci/bundle.h"
#include "harness/oci/seccomp_profile.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// docker's default capability set (moby oci/caps/defaults.go).
const std::vector<std::string> kDefaultCaps = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE"};

const std::vector<std::string> kMaskedPaths = {
    "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/proc/scsi",          "/sys/firmware"};
const std::vector<std::string> kReadonlyPaths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                 "/proc/sysrq-trigger"};

const std::map<std::string, int>& RlimitNumbers() {
  static const std::map<std::string, int> m = {{"RLIMIT_AS", RLIMIT_AS},
                                               {"RLIMIT_CORE", RLIMIT_CORE},
                                               {"RLIMIT_CPU", RLIMIT_CPU},
                                               {"RLIMIT_DATA", RLIMIT_DATA},
                                               {"RLIMIT_FSIZE", RLIMIT_FSIZE},
                                               {"RLIMIT_LOCKS", RLIMIT_LOCKS},
                                               {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
                                               {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
                                               {"RLIMIT_NICE", RLIMIT_NICE},
                                               {"RLIMIT_NOFILE", RLIMIT_NOFILE},
                                               {"RLIMIT_NPROC", RLIMIT_NPROC},
                                               {"RLIMIT_RSS", RLIMIT_RSS},
                                               {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
                                               {"RLIMIT_RTTIME", RLIMIT_RTTIME},
                                               {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
                                               {"RLIMIT_STACK", RLIMIT_STACK}};
  return m;
}

std::uint64_t HostHardLimit(int resource) {
  rlimit r{};
  ::getrlimit(resource, &r);
  return r.rlim_max == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(r.rlim_max);
}

// Without CAP_SYS_RESOURCE the runtime cannot set a limit above our own hard limit.
json Rlimits(const BundleSpec& spec, std::vector<std::string>* notes) {
  json out = json::array();
  if (!spec.rlimits) {
    const std::uint64_t n = std::min<std::uint64_t>(HostHardLimit(RLIMIT_NOFILE), 1048576);
    out.push_back({{"type", "RLIMIT_NOFILE"}, {"soft", n}, {"hard", n}});
    return out;
  }
  for (const Rlimit& r : *spec.rlimits) {
    const auto it = RlimitNumbers().find(r.type);
    if (it == RlimitNumbers().end()) throw BundleError("rlimit: unknown type '" + r.type + "'");
    const std::uint64_t max = HostHardLimit(it->second);
    std::uint64_t soft = r.soft, hard = r.hard;
    if (hard > max || soft > max) {
      hard = std::min(hard, max);
      soft = std::min(soft, max);
      if (notes) {
        notes->push_back(r.type + " clamped to this process's hard limit " + std::to_string(max) +
                         " (raising it needs CAP_SYS_RESOURCE)");
      }
    }
    out.push_back({{"type", r.type}, {"soft", std::min(soft, hard)}, {"hard", hard}});
  }
  return out;
}

std::string EnvKey(const std::string& kv) { return kv.substr(0, kv.find('=')); }

json Env(const BundleSpec& spec, const ImageConfig& image) {
  std::vector<std::string> env;
  const auto set = [&](const std::string& kv) {
    for (auto& e : env) {
      if (EnvKey(e) == EnvKey(kv)) {
        e = kv;
        return;
      }
    }
    env.push_back(kv);
  };
  set("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  for (const auto& e : image.env) set(e);
  set(std::string(kScratchEnv) + "=" + kScratchPath);
  set(std::string(kScratchKindEnv) + "=" + ToString(spec.scratch.kind));
  for (const auto& e : spec.env) {
    if (e.find('=') == std::string::npos) throw BundleError("env: '" + e + "' is not KEY=VALUE");
    set(e);
  }
  return env;
}

json User(const ImageConfig& image) {
  const ImageUser u = ParseImageUser(image);
  return {{"uid", u.uid}, {"gid", u.gid}};
}

json Mounts(const BundleSpec& spec) {
  json m = json::array({
      {{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
      {{"destination", "/dev"},
       {"type", "tmpfs"},
       {"source", "tmpfs"},
       {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
      {{"destination", "/dev/pts"},
       {"type", "devpts"},
       {"source", "devpts"},
       {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}}},
      {{"destination", "/dev/shm"},
       {"type", "tmpfs"},
       {"source", "shm"},
       {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
      {{"destination", "/dev/mqueue"},
       {"type", "mqueue"},
       {"source", "mqueue"},
       {"options", {"nosuid", "noexec", "nodev"}}},
      {{"destination", "/sys"},
       {"type", "sysfs"},
       {"source", "sysfs"},
       {"options", {"nosuid", "noexec", "nodev", "ro"}}},
      {{"destination", "/sys/fs/cgroup"},
       {"type", "cgroup"},
       {"source", "cgroup"},
       {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}},
      // The image's writable /tmp, also when the rootfs is read-only.
      {{"destination", "/tmp"},
       {"type", "tmpfs"},
       {"source", "tmpfs"},
       {"options", {"nosuid", "nodev", "mode=1777"}}},
  });
  const auto bind = [&](const fs::path& host, const std::string& dest, bool ro) {
    if (!fs::exists(host)) {
      throw BundleError("mount " + dest + ": host directory " + host.string() + " does not exist");
    }
    m.push_back({{"destination", dest},
                 {"type", "bind"},
                 {"source", fs::absolute(host).string()},
                 {"options", {"rbind", ro ? "ro" : "rw", "nosuid", "nodev"}}});
  };
  if (!spec.results_dir.empty()) bind(spec.results_dir, kResultsPath, false);
  switch (spec.scratch.kind) {
    case ScratchKind::kRootfs:
      break;  // a directory of the rootfs (MakeBundle creates it)
    case ScratchKind::kTmpfs:
      m.push_back(
          {{"destination", kScratchPath},
           {"type", "tmpfs"},
           {"source", "tmpfs"},
           {"options", {"nosuid", "nodev", "mode=1777", "size=" + spec.scratch.tmpfs_size}}});
      break;
    case ScratchKind::kBind:
      if (spec.scratch.host_dir.empty()) throw BundleError("scratch: bind needs a host directory");
      bind(spec.scratch.host_dir, kScratchPath, false);
      break;
  }
  for (const auto& b : spec.binds) {
    if (b.container.empty() || b.container[0] != '/') {
      throw BundleError("bind mount: container path '" + b.container + "' is not absolute");
    }
    bind(b.host, b.container, b.readonly);
  }
  return m;
}

bool HostHasSwapLimit() {
  std::error_code ec;
  return fs::exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", ec) ||
         fs::exists("/sys/fs/cgroup/cgroup.controllers", ec);
}

json Resources(const BundleSpec& spec, std::vector<std::string>* notes) {
  json r = {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}};
  if (spec.cpus) {
    if (!(*spec.cpus > 0)) throw BundleError("cpus: must be > 0");
    constexpr std::int64_t kPeriod = 100000;
    r["cpu"] = {{"quota", static_cast<std::int64_t>(std::llround(*spec.cpus * kPeriod))},
                {"period", kPeriod}};
  }
  if (spec.memory_bytes) {
    r["memory"] = {{"limit", *spec.memory_bytes}};
    if (HostHasSwapLimit()) {
      r["memory"]["swap"] = *spec.memory_bytes;  // no swap on top of the limit
    } else if (notes) {
      notes->push_back(
          "memory: the kernel has no swap accounting (swapaccount=0), so the "
          "limit does not cover swap");
    }
  }
  return r;
}

}  // namespace

std::string ToString(NetworkMode mode) {
  switch (mode) {
    case NetworkMode::kNone:
      return "none";
    case NetworkMode::kHost:
      return "host";
    case NetworkMode::kNetns:
      return "netns";
  }
  return "?";
}

json MakeRuntimeConfig(const BundleSpec& spec, const ImageConfig& image,
                       std::vector<std::string>* notes) {
  std::vector<std::string> args = image.entrypoint;
  const auto& tail = spec.args.empty() ? image.cmd : spec.args;
  args.insert(args.end(), tail.begin(), tail.end());
  if (args.empty()) throw BundleError("image has no Entrypoint/Cmd and no args were given");

  const bool readonly = spec.readonly_rootfs && spec.scratch.kind != ScratchKind::kRootfs;
  if (spec.readonly_rootfs && !readonly && notes) {
    notes->push_back("rootfs is writable because the scratch directory is on it");
  }

  json process = {
      {"terminal", false},
      {"user", User(image)},
      {"args", args},
      {"env", Env(spec, image)},
      {"cwd", image.working_dir.empty() ? "/" : image.working_dir},
      {"capabilities",
       {{"bounding", kDefaultCaps}, {"effective", kDefaultCaps}, {"permitted", kDefaultCaps}}},
      {"rlimits", Rlimits(spec, notes)},
      {"noNewPrivileges", spec.no_new_privileges},
  };

  json namespaces =
      json::array({{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}, {{"type", "mount"}}});
  switch (spec.network.mode) {
    case NetworkMode::kNone:
      namespaces.push_back({{"type", "network"}});
      break;
    case NetworkMode::kNetns:
      if (spec.network.netns_path.empty() || !fs::exists(spec.network.netns_path)) {
        throw BundleError("network: namespace '" + spec.network.netns_path.string() +
                          "' does not exist");
      }
      namespaces.push_back({{"type", "network"}, {"path", spec.network.netns_path.string()}});
      break;
    case NetworkMode::kHost:
      break;
  }

  json linux = {
      {"namespaces", namespaces},
      {"resources", Resources(spec, notes)},
      {"maskedPaths", kMaskedPaths},
      {"readonlyPaths", kReadonlyPaths},
  };
  if (!spec.cgroups_path.empty()) linux["cgroupsPath"] = spec.cgroups_path;
  if (spec.seccomp) {
    const SeccompChoice choice = ResolveSeccomp(spec.seccomp_profile);
    if (!choice.unconfined()) {
      linux["seccomp"] = DefaultSeccomp(kDefaultCaps, HostArch(), choice.profile);
    }
  }

  return {
      {"ociVersion", "1.0.2"},
      {"process", process},
      {"root", {{"path", "rootfs"}, {"readonly", readonly}}},
      {"hostname", spec.hostname},
      {"mounts", Mounts(spec)},
      {"linux", linux},
      {"annotations",
       {{"io.ocibench.image.ref", spec.image_ref},
        {"io.ocibench.image.digest", image.manifest_digest},
        {"io.ocibench.image.arch", image.arch},
        {"io.ocibench.network", ToString(spec.network.mode)},
        {"io.ocibench.scratch", ToString(spec.scratch.kind)}}},
  };
}

}  // namespace ocibench::oci
