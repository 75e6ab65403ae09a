// harness/oci without runtimes: config.json generation, the seccomp conversion, cgroup mode
// detection and image layout reading.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/oci/seccomp_profile.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ImageConfig Image() {
  ImageConfig i;
  i.manifest_digest = "sha256:abc";
  i.arch = "amd64";
  i.entrypoint = {"/ocibench-bench"};
  i.cmd = {"--default"};
  i.env = {"PATH=/bin", "FOO=image"};
  return i;
}

BundleSpec Spec() {
  BundleSpec s;
  s.seccomp = false;  // tested on its own below; needs containers-common's profile
  return s;
}

const json* FindMount(const json& config, const std::string& dest) {
  for (const auto& m : config["mounts"]) {
    if (m["destination"] == dest) return &m;
  }
  return nullptr;
}

bool HasNamespace(const json& config, const std::string& type) {
  for (const auto& n : config["linux"]["namespaces"]) {
    if (n["type"] == type) return true;
  }
  return false;
}

TEST(OciConfig, ArgsAreEntrypointThenArgsOrElseCmd) {
  BundleSpec s = Spec();
  EXPECT_EQ(MakeRuntimeConfig(s, Image())["process"]["args"],
            json({"/ocibench-bench", "--default"}));
  s.args = {"--benchmark_filter=x"};
  EXPECT_EQ(MakeRuntimeConfig(s, Image())["process"]["args"],
            json({"/ocibench-bench", "--benchmark_filter=x"}));
  ImageConfig empty;
  EXPECT_THROW(MakeRuntimeConfig(Spec(), empty), BundleError);
}

TEST(OciConfig, EnvMergesImageSpecAndScratch) {
  BundleSpec s = Spec();
  s.env = {"FOO=spec"};
  const json env = MakeRuntimeConfig(s, Image())["process"]["env"];
  const auto has = [&](const std::string& kv) {
    return std::find(env.begin(), env.end(), kv) != env.end();
  };
  EXPECT_TRUE(has("PATH=/bin"));
  EXPECT_TRUE(has("FOO=spec"));
  EXPECT_FALSE(has("FOO=image"));
  EXPECT_TRUE(has("OCIBENCH_SCRATCH=/scratch"));
  EXPECT_TRUE(has("OCIBENCH_SCRATCH_KIND=rootfs"));
  s.env = {"NOEQUALS"};
  EXPECT_THROW(MakeRuntimeConfig(s, Image()), BundleError);
}

TEST(OciConfig, SecurityDefaults) {
  std::vector<std::string> notes;
  BundleSpec s = Spec();
  s.scratch.kind = ScratchKind::kTmpfs;
  const json c = MakeRuntimeConfig(s, Image(), &notes);
  EXPECT_TRUE(c["root"]["readonly"].get<bool>());
  EXPECT_TRUE(c["process"]["noNewPrivileges"].get<bool>());
  const json caps = c["process"]["capabilities"]["bounding"];
  EXPECT_EQ(caps.size(), 14u);  // docker's default set
  EXPECT_EQ(std::count(caps.begin(), caps.end(), "CAP_SYS_ADMIN"), 0);
  EXPECT_FALSE(c["linux"].contains("seccomp"));
  EXPECT_TRUE(notes.empty());
  // /tmp stays writable on a read-only rootfs.
  ASSERT_NE(FindMount(c, "/tmp"), nullptr);
  EXPECT_EQ((*FindMount(c, "/tmp"))["type"], "tmpfs");
}

TEST(OciConfig, ScratchOnRootfsMakesTheRootfsWritable) {
  std::vector<std::string> notes;
  const json c = MakeRuntimeConfig(Spec(), Image(), &notes);
  EXPECT_FALSE(c["root"]["readonly"].get<bool>());
  EXPECT_EQ(FindMount(c, "/scratch"), nullptr);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("writable"), std::string::npos);
}

