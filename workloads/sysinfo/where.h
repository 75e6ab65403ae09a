// Where this process runs, each fact read from the kernel's own files: a Reading holds the value
// or, when the file cannot be read or says nothing usable, the reason (never a guess). Every
// reader takes the paths it reads, the real ones by default, so tests feed fake files.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ocibench::sysinfo {

// value when readable, else reason ("/proc/self/status: No such file or directory").
struct Reading {
  std::string value;
  std::string reason;
  bool ok() const { return reason.empty(); }
};

// "gvisor" when the kernel's signature is gVisor's (its fixed /proc/version and uname version
// "#1 SMP Sun Jan 10 15:06:54 PST 2016", or "gVisor" in its fake kernel log), else "none".
// `uname_version` is uname(2)'s version ("" = ask uname); `kernel_log` the syslog(2) text
// ("" = read it; a denied read only removes that signal).
Reading Sandbox(const std::filesystem::path& proc_version = "/proc/version",
                std::string uname_version = "", std::string kernel_log = "");

// "none" or the hypervisor ("kvm", "hyperv", "vmware", "xen", "tcg", or the CPUID vendor
// string) from CPUID leaf 1 ECX bit 31 and leaf 0x40000000, followed by " (sys_vendor
// product_name)" when DMI under `dmi_dir` is readable. Not x86: not readable (reason says so).
Reading VirtualMachine(const std::filesystem::path& dmi_dir = "/sys/class/dmi/id");
// The same from already-read CPUID results (exposed for tests).
Reading VirtualMachineFrom(bool hypervisor_bit, std::string_view cpuid_vendor,
                           const std::filesystem::path& dmi_dir);

// "yes"/"no": in a pid namespace other than the initial one, or podman's /run/.containerenv.
Reading Container(const std::filesystem::path& proc = "/proc",
                  const std::filesystem::path& root = "/");

// /proc/self/status: "disabled" | "strict" | "filter"; "0"/"1"; the CapEff hex mask.
Reading Seccomp(const std::filesystem::path& status = "/proc/self/status");
Reading NoNewPrivs(const std::filesystem::path& status = "/proc/self/status");
Reading CapEff(const std::filesystem::path& status = "/proc/self/status");
// The effective uid ("0" = root), from the Uid: line.
Reading Uid(const std::filesystem::path& status = "/proc/self/status");

// The limits of this process's own cgroup (as `self_cgroup` names it) under `mount`: cgroup v2
// when `mount` holds cgroup.controllers, else v1 (`mount`/cpu, `mount`/memory). CPUs as
// quota/period ("1.5"), memory in bytes; no limit → "unlimited".
Reading CgroupCpus(const std::filesystem::path& self_cgroup = "/proc/self/cgroup",
                   const std::filesystem::path& mount = "/sys/fs/cgroup");
Reading CgroupMemoryBytes(const std::filesystem::path& self_cgroup = "/proc/self/cgroup",
                          const std::filesystem::path& mount = "/sys/fs/cgroup");

// uname(2) release and machine ("x86_64", "aarch64").
Reading Kernel();
Reading Arch();
Reading Clocksource(const std::filesystem::path& file =
                        "/sys/devices/system/clocksource/clocksource0/current_clocksource");
// "model name" (unreadable when "unknown", as gVisor says), else arm64's "Hardware", else
// "CPU implementer 0x41 part 0xd0c".
Reading CpuModel(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");

// Every field above from the real files, named where_sandbox, where_virtual_machine, ….
std::vector<std::pair<std::string, Reading>> ReadAll();

}  // namespace ocibench::sysinfo
