// Which runtimes this host has (`ocibench runtimes`, and the default matrix of `ocibench run`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/oci/runtime.h"
#include "harness/run/config.h"

namespace ocibench::run {

struct RuntimeEntry {
  std::string name;
  RuntimeKind kind = RuntimeKind::kNative;
  oci::RuntimeSpec spec;  // kind oci
  oci::RuntimeInfo info;  // kind oci (version, platform, notes)
  std::string shim;       // kind shim: io.containerd.runc.v2, io.containerd.kata.v2
  std::string engine;     // kind engine: "podman"
  std::string over;       // kind engine: the OCI runtime entry it runs (runc, runsc-ptrace)
  std::string version;
  std::string unusable;             // "" = usable; else why not (one line)
  bool by_default = true;           // false: listed, but only run when named (e.g. runsc-kvm)
  std::string seccomp = "default";  // kind oci: the bundle's profile (RuntimeDef::seccomp)
};

// Every known runtime (found or not) plus the config's [runtime.NAME] entries.
std::vector<RuntimeEntry> DiscoverRuntimes(const RunConfig& config);

// The runtimes `config.runtimes` names (or every usable by-default one). Throws ConfigError
// for a name that is not known or whose binary does not exist.
std::vector<RuntimeEntry> SelectRuntimes(const RunConfig& config);

nlohmann::json ToJson(const RuntimeEntry& e);

}  // namespace ocibench::run
