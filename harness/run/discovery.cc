// Runtime discovery: native, runc, crun, runsc per platform, youki, containerd shims, Kata.
#include "harness/run/discovery.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "harness/containerd/private_containerd.h"
#include "harness/oci/bundle.h"
#include "harness/oci/seccomp_profile.h"
#include "harness/engine/podman_store.h"
#include "harness/process/command.h"

namespace ocibench::run {
namespace {

RuntimeEntry OciEntry(const std::string& name, oci::RuntimeSpec spec) {
  RuntimeEntry e;
  e.name = name;
  e.kind = RuntimeKind::kOci;
  spec.name = name;
  spec.root_dir = "/run/ocibench-run/" + name;  // apart from the oci tests' /run/ocibench
  e.spec = spec;
  e.info = oci::Probe(spec);
  e.version = e.info.version;
  e.unusable = e.info.unusable;
  return e;
}

// containerd shim v2 runtimes are reached through `ctr` and a private containerd that
// `ocibench run` starts itself (harness/containerd/private_containerd.h): ctr, containerd and the
// shim binary must be on PATH. Nothing else: a Kata entry needs only Kata's
// containerd-shim-kata-v2.
RuntimeEntry ShimEntry(const std::string& name, const std::string& shim) {
  RuntimeEntry e;
  e.name = name;
  e.kind = RuntimeKind::kShim;
  e.shim = shim;
  const std::string shim_binary = containerd::ShimBinaryName(shim);
  const std::string ctr = process::FindOnPath("ctr");
  const bool kata = shim == "io.containerd.kata.v2";
  e.spec.name = name;
  e.spec.binary = process::FindOnPath(shim_binary);
  if (ctr.empty() || process::FindOnPath("containerd").empty()) {
    e.unusable = name + ": ctr or containerd not found (install Debian's containerd)";
  } else if (e.spec.binary.empty()) {
    e.unusable = name + ": " + shim_binary + " not found on PATH (" +
                 (kata ? "install Kata Containers 2.x" : "install the shim") + ")";
  } else if (const std::string why = containerd::CheckCtrRunFlags(ctr); !why.empty()) {
    e.unusable = name + ": " + why;
  } else if (kata && ::access("/dev/kvm", R_OK | W_OK) != 0) {
    e.unusable = name +
                 ": /dev/kvm is missing or not accessible (Kata runs each container in a "
                 "virtual machine; enable (nested) virtualisation)";
  } else {
    const auto v = process::RunCommand({process::FindOnPath("containerd"), "--version"},
                                       process::WithTimeout(std::chrono::seconds(10)));
    // "containerd github.com/containerd/containerd 1.6.20~ds1 …" → "containerd 1.6.20~ds1"
    std::istringstream words(v.out);
    std::string name, repo, version;
    if (v.ok() && words >> name >> repo >> version) e.version = name + " " + version;
    e.info.binary = e.spec.binary;
    if (kata)
      e.info.notes.push_back(
          "Kata is driven exactly like containerd-runc but was never run by ocibench's authors "
          "(no working nested virtualisation on their machine); check its results");
  }
  return e;
}

// An OCI runtime run by podman (`podman run --runtime <binary>`): the OCI entry's binary and
// global arguments (as --runtime-flag), podman's private store per cell (harness/engine).
RuntimeEntry EngineEntry(const std::string& name, const RuntimeEntry& oci) {
  RuntimeEntry e;
  e.name = name;
  e.kind = RuntimeKind::kEngine;
  e.engine = "podman";
  e.over = oci.name;
  e.spec = oci.spec;
  e.spec.name = name;
  e.info = oci.info;
  e.info.notes.clear();
  e.by_default = false;
  if (const std::string why = engine::PodmanUnusable(); !why.empty()) {
    e.unusable = name + ": " + why;
  } else if (oci.kind != RuntimeKind::kOci) {
    e.unusable = name + ": runtime '" + oci.name + "' is not an OCI command-line runtime";
  } else if (!oci.unusable.empty()) {
    e.unusable = name + ": " + oci.unusable;
  } else if (oci.info.cgroup2_namespace) {
    // Found on this host (podman 4.3.1, crun 1.8.1): `podman run --runtime crun` fails with
    // "crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2", also with
    // --cgroups=disabled and --runtime-flag=cgroup-manager=disabled. The direct path runs crun
    // in a private mount namespace with cgroup2 on /sys/fs/cgroup; podman starts the runtime
    // through conmon and has no hook to give it that namespace.
    e.unusable = name + ": " + oci.info.kind +
                 " refuses this cgroup v1/hybrid host under podman (\"cgroups in hybrid mode not "
                 "supported\"); podman cannot give it the private cgroup2 mount the direct " +
                 oci.name + " runs in (needs a cgroup v2 host)";
  }
  // "podman 4.3.1 / runc 1.1.5+ds1" (the runtime's "<name> version " dropped).
  std::string runtime_version = oci.version;
  if (const auto p = runtime_version.find(" version "); p != std::string::npos)
    runtime_version.erase(p, 8);
  e.version = engine::PodmanVersion() + (runtime_version.empty() ? "" : " / " + runtime_version);
  if (oci.info.kind == "runsc")
    e.info.notes.push_back(
        "runsc gets --runtime-flag=network=none (no network) or network=host (host network, CNI "
        "namespace): its default sandbox network refuses a namespace that looks like the root "
        "one, podman's \"exit status 128\" at start");
  if (e.unusable.empty())
    e.info.notes.push_back("opt-in: name it with --runtimes (report: \"engine overhead\" against " +
                           oci.name + ")");
  return e;
}

}  // namespace

std::vector<RuntimeEntry> DiscoverRuntimes(const RunConfig& config) {
  std::vector<RuntimeEntry> out;
  RuntimeEntry native;
  native.name = "native";
  native.kind = RuntimeKind::kNative;
  native.version = "";
  out.push_back(native);
  for (const char* n : {"runc", "crun", "youki"}) out.push_back(OciEntry(n, oci::FindRuntime(n)));
  // runsc: the best platform it has (systrap, else ptrace), plus kvm (opt-in: needs working KVM).
  oci::RuntimeSpec runsc = oci::FindRuntime("runsc");
  const std::string platform = oci::Probe(runsc).platform;
  out.push_back(OciEntry("runsc-" + (platform.empty() ? "ptrace" : platform), runsc));
  RuntimeEntry kvm = OciEntry("runsc-kvm", oci::FindRuntime("runsc", "kvm"));
  kvm.by_default = false;
  if (kvm.unusable.empty() && !kvm.spec.binary.empty())
    kvm.info.notes.push_back(
        "opt-in only: in a VM without nested KVM support runsc's kvm platform can hang in create "
        "(it then times out after 60 s); name it with --runtimes to try");
  out.push_back(kvm);
  out.push_back(ShimEntry("containerd-runc", "io.containerd.runc.v2"));
  out.push_back(ShimEntry("kata", "io.containerd.kata.v2"));
  // podman over every OCI runtime found by default (not youki, not runsc-kvm: opt-in already).
  for (std::size_t i = 0, n = out.size(); i < n; ++i)
    if (out[i].kind == RuntimeKind::kOci && out[i].by_default && out[i].name != "youki")
      out.push_back(EngineEntry("podman-" + out[i].name, out[i]));
  for (const auto& [name, def] : config.runtime_defs) {
    if (!def.engine.empty()) continue;  // after the OCI entries they may name
    out.erase(std::remove_if(out.begin(), out.end(), [&](const auto& e) { return e.name == name; }),
              out.end());
    if (!def.shim.empty()) {
      out.push_back(ShimEntry(name, def.shim));
      continue;
    }
    oci::RuntimeSpec spec;
    spec.binary = def.binary;
    spec.global_args = def.args;
    RuntimeEntry e = OciEntry(name, spec);
    e.seccomp = def.seccomp;
    // A configured runtime whose --version fails is still run (and recorded as failed); only
    // a missing binary makes it unusable.
    if (!e.info.binary.empty()) e.unusable.clear();
    out.push_back(e);
  }
  for (const auto& [name, def] : config.runtime_defs) {
    if (def.engine.empty()) continue;
    out.erase(std::remove_if(out.begin(), out.end(), [&](const auto& e) { return e.name == name; }),
              out.end());
    const auto oci =
        std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.name == def.runtime; });
    RuntimeEntry missing;
    missing.name = def.runtime;
    missing.kind = RuntimeKind::kNative;  // "not an OCI runtime" below
    RuntimeEntry e = EngineEntry(name, oci == out.end() ? missing : *oci);
    if (oci == out.end())
      e.unusable = name + ": runtime '" + def.runtime +
                   "' is not a known OCI runtime (runc, crun, runsc-ptrace, or a [runtime.X] "
                   "with binary =)";
    e.by_default = true;  // named in the config: run like any configured runtime
    out.push_back(e);
  }
  return out;
}

