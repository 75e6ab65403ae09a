// Internal to ocibench_footprint: one container of `ocibench portability` (portability_run.cc).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/footprint/portability.h"
#include "harness/oci/runtime.h"

namespace ocibench::footprint::internal {

struct RunRequest {
  const PortabilityOptions* options = nullptr;
  oci::RuntimeSpec runtime;
  std::string arch;
  std::string method;
  std::vector<std::string> args;  // after the entrypoint
  std::filesystem::path qemu;     // non-empty: copy it into the rootfs and run the entrypoint
                                  // through it (the runtime ignores binfmt_misc)
};

// One container: bundle, oci::Run (create/start/wait/delete), results parsed; never throws for a
// runtime failure (it lands in the Attempt), and leaves no bundle or container behind.
Attempt RunOne(const RunRequest& req);

// "exec format error" anywhere in `text`, any case.
bool IsExecFormat(const std::string& text);

}  // namespace ocibench::footprint::internal
