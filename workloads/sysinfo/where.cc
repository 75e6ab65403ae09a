#include "workloads/sysinfo/where.h"

#include <fcntl.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace ocibench::sysinfo {
namespace {

namespace fs = std::filesystem;

Reading Value(std::string v) { return {std::move(v), ""}; }
Reading Unreadable(std::string reason) { return {"", std::move(reason)}; }

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\n") - b + 1));
}

// The whole file, or the reason naming it ("/proc/version: Permission denied").
Reading ReadText(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unreadable(path.string() + ": " + std::strerror(errno));
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  const int err = errno;
  ::close(fd);
  if (n < 0) return Unreadable(path.string() + ": " + std::strerror(err));
  return Value(std::move(out));
}

// The value after "key:" in a "key: value" / "key\t: value" file (/proc/self/status, cpuinfo).
Reading KeyedLine(const fs::path& path, std::string_view key) {
  Reading file = ReadText(path);
  if (!file.ok()) return file;
  std::istringstream in(file.value);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon != std::string::npos && Trim(std::string_view(line).substr(0, colon)) == key)
      return Value(Trim(std::string_view(line).substr(colon + 1)));
  }
  return Unreadable(path.string() + ": no \"" + std::string(key) + "\" line");
}

std::optional<long long> ToInt(const std::string& s) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

std::string FormatCpus(double quota, double period) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", quota / period);
  return buf;
}

// The directory of this process's cgroup for a v1 `controller` ("cpu", "memory") or, with
// controller "", the v2 one. /proc/self/cgroup names the path from the hierarchy's root; a
// container without a cgroup namespace sees the host path there while its /sys/fs/cgroup holds
// only its own cgroup at the top (runc, docker), so a path not found under `base` falls back to
// `base` itself, as the JVM's and Go's container-aware CPU counts do.
Reading CgroupDir(const fs::path& self_cgroup, const fs::path& mount, const std::string& controller,
                  bool v2) {
  Reading file = ReadText(self_cgroup);
  if (!file.ok()) return file;
  // gVisor's is empty unless a cgroupfs is mounted inside the sandbox.
  if (Trim(file.value).empty()) return Unreadable(self_cgroup.string() + ": empty");
  std::istringstream in(file.value);
  for (std::string line; std::getline(in, line);) {
    const auto c1 = line.find(':');
    const auto c2 = c1 == std::string::npos ? c1 : line.find(':', c1 + 1);
    if (c2 == std::string::npos) continue;
    const std::string controllers = line.substr(c1 + 1, c2 - c1 - 1);
    const std::string path = line.substr(c2 + 1);
    bool match = v2 ? line.substr(0, c1) == "0" && controllers.empty() : false;
    if (!v2) {
      std::istringstream names(controllers);
      for (std::string n; std::getline(names, n, ',');) match = match || n == controller;
    }
    if (!match) continue;
    const fs::path base = v2 ? mount : mount / controller;
    const fs::path rel = fs::path(path).relative_path();
    const fs::path own = rel.empty() ? base : base / rel;
    std::error_code ec;
    return Value((fs::is_directory(own, ec) ? own : base).string());
  }
  return Unreadable(self_cgroup.string() + ": no " + (v2 ? "cgroup v2 (0::)" : controller) +
                    " line");
}

bool IsV2(const fs::path& mount) {
  std::error_code ec;
  return fs::exists(mount / "cgroup.controllers", ec);
}

// One number (or "max") from a cgroup file, trimmed.
Reading CgroupValue(const fs::path& dir, const char* file) {
  Reading r = ReadText(fs::path(dir) / file);
  if (r.ok()) r.value = Trim(r.value);
  return r;
}

std::optional<utsname> Uname() {
  utsname u{};
  if (::uname(&u) != 0) return std::nullopt;
  return u;
}

}  // namespace

Reading Sandbox(const fs::path& proc_version, std::string uname_version, std::string kernel_log) {
  // gVisor's sentry reports this fixed build line as its kernel version (pkg/sentry/kernel
  // version.go), in /proc/version and uname(2) alike; its syslog(2) is a made-up boot log
  // starting "Starting gVisor...". A Linux kernel says none of these.
  static constexpr std::string_view kGvisorVersion = "#1 SMP Sun Jan 10 15:06:54 PST 2016";
  if (uname_version.empty())
    if (const auto u = Uname()) uname_version = u->version;
  if (kernel_log.empty()) {
    std::string buf(64 * 1024, '\0');
    const int n =
        ::klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf.data(), static_cast<int>(buf.size()));
    if (n > 0) kernel_log = buf.substr(0, static_cast<size_t>(n));
  }
  const Reading version = ReadText(proc_version);
  const bool gvisor = (version.ok() && version.value.find(kGvisorVersion) != std::string::npos) ||
                      uname_version.find(kGvisorVersion) != std::string::npos ||
                      kernel_log.find("gVisor") != std::string::npos;
  if (gvisor) return Value("gvisor");
  // uname(2) always answers, so "none" stands even without /proc.
  return Value("none");
}

