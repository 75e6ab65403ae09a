// workloads/sysinfo: every where_* reader against fake /proc and /sys files in a temp dir,
// each unreadable reason, cgroup v1 and v2, and "max"/-1 as unlimited.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "workloads/sysinfo/where.h"

namespace ocibench::sysinfo {
namespace {

namespace fs = std::filesystem;

class FakeRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "ocibench-sysinfo-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& rel, const std::string& text) {
    const fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
  fs::path dir_;
};

constexpr const char* kStatus =
    "Name:\tocibench-bench\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n"
    "Uid:\t1000\t65534\t65534\t65534\nCapEff:\t00000000a80425fb\n";

TEST_F(FakeRoot, StatusFields) {
  const fs::path status = Write("proc/self/status", kStatus);
  EXPECT_EQ(Seccomp(status).value, "filter");
  EXPECT_EQ(NoNewPrivs(status).value, "1");
  EXPECT_EQ(CapEff(status).value, "00000000a80425fb");
  EXPECT_EQ(Uid(status).value, "65534");  // the effective one, not the real one
  EXPECT_FALSE(Uid(Write("u", "Uid:\tx\n")).ok());
  EXPECT_EQ(Seccomp(Write("s0", "Seccomp:\t0\n")).value, "disabled");
  EXPECT_EQ(Seccomp(Write("s1", "Seccomp:\t1\n")).value, "strict");
}

TEST_F(FakeRoot, StatusUnreadableReasons) {
  const Reading missing = Seccomp(dir_ / "nope");
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.reason, (dir_ / "nope").string() + ": No such file or directory");
  const fs::path old = Write("old", "Name:\tx\n");  // a kernel before 3.8 has no Seccomp: line
  EXPECT_EQ(Seccomp(old).reason, old.string() + ": no \"Seccomp\" line");
  EXPECT_EQ(NoNewPrivs(old).reason, old.string() + ": no \"NoNewPrivs\" line");
  EXPECT_EQ(CapEff(old).reason, old.string() + ": no \"CapEff\" line");
  const fs::path odd = Write("odd", "Seccomp:\t7\n");
  EXPECT_EQ(Seccomp(odd).reason, odd.string() + ": Seccomp: \"7\" is not 0, 1 or 2");
}

TEST_F(FakeRoot, CgroupV2OwnPath) {
  const fs::path self = Write("proc/self/cgroup", "0::/ocibench/run/cell\n");
  Write("cg/cgroup.controllers", "cpu memory\n");
  Write("cg/ocibench/run/cell/cpu.max", "150000 100000\n");
  Write("cg/ocibench/run/cell/memory.max", "1073741824\n");
  EXPECT_EQ(CgroupCpus(self, dir_ / "cg").value, "1.5");
  EXPECT_EQ(CgroupMemoryBytes(self, dir_ / "cg").value, "1073741824");
}

TEST_F(FakeRoot, CgroupV2MaxIsUnlimitedAndMountRootFallback) {
  // A container without a cgroup namespace: the host path is not under its /sys/fs/cgroup,
  // whose top is its own cgroup.
  const fs::path self = Write("proc/self/cgroup", "0::/system.slice/x.scope\n");
  Write("cg/cgroup.controllers", "cpu memory\n");
  Write("cg/cpu.max", "max 100000\n");
  Write("cg/memory.max", "max\n");
  EXPECT_EQ(CgroupCpus(self, dir_ / "cg").value, "unlimited");
  EXPECT_EQ(CgroupMemoryBytes(self, dir_ / "cg").value, "unlimited");
}

TEST_F(FakeRoot, CgroupV1) {
  const fs::path self =
      Write("proc/self/cgroup",
            "9:name=systemd:/\n4:memory:/ocibench/c1\n2:cpu,cpuacct:/ocibench/c1\n0::/\n");
  Write("cg/cpu/ocibench/c1/cpu.cfs_quota_us", "200000\n");
  Write("cg/cpu/ocibench/c1/cpu.cfs_period_us", "100000\n");
  Write("cg/memory/ocibench/c1/memory.limit_in_bytes", "536870912\n");
  EXPECT_EQ(CgroupCpus(self, dir_ / "cg").value, "2");
  EXPECT_EQ(CgroupMemoryBytes(self, dir_ / "cg").value, "536870912");
}

