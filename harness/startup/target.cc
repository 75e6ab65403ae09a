// The words of target.h, the readiness checks shared by the kinds, and MakeTarget.
#include "harness/startup/target.h"

#include <thread>

#include "harness/servers/redis_server.h"
#include "harness/startup/kinds.h"

namespace ocibench::startup {

std::string ToString(Workload w) { return w == Workload::kRedis ? "redis" : "bench"; }

namespace {
constexpr std::pair<Variant, const char*> kVariants[] = {
    {Variant::kDefault, "default"},          {Variant::kNoSeccomp, "no-seccomp"},
    {Variant::kNoCgroup, "no-cgroup"},       {Variant::kHostNetwork, "host-network"},
    {Variant::kFreshRootfs, "fresh-rootfs"}, {Variant::kGivenBundle, "bundle"},
};
}  // namespace

std::string ToString(Variant v) {
  for (const auto& [k, name] : kVariants)
    if (k == v) return name;
  return "?";
}

std::optional<Variant> ParseVariant(const std::string& text) {
  for (const auto& [k, name] : kVariants)
    if (text == name && k != Variant::kGivenBundle) return k;
  return std::nullopt;
}

double WaitForPong(int port, std::chrono::steady_clock::time_point t0,
                   std::chrono::milliseconds timeout, const std::function<bool()>& gone) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && !(gone && gone())) {
    if (servers::RedisAnswersPing("127.0.0.1", port))
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
          .count();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return -1;
}

double StampMs(const std::string& output, std::int64_t t0_realtime_ns) {
  const auto stamp = ParseStamp(output);
  if (!stamp) return -1;
  return static_cast<double>(*stamp - t0_realtime_ns) / 1e6;
}

std::unique_ptr<StartupTarget> MakeTarget(const run::RuntimeEntry& entry, Workload workload,
                                          Variant variant, const TargetContext& ctx, int slot) {
  switch (entry.kind) {
    case RuntimeKind::kNative:
      if (variant != Variant::kDefault)
        throw std::runtime_error("native: variant " + ToString(variant) +
                                 " needs a bundle; native runs only the default");
      return MakeNativeTarget(workload, ctx);
    case RuntimeKind::kOci:
      return MakeOciTarget(entry, workload, variant, ctx, slot);
    case RuntimeKind::kShim:
      if (variant != Variant::kDefault)
        throw std::runtime_error(entry.name + ": variant " + ToString(variant) +
                                 " needs an OCI bundle; a containerd shim runs only the default");
      if (!ctx.containerd)
        throw std::runtime_error(entry.name + ": no private containerd (" + ctx.containerd_error +
                                 ")");
      return MakeShimTarget(entry, workload, ctx, slot);
    case RuntimeKind::kEngine:
      // Not built yet: an engine's start-up (podman run, conmon) is measured by `ocibench run`'s
      // lifecycle rows only (docs/engine.md).
      throw std::runtime_error(entry.name +
                               ": startup and density do not drive an engine (podman) yet; name "
                               "the runtime itself (e.g. runc)");
  }
  throw std::runtime_error(entry.name + ": unknown runtime kind");
}

}  // namespace ocibench::startup