TEST(OciConfig, ScratchTmpfsAndBindAndResults) {
  char tmpl[] = "/tmp/oci-config-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  BundleSpec s = Spec();
  s.scratch.kind = ScratchKind::kTmpfs;
  s.scratch.tmpfs_size = "64m";
  s.results_dir = dir;
  json c = MakeRuntimeConfig(s, Image());
  ASSERT_NE(FindMount(c, "/scratch"), nullptr);
  const json tmpfs_opts = (*FindMount(c, "/scratch"))["options"];
  EXPECT_NE(std::find(tmpfs_opts.begin(), tmpfs_opts.end(), "size=64m"), tmpfs_opts.end());
  ASSERT_NE(FindMount(c, "/results"), nullptr);
  EXPECT_EQ((*FindMount(c, "/results"))["source"], dir.string());
  const json results_opts = (*FindMount(c, "/results"))["options"];
  EXPECT_NE(std::find(results_opts.begin(), results_opts.end(), "rw"), results_opts.end());

  s.scratch.kind = ScratchKind::kBind;
  s.scratch.host_dir = dir;
  c = MakeRuntimeConfig(s, Image());
  EXPECT_EQ((*FindMount(c, "/scratch"))["type"], "bind");
  EXPECT_EQ((*FindMount(c, "/scratch"))["source"], dir.string());
  s.scratch.host_dir = dir / "missing";
  EXPECT_THROW(MakeRuntimeConfig(s, Image()), BundleError);
  fs::remove_all(dir);
}

TEST(OciConfig, NetworkModes) {
  BundleSpec s = Spec();
  json c = MakeRuntimeConfig(s, Image());
  EXPECT_TRUE(HasNamespace(c, "network"));
  EXPECT_EQ(c["annotations"]["io.ocibench.network"], "none");
  s.network.mode = NetworkMode::kHost;
  c = MakeRuntimeConfig(s, Image());
  EXPECT_FALSE(HasNamespace(c, "network"));
  s.network.mode = NetworkMode::kNetns;
  s.network.netns_path = "/proc/self/ns/net";
  c = MakeRuntimeConfig(s, Image());
  bool found = false;
  for (const auto& n : c["linux"]["namespaces"]) {
    found |= n["type"] == "network" && n["path"] == "/proc/self/ns/net";
  }
  EXPECT_TRUE(found);
  s.network.netns_path = "/var/run/netns/does-not-exist";
  EXPECT_THROW(MakeRuntimeConfig(s, Image()), BundleError);
}

TEST(OciConfig, Limits) {
  BundleSpec s = Spec();
  s.cpus = 1.5;
  s.memory_bytes = 1ull << 30;
  s.cgroups_path = "/ocibench/x";
  const json c = MakeRuntimeConfig(s, Image());
  EXPECT_EQ(c["linux"]["resources"]["cpu"]["quota"], 150000);
  EXPECT_EQ(c["linux"]["resources"]["cpu"]["period"], 100000);
  EXPECT_EQ(c["linux"]["resources"]["memory"]["limit"], 1ull << 30);
  EXPECT_EQ(c["linux"]["cgroupsPath"], "/ocibench/x");
  s.cpus = 0;
  EXPECT_THROW(MakeRuntimeConfig(s, Image()), BundleError);
}

TEST(OciConfig, RlimitsAreClampedToTheHardLimitWithANote) {
  rlimit nofile{};
  ::getrlimit(RLIMIT_NOFILE, &nofile);
  if (nofile.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "RLIMIT_NOFILE hard limit is unlimited";
  BundleSpec s = Spec();
  s.scratch.kind = ScratchKind::kTmpfs;
  // Default: the hard limit.
  json c = MakeRuntimeConfig(s, Image());
  EXPECT_EQ(c["process"]["rlimits"][0]["hard"], std::min<rlim_t>(nofile.rlim_max, 1048576));
  s.rlimits =
      std::vector<Rlimit>{{"RLIMIT_NOFILE", nofile.rlim_max + 1000, nofile.rlim_max + 1000}};
  std::vector<std::string> notes;
  c = MakeRuntimeConfig(s, Image(), &notes);
  EXPECT_EQ(c["process"]["rlimits"][0]["hard"], nofile.rlim_max);
  EXPECT_EQ(c["process"]["rlimits"][0]["soft"], nofile.rlim_max);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("RLIMIT_NOFILE clamped"), std::string::npos);
  s.rlimits = std::vector<Rlimit>{{"RLIMIT_BOGUS", 1, 1}};
  EXPECT_THROW(MakeRuntimeConfig(s, Image()), BundleError);
}