TEST_F(FakeRoot, CgroupV1MinusOneAndHugeAreUnlimited) {
  const fs::path self = Write("proc/self/cgroup", "4:memory:/a\n2:cpu,cpuacct:/a\n");
  Write("cg/cpu/cpu.cfs_quota_us", "-1\n");  // mount-root fallback, as runc bind-mounts it
  Write("cg/cpu/cpu.cfs_period_us", "100000\n");
  Write("cg/memory/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(CgroupCpus(self, dir_ / "cg").value, "unlimited");
  EXPECT_EQ(CgroupMemoryBytes(self, dir_ / "cg").value, "unlimited");
}

TEST_F(FakeRoot, CgroupUnreadableReasons) {
  const fs::path none = dir_ / "proc/self/cgroup";
  EXPECT_EQ(CgroupCpus(none, dir_ / "cg").reason, none.string() + ": No such file or directory");
  const fs::path empty = Write("gvisor-cgroup", "");
  EXPECT_EQ(CgroupMemoryBytes(empty, dir_ / "cg").reason, empty.string() + ": empty");
  const fs::path v1only = Write("v1", "4:memory:/a\n");
  EXPECT_EQ(CgroupCpus(v1only, dir_ / "cg").reason, v1only.string() + ": no cpu line");
  EXPECT_EQ(CgroupMemoryBytes(v1only, dir_ / "cg").reason,
            (dir_ / "cg/memory/memory.limit_in_bytes").string() + ": No such file or directory");
  Write("v2/cgroup.controllers", "");
  EXPECT_EQ(CgroupCpus(v1only, dir_ / "v2").reason, v1only.string() + ": no cgroup v2 (0::) line");
  const fs::path self = Write("self2", "0::/\n");
  Write("v2/cpu.max", "lots\n");
  EXPECT_EQ(CgroupCpus(self, dir_ / "v2").reason,
            (dir_ / "v2").string() + "/cpu.max: \"lots\" is not \"quota period\"");
  Write("v2/memory.max", "-5\n");
  EXPECT_EQ(CgroupMemoryBytes(self, dir_ / "v2").reason,
            (dir_ / "v2").string() + "/memory.max: \"-5\" is no byte count");
}

TEST_F(FakeRoot, SandboxSignatures) {
  const fs::path linux_version =
      Write("linux", "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) #1 SMP\n");
  const fs::path gvisor_version =
      Write("gvisor", "Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016\n");
  EXPECT_EQ(Sandbox(linux_version, "#1 SMP PREEMPT_DYNAMIC", "[0.0] Linux").value, "none");
  EXPECT_EQ(Sandbox(gvisor_version, "#1 SMP PREEMPT_DYNAMIC", "[0.0] Linux").value, "gvisor");
  EXPECT_EQ(Sandbox(dir_ / "nope", "#1 SMP Sun Jan 10 15:06:54 PST 2016", "x").value, "gvisor");
  EXPECT_EQ(Sandbox(linux_version, "#1", "[   0.000000] Starting gVisor...").value, "gvisor");
  // Without /proc, uname(2) still answers: "none" is a reading, not a guess.
  EXPECT_EQ(Sandbox(dir_ / "nope", "#1 SMP", "x").value, "none");
}

TEST_F(FakeRoot, VirtualMachine) {
  EXPECT_EQ(VirtualMachineFrom(false, "", dir_ / "dmi").value, "none");
  EXPECT_EQ(VirtualMachineFrom(true, std::string_view("KVMKVMKVM\0\0\0", 12), dir_ / "dmi").value,
            "kvm");
  Write("dmi/sys_vendor", "QEMU\n");
  Write("dmi/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
  EXPECT_EQ(VirtualMachineFrom(true, "Microsoft Hv", dir_ / "dmi").value,
            "hyperv (QEMU Standard PC (Q35 + ICH9, 2009))");
  EXPECT_EQ(VirtualMachineFrom(true, "", dir_ / "dmi").value,
            "unknown hypervisor (QEMU Standard PC (Q35 + ICH9, 2009))");
#if defined(__x86_64__)
  EXPECT_TRUE(VirtualMachine(dir_ / "dmi").ok());
#else
  EXPECT_EQ(VirtualMachine(dir_ / "dmi").reason, "no CPUID hypervisor bit on this architecture");
#endif
}

TEST_F(FakeRoot, Container) {
  fs::create_directories(dir_ / "proc/self/ns");
  fs::create_directories(dir_ / "root");
  EXPECT_EQ(Container(dir_ / "proc", dir_ / "root").reason,
            (dir_ / "proc/self/ns/pid").string() + ": No such file or directory");
  fs::create_symlink("pid:[4026531836]", dir_ / "proc/self/ns/pid");
  EXPECT_EQ(Container(dir_ / "proc", dir_ / "root").value, "no");
  Write("root/run/.containerenv", "engine=\"podman-4.3.1\"\n");  // podman --pid=host
  EXPECT_EQ(Container(dir_ / "proc", dir_ / "root").value, "yes");
  fs::remove(dir_ / "proc/self/ns/pid");
  fs::create_symlink("pid:[4026532190]", dir_ / "proc/self/ns/pid");
  Write("root/.dockerenv", "");  // not a signal: this guest's own / has one
  fs::remove(dir_ / "root/run/.containerenv");
  EXPECT_EQ(Container(dir_ / "proc", dir_ / "root").value, "yes");
}

TEST_F(FakeRoot, KernelFiles) {
  EXPECT_EQ(Clocksource(Write("cs", "tsc\n")).value, "tsc");
  EXPECT_EQ(Clocksource(Write("cs0", "\n")).reason, (dir_ / "cs0").string() + ": empty");
  EXPECT_EQ(Clocksource(dir_ / "nope").reason,
            (dir_ / "nope").string() + ": No such file or directory");
  EXPECT_EQ(CpuModel(Write("x86", "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n")).value,
            "AMD EPYC 7B13");
  EXPECT_EQ(
      CpuModel(Write("rpi", "processor\t: 0\nCPU part\t: 0xd08\nHardware\t: BCM2835\n")).value,
      "BCM2835");
  EXPECT_EQ(
      CpuModel(Write("a64", "processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n")).value,
      "CPU implementer 0x41 part 0xd0c");
  const fs::path gvisor = Write("gv", "processor\t: 0\nmodel name\t: unknown\n");
  EXPECT_EQ(CpuModel(gvisor).reason, gvisor.string() + ": model name is \"unknown\"");
  const fs::path bare = Write("bare", "processor\t: 0\n");
  EXPECT_EQ(CpuModel(bare).reason,
            bare.string() + ": no \"model name\", \"Hardware\" or \"CPU part\" line");
  EXPECT_FALSE(Kernel().value.empty());
  EXPECT_FALSE(Arch().value.empty());
}

TEST(ReadAll, NamesEveryFieldOnce) {
  const auto all = ReadAll();
  ASSERT_EQ(all.size(), 13u);
  for (const auto& [name, r] : all) {
    EXPECT_TRUE(name.starts_with("where_")) << name;
    EXPECT_NE(r.ok(), !r.reason.empty()) << name;
  }
}

}  // namespace
}  // namespace ocibench::sysinfo
