// Internal to harness/startup: one StartupTarget per runtime kind (target.cc dispatches).
#pragma once

#include "harness/startup/target.h"

namespace ocibench::startup {

std::unique_ptr<StartupTarget> MakeNativeTarget(Workload workload, const TargetContext& ctx);
std::unique_ptr<StartupTarget> MakeOciTarget(const run::RuntimeEntry& entry, Workload workload,
                                             Variant variant, const TargetContext& ctx, int slot);
std::unique_ptr<StartupTarget> MakeShimTarget(const run::RuntimeEntry& entry, Workload workload,
                                              const TargetContext& ctx, int slot);

// Milliseconds since t.
inline double MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// How long a redis server may take to answer its first PING.
inline constexpr std::chrono::seconds kReadyTimeout{30};

}  // namespace ocibench::startup
