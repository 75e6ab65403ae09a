// RunPlacement: server side, client side, network and main workload from kPlacementTerms.
#include "harness/run/placement_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <thread>

namespace ocibench::run {
namespace {

std::string Where(const RunningServer& server, const Launcher& side, const CellRun& cell,
                  const NetworkChoice& network) {
  const auto& d = server.description();
  if (side.kind() == RuntimeKind::kNative)
    return fmt::format("server: {} native at {}\n", d.what, d.address());
  return fmt::format("server: {} in a {} container at {} ({})\n", d.what, cell.rt.name, d.address(),
                     network.kind == NetworkChoice::Kind::kNetns ? "CNI bridge" : "host network");
}

}  // namespace

std::string AwaitServer(const CellRun& cell, RunningServer& server, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!server.Ready()) {
    if (cell.stopping()) return "stopped while waiting for the " + server.description().what;
    if (std::string why = server.Gone(); !why.empty()) return why;
    if (std::chrono::steady_clock::now() > deadline) return server.description().NotReady(seconds);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

void RunPlacement(CellRun& cell, Launcher& runtime, Launcher& native) {
  auto interrupt = [&runtime] { runtime.Interrupt(); };
  if (cell.group.server == Server::kNone || cell.warmup) {
    cell.StartSampler({}, interrupt);
    runtime.RunBench(cell, {cell.id, cell.cgroup, {}, true}, "");
    return;
  }
  const PlacementTerm& p = TermOf(cell.placement);
  Launcher& server_side = p.server == Side::kRuntime ? runtime : native;
  Launcher& client_side = p.client == Side::kRuntime ? runtime : native;
  // The main workload: the client when it runs in the runtime (or all is native), else the
  // server; it gets the cell's cgroup, the other one a -server or -client cgroup.
  const bool client_main = p.client == Side::kRuntime || p.server == Side::kNative;
  Launch server_launch{
      cell.id + "-server", cell.cgroup + (client_main ? "-server" : ""), {}, !client_main};
  Launch client_launch{
      cell.id + "-client", cell.cgroup + (client_main ? "" : "-client"), {}, client_main};
  if (p.network == Network::kBridge) {
    try {
      std::tie(server_launch.network, client_launch.network) = cell.bridge_namespaces();
    } catch (const std::exception& e) {
      cell.recorder.Fail(cell.rt.name + ": " + e.what());
      return;
    }
  } else if (p.network == Network::kHost) {
    server_launch.network.kind = client_launch.network.kind = NetworkChoice::Kind::kHost;
  }

  ServerDescription description;
  description.server = cell.group.server;
  if (p.server == Side::kRuntime)
    description = DescribeServerContainer(cell.group.server, server_launch.network, cell.work,
                                          cell.ctx.config.preset);
  if (description.server == Server::kRedis) {
    try {
      GiveRedisAPassword(description, cell.work, p.server == Side::kRuntime, cell.ctx.bench_user);
      cell.redis_password = true;
    } catch (const std::exception& e) {
      cell.recorder.Fail(cell.rt.name + ": " + e.what());
      return;
    }
  }
  std::unique_ptr<RunningServer> server;
  // A native server starts before the sampler, which excludes it from the first sample on.
  if (p.server == Side::kNative) {
    server = native.StartServer(cell, server_launch, description);
    if (!server) return;
  }
  cell.StartSampler(server ? server->HostPids() : std::vector<pid_t>{}, interrupt);
  if (!server) {
    server = runtime.StartServer(cell, server_launch, description);
    if (!server) return;
  }
  cell.recorder.Log(Where(*server, server_side, cell, server_launch.network));
  // The readiness wait has its own budget, within what is left of the cell's timeout.
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(cell.Remaining()).count();
  const int seconds = static_cast<int>(
      std::max<std::int64_t>(1, std::min<std::int64_t>(server_side.ServerStartSeconds(), left)));
  if (const std::string why = AwaitServer(cell, *server, seconds); !why.empty()) {
    const bool cell_timeout = std::chrono::steady_clock::now() >= cell.deadline;
    cell.recorder.Fail(cell_timeout ? CellStatus::kTimeout : CellStatus::kFailed,
                       cell.rt.name + ": " + why);
    server->Stop();
    return;
  }
  client_side.RunBench(cell, client_launch, server->description().address());
  server->Stop();
  if (server_launch.main) cell.recorder.SetLifecycle(server->lifecycle());
}

}  // namespace ocibench::run