TEST(OciConfig, NumericImageUserOnly) {
  ImageConfig i = Image();
  i.user = "999:998";
  json c = MakeRuntimeConfig(Spec(), i);
  EXPECT_EQ(c["process"]["user"]["uid"], 999);
  EXPECT_EQ(c["process"]["user"]["gid"], 998);
  i.user = "redis";
  EXPECT_THROW(MakeRuntimeConfig(Spec(), i), BundleError);
}

// A moby-format profile with the rule shapes containers-common's has.
const json kProfile = json::parse(R"({
  "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
  "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
              {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
  "syscalls": [
    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "args": [], "includes": {}, "excludes": {}},
    {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}, "excludes": {}},
    {"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_CHROOT"]}, "excludes": {}},
    {"names": ["bpf"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}, "excludes": {}},
    {"names": ["bpf"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": {}, "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
    {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "errnoRet": null,
     "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}], "includes": {}, "excludes": {}}
  ]})");

std::vector<std::string> Names(const json& seccomp) {
  std::vector<std::string> out;
  for (const auto& s : seccomp["syscalls"]) {
    out.push_back(s["names"][0].get<std::string>() + ":" + s["action"].get<std::string>());
  }
  return out;
}

TEST(Seccomp, RulesAreResolvedForCapsAndArch) {
  const json amd64 = SeccompFromProfile(kProfile, {"CAP_SYS_CHROOT"}, "amd64");
  EXPECT_EQ(amd64["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(amd64["defaultErrnoRet"], 38);
  EXPECT_EQ(amd64["architectures"], json({"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  EXPECT_EQ(Names(amd64),
            (std::vector<std::string>{"read:SCMP_ACT_ALLOW", "arch_prctl:SCMP_ACT_ALLOW",
                                      "chroot:SCMP_ACT_ALLOW", "bpf:SCMP_ACT_ERRNO",
                                      "personality:SCMP_ACT_ALLOW"}));
  EXPECT_FALSE(amd64["syscalls"][4].contains("errnoRet"));  // null is dropped
  EXPECT_EQ(amd64["syscalls"][4]["args"][0]["value"], 8);
  EXPECT_EQ(amd64["syscalls"][3]["errnoRet"], 1);

  const json arm64 = SeccompFromProfile(kProfile, {"CAP_SYS_ADMIN"}, "arm64");
  EXPECT_EQ(arm64["architectures"], json({"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}));
  EXPECT_EQ(Names(arm64), (std::vector<std::string>{"read:SCMP_ACT_ALLOW", "bpf:SCMP_ACT_ALLOW",
                                                    "personality:SCMP_ACT_ALLOW"}));
}

TEST(Seccomp, ChoicesResolveToAProfileFileOrNone) {
  EXPECT_TRUE(ResolveSeccomp("unconfined").unconfined());
  EXPECT_THROW(ResolveSeccomp("off"), BundleError);
  EXPECT_THROW(ResolveSeccomp("/nonexistent.json"), BundleError);
  EXPECT_THROW(ResolveSeccomp("relative.json"), BundleError);
  BundleSpec s = Spec();
  s.seccomp = true;
  s.seccomp_profile = "unconfined";
  EXPECT_FALSE(MakeRuntimeConfig(s, Image())["linux"].contains("seccomp"));
  if (fs::exists(kDockerSeccompProfile)) {
    EXPECT_EQ(ResolveSeccomp("default").profile, kDockerSeccompProfile);
    s.seccomp_profile = "docker";
    const json sec = MakeRuntimeConfig(s, Image())["linux"]["seccomp"];
    EXPECT_EQ(sec["defaultAction"], "SCMP_ACT_ERRNO");
    EXPECT_GT(sec["syscalls"].size(), 10u);
  } else if (fs::exists(kContainersCommonSeccompProfile)) {
    EXPECT_EQ(ResolveSeccomp("default").profile, kContainersCommonSeccompProfile);
    EXPECT_THROW(ResolveSeccomp("docker"), BundleError);
  }
}

TEST(Seccomp, ContainersCommonProfileConverts) {
  if (!fs::exists(kDefaultSeccompProfile))
    GTEST_SKIP() << kDefaultSeccompProfile << " not installed";
  BundleSpec s = Spec();
  s.seccomp = true;
  s.seccomp_profile = "containers-common";
  const json c = MakeRuntimeConfig(s, Image());
  const json& sec = c["linux"]["seccomp"];
  EXPECT_EQ(sec["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_GT(sec["syscalls"].size(), 10u);
  EXPECT_THROW(DefaultSeccomp({}, "amd64", "/nonexistent.json"), BundleError);
}

void WriteFile(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
}

TEST(CgroupMode, DetectedFromMountinfo) {
  char tmpl[] = "/tmp/oci-mountinfo-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  WriteFile(dir / "v2", "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
  WriteFile(dir / "hybrid",
            "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:5 - cgroup cgroup rw,memory\n"
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
  WriteFile(dir / "v1", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  EXPECT_EQ(DetectCgroupMode(dir / "v2"), CgroupMode::kUnified);
  EXPECT_EQ(DetectCgroupMode(dir / "hybrid"), CgroupMode::kHybrid);
  EXPECT_EQ(DetectCgroupMode(dir / "v1"), CgroupMode::kLegacy);
  EXPECT_EQ(ToString(CgroupMode::kHybrid), "hybrid");
  fs::remove_all(dir);
}

// A two-architecture layout as `buildah manifest push --all` writes it (blobs unverified).
TEST(ImageLayout, PicksTheManifestForTheArchitecture) {
  char tmpl[] = "/tmp/oci-layout-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  const auto blob = [&](const std::string& name, const json& j) {
    WriteFile(dir / "blobs" / "sha256" / name, j.dump());
    return "sha256:" + name;
  };
  json index = {{"schemaVersion", 2}, {"manifests", json::array()}};
  for (const std::string arch : {"amd64", "arm64"}) {
    const std::string config =
        blob("config-" + arch, {{"architecture", arch},
                                {"os", "linux"},
                                {"config", {{"Entrypoint", {"/e-" + arch}}, {"Cmd", nullptr}}}});
    const std::string manifest =
        blob("manifest-" + arch, {{"config", {{"digest", config}}}, {"layers", json::array()}});
    index["manifests"].push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                  {"digest", manifest},
                                  {"platform", {{"architecture", arch}, {"os", "linux"}}}});
  }
  const std::string list = blob("index", index);
  WriteFile(dir / "index.json",
            json({{"schemaVersion", 2},
                  {"manifests",
                   {{{"mediaType", "application/vnd.oci.image.index.v1+json"},
                     {"digest", list},
                     {"annotations", {{"org.opencontainers.image.ref.name", "bench"}}}}}}})
                .dump());
  const ImageConfig arm = ReadImageConfig(dir, "bench", "arm64");
  EXPECT_EQ(arm.arch, "arm64");
  EXPECT_EQ(arm.manifest_digest, "sha256:manifest-arm64");
  EXPECT_EQ(arm.entrypoint, std::vector<std::string>{"/e-arm64"});
  EXPECT_TRUE(arm.cmd.empty());
  EXPECT_EQ(ReadImageConfig(dir, "bench", "amd64").entrypoint,
            std::vector<std::string>{"/e-amd64"});
  try {
    ReadImageConfig(dir, "bench", "riscv64");
    ADD_FAILURE() << "no riscv64 manifest, yet no error";
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find("has: amd64, arm64"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ReadImageConfig(dir, "nosuchtag", "amd64"), BundleError);
  EXPECT_THROW(ReadImageConfig(dir / "missing", "bench", "amd64"), BundleError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ocibench::oci