Reading VirtualMachineFrom(bool hypervisor_bit, std::string_view cpuid_vendor,
                           const fs::path& dmi_dir) {
  std::string v = "none";
  if (hypervisor_bit) {
    static constexpr std::pair<std::string_view, const char*> kVendors[] = {
        {"KVMKVMKVM", "kvm"},    {"Microsoft Hv", "hyperv"}, {"VMwareVMware", "vmware"},
        {"XenVMMXenVMM", "xen"}, {"TCGTCGTCGTCG", "tcg"},    {"bhyve bhyve ", "bhyve"}};
    const std::string vendor(cpuid_vendor.substr(0, cpuid_vendor.find('\0')));
    v = vendor.empty() ? "unknown hypervisor" : vendor;
    for (const auto& [sig, name] : kVendors)
      if (vendor == std::string(sig.substr(0, sig.find('\0')))) v = name;
  }
  std::string dmi;
  for (const char* f : {"sys_vendor", "product_name"}) {
    const Reading r = ReadText(dmi_dir / f);
    const std::string t = r.ok() ? Trim(r.value) : "";
    if (!t.empty()) dmi += (dmi.empty() ? "" : " ") + t;
  }
  if (!dmi.empty()) v += " (" + dmi + ")";
  return Value(v);
}

Reading VirtualMachine(const fs::path& dmi_dir) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return Unreadable("CPUID leaf 1 not supported");
  const bool hypervisor = (c >> 31) & 1;
  char vendor[13] = {};
  if (hypervisor) {
    __cpuid(0x40000000, a, b, c, d);
    std::memcpy(vendor, &b, 4);
    std::memcpy(vendor + 4, &c, 4);
    std::memcpy(vendor + 8, &d, 4);
  }
  return VirtualMachineFrom(hypervisor, std::string_view(vendor, 12), dmi_dir);
#else
  (void)dmi_dir;
  return Unreadable("no CPUID hypervisor bit on this architecture");
#endif
}

Reading Container(const fs::path& proc, const fs::path& root) {
  // Signals, and why only these:
  // - podman writes /run/.containerenv into every container (also with --pid=host);
  // - a pid namespace other than the initial one (its inode is the kernel's fixed
  //   PROC_PID_INIT_INO, 0xEFFFFFFC): every OCI runtime unshares it by default, and nothing
  //   else a benchmark is started by does.
  // Not used: /.dockerenv (left in root filesystems made from docker images: this KVM guest's
  // own / has one), a cgroup path other than "/" (the harness runs native cells in a cgroup
  // too, and a container with a cgroup namespace sees "/"), and pid 1 not being systemd/init
  // (this guest's pid 1 is an agent, not an init).
  std::error_code ec;
  if (fs::exists(root / "run/.containerenv", ec)) return Value("yes");
  const fs::path link = proc / "self/ns/pid";
  char buf[64] = {};
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n < 0) return Unreadable(link.string() + ": " + std::strerror(errno));
  static constexpr std::string_view kInitialPidNs = "pid:[4026531836]";
  return Value(std::string_view(buf, static_cast<size_t>(n)) == kInitialPidNs ? "no" : "yes");
}

Reading Seccomp(const fs::path& status) {
  Reading r = KeyedLine(status, "Seccomp");
  if (!r.ok()) return r;
  static constexpr const char* kModes[] = {"disabled", "strict", "filter"};
  const auto mode = ToInt(r.value);
  if (!mode || *mode < 0 || *mode > 2)
    return Unreadable(status.string() + ": Seccomp: \"" + r.value + "\" is not 0, 1 or 2");
  return Value(kModes[*mode]);
}

Reading NoNewPrivs(const fs::path& status) { return KeyedLine(status, "NoNewPrivs"); }

Reading CapEff(const fs::path& status) { return KeyedLine(status, "CapEff"); }

Reading Uid(const fs::path& status) {
  // "Uid:\treal\teffective\tsaved\tfs": the effective one is what permission checks use.
  Reading r = KeyedLine(status, "Uid");
  if (!r.ok()) return r;
  std::istringstream fields(r.value);
  std::string real, effective;
  if (!(fields >> real >> effective) || !ToInt(effective))
    return Unreadable(status.string() + ": Uid: \"" + r.value + "\" has no effective uid");
  return Value(effective);
}