std::vector<RuntimeEntry> SelectRuntimes(const RunConfig& config) {
  const auto all = DiscoverRuntimes(config);
  std::vector<RuntimeEntry> out;
  if (config.runtimes.empty()) {
    for (const auto& e : all)
      if (e.unusable.empty() && e.by_default) out.push_back(e);
    return out;
  }
  for (const auto& name : config.runtimes) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& e : all) known += (known.empty() ? "" : ", ") + e.name;
      throw ConfigError("unknown runtime '" + name + "' (known: " + known +
                        "; or define it in the config's [runtime." + name + "] with a binary)");
    }
    if (!it->unusable.empty()) throw ConfigError("runtime " + it->unusable);
    if (std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.name == name; }))
      throw ConfigError("runtime '" + name + "' is named twice");
    out.push_back(*it);
  }
  return out;
}

nlohmann::json ToJson(const RuntimeEntry& e) {
  nlohmann::json j = {{"name", e.name}, {"kind", ToString(e.kind)}};
  if (e.kind == RuntimeKind::kOci) {
    j["path"] = e.info.binary.string();
    j["args"] = e.spec.global_args;
    j["global_args"] = e.info.global_args;
    if (!e.info.platform.empty()) j["platform"] = e.info.platform;
    j["notes"] = e.info.notes;
    // The profile file actually read ("default" is Docker's when installed), or why none.
    j["seccomp"] = {{"choice", e.seccomp}};
    try {
      const oci::SeccompChoice c = oci::ResolveSeccomp(e.seccomp);
      j["seccomp"]["profile"] = c.unconfined() ? nlohmann::json() : nlohmann::json(c.profile);
    } catch (const oci::BundleError& err) {
      j["seccomp"]["error"] = err.what();
    }
  }
  if (e.kind == RuntimeKind::kShim) {
    j["shim"] = e.shim;
    j["path"] = e.spec.binary.string();
    j["notes"] = e.info.notes;
  }
  if (e.kind == RuntimeKind::kEngine) {
    j["engine"] = e.engine;
    j["runtime"] = e.over;
    j["path"] = e.spec.binary.string();
    j["args"] = e.spec.global_args;
    j["notes"] = e.info.notes;
  }
  if (e.kind != RuntimeKind::kNative) j["version"] = e.version;
  if (!e.unusable.empty()) j["unusable"] = e.unusable;
  return j;
}

}  // namespace ocibench::run
