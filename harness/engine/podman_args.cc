// RunArgs and HostUlimits: the podman run command line of a cell's container.
#include "harness/engine/podman_args.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>

namespace ocibench::engine {
namespace {

std::uint64_t HardLimit(int resource, std::uint64_t cap) {
  struct rlimit r {};
  if (::getrlimit(resource, &r) != 0 || r.rlim_max == RLIM_INFINITY) return cap;
  return std::min<std::uint64_t>(r.rlim_max, cap);
}

}  // namespace

std::vector<std::string> HostUlimits() {
  const std::uint64_t nofile = HardLimit(RLIMIT_NOFILE, 1048576);
  const std::uint64_t nproc = HardLimit(RLIMIT_NPROC, 32768);
  return {fmt::format("nofile={0}:{0}", nofile), fmt::format("nproc={0}:{0}", nproc)};
}

std::string RunscNetwork(const PodmanNetwork& network) {
  return network.kind == PodmanNetwork::Kind::kNone ? "none" : "host";
}

std::vector<std::string> RunArgs(const PodmanRunSpec& s) {
  std::vector<std::string> a = {"run", "--rm", "--name", s.name, "--runtime", s.runtime};
  a.push_back("--cgroup-parent=" + s.cgroup_parent);
  if (s.cpus > 0) a.push_back(fmt::format("--cpus={}", s.cpus));
  if (s.memory_bytes > 0) {
    a.push_back(fmt::format("--memory={}b", s.memory_bytes));
    a.push_back(fmt::format("--memory-swap={}b", s.memory_bytes));
  }
  for (const auto& u : HostUlimits()) a.push_back("--ulimit=" + u);
  switch (s.network.kind) {
    case PodmanNetwork::Kind::kNone:
      a.push_back("--network=none");
      break;
    case PodmanNetwork::Kind::kHost:
      a.push_back("--network=host");
      break;
    case PodmanNetwork::Kind::kNetns:
      a.push_back("--network=ns:" + s.network.netns_path);
      break;
  }
  for (const auto& e : s.env) a.push_back("--env=" + e);
  for (const auto& v : s.volumes) a.push_back("--volume=" + v);
  for (const auto& t : s.tmpfs) a.push_back("--tmpfs=" + t);
  if (s.read_only) a.push_back("--read-only");
  if (!s.conmon_pidfile.empty()) a.push_back("--conmon-pidfile=" + s.conmon_pidfile);
  if (!s.cidfile.empty()) a.push_back("--cidfile=" + s.cidfile);
  if (!s.entrypoint.empty()) a.push_back("--entrypoint=" + s.entrypoint);
  a.push_back(s.image);
  a.insert(a.end(), s.args.begin(), s.args.end());
  return a;
}

}  // namespace ocibench::engine