Reading CgroupCpus(const fs::path& self_cgroup, const fs::path& mount) {
  const bool v2 = IsV2(mount);
  const Reading dir = CgroupDir(self_cgroup, mount, "cpu", v2);
  if (!dir.ok()) return dir;
  if (v2) {
    const Reading max = CgroupValue(dir.value, "cpu.max");  // "quota period" or "max period"
    if (!max.ok()) return max;
    std::istringstream in(max.value);
    std::string quota, period;
    in >> quota >> period;
    if (quota == "max") return Value("unlimited");
    const auto q = ToInt(quota), p = ToInt(period);
    if (!q || !p || *p <= 0)
      return Unreadable(dir.value + "/cpu.max: \"" + max.value + "\" is not \"quota period\"");
    return Value(FormatCpus(static_cast<double>(*q), static_cast<double>(*p)));
  }
  const Reading quota = CgroupValue(dir.value, "cpu.cfs_quota_us");
  if (!quota.ok()) return quota;
  const auto q = ToInt(quota.value);
  if (!q) return Unreadable(dir.value + "/cpu.cfs_quota_us: \"" + quota.value + "\" is no number");
  if (*q < 0) return Value("unlimited");  // -1
  const Reading period = CgroupValue(dir.value, "cpu.cfs_period_us");
  if (!period.ok()) return period;
  const auto p = ToInt(period.value);
  if (!p || *p <= 0)
    return Unreadable(dir.value + "/cpu.cfs_period_us: \"" + period.value + "\" is no period");
  return Value(FormatCpus(static_cast<double>(*q), static_cast<double>(*p)));
}

Reading CgroupMemoryBytes(const fs::path& self_cgroup, const fs::path& mount) {
  const bool v2 = IsV2(mount);
  const Reading dir = CgroupDir(self_cgroup, mount, "memory", v2);
  if (!dir.ok()) return dir;
  const char* file = v2 ? "memory.max" : "memory.limit_in_bytes";
  const Reading r = CgroupValue(dir.value, file);
  if (!r.ok()) return r;
  if (r.value == "max") return Value("unlimited");
  const auto bytes = ToInt(r.value);
  if (!bytes || *bytes < 0)
    return Unreadable(dir.value + "/" + file + ": \"" + r.value + "\" is no byte count");
  // v1 reports "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages);
  // no machine has 2^62 bytes.
  if (*bytes >= (1LL << 62)) return Value("unlimited");
  return Value(std::to_string(*bytes));
}

Reading Kernel() {
  const auto u = Uname();
  return u ? Value(u->release) : Unreadable(std::string("uname: ") + std::strerror(errno));
}

Reading Arch() {
  const auto u = Uname();
  return u ? Value(u->machine) : Unreadable(std::string("uname: ") + std::strerror(errno));
}

Reading Clocksource(const fs::path& file) {
  Reading r = ReadText(file);
  if (r.ok()) r.value = Trim(r.value);
  if (r.ok() && r.value.empty()) return Unreadable(file.string() + ": empty");
  return r;
}

Reading CpuModel(const fs::path& cpuinfo) {
  const Reading file = ReadText(cpuinfo);
  if (!file.ok()) return file;
  if (Reading r = KeyedLine(cpuinfo, "model name"); r.ok()) {
    // gVisor writes "model name : unknown": what the file says, but no model.
    if (r.value.empty() || r.value == "unknown")
      return Unreadable(cpuinfo.string() + ": model name is \"" + r.value + "\"");
    return r;
  }
  if (Reading r = KeyedLine(cpuinfo, "Hardware"); r.ok() && !r.value.empty()) return r;
  const Reading impl = KeyedLine(cpuinfo, "CPU implementer"), part = KeyedLine(cpuinfo, "CPU part");
  if (impl.ok() && part.ok()) return Value("CPU implementer " + impl.value + " part " + part.value);
  return Unreadable(cpuinfo.string() + ": no \"model name\", \"Hardware\" or \"CPU part\" line");
}

std::vector<std::pair<std::string, Reading>> ReadAll() {
  return {{"where_sandbox", Sandbox()},
          {"where_virtual_machine", VirtualMachine()},
          {"where_container", Container()},
          {"where_seccomp", Seccomp()},
          {"where_no_new_privs", NoNewPrivs()},
          {"where_cap_eff", CapEff()},
          {"where_uid", Uid()},
          {"where_cgroup_cpus", CgroupCpus()},
          {"where_cgroup_memory_bytes", CgroupMemoryBytes()},
          {"where_kernel", Kernel()},
          {"where_clocksource", Clocksource()},
          {"where_cpu_model", CpuModel()},
          {"where_arch", Arch()}};
}

}  // namespace ocibench::sysinfo
