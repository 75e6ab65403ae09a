// RunCell: the cell's names and paths, its launcher, the placement, then its files: benchmark
// JSON checked and moved into place, memory and lifecycle rows, log lines.
#include "harness/run/cell.h"

#include <fmt/format.h>

#include <sstream>

#include "harness/benchjson/benchjson.h"
#include "harness/containerd/private_containerd.h"
#include "harness/net/cni.h"
#include "harness/process/command.h"
#include "harness/process/exit_description.h"
#include "harness/run/engine_launcher.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/native_launcher.h"
#include "harness/run/oci_launcher.h"
#include "harness/run/placement_run.h"
#include "harness/run/shim_launcher.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// A Google Benchmark JSON larger than this is not a benchmark's output (the full preset's largest
// is well under 1 MiB).
constexpr std::uintmax_t kMaxBenchJsonBytes = std::uintmax_t{64} << 20;

// The server's and the client's network namespaces on the CNI bridge, named after the run and
// the cell. Throws net::CniError.
std::pair<NetworkChoice, NetworkChoice> MakeBridgeNamespaces(CellRun& cell) {
  const std::string tag = cell.ctx.run_id.substr(0, 16) + "-" + std::to_string(cell.spec.index);
  auto choice = [&](const std::string& suffix) {
    cell.netns.push_back(std::make_unique<net::CniNetns>(tag + suffix));
    return NetworkChoice{NetworkChoice::Kind::kNetns, cell.netns.back()->path(),
                         cell.netns.back()->ip()};
  };
  NetworkChoice server = choice("-s");
  return {server, choice("-c")};
}

}  // namespace

CellRun::CellRun(const RunContext& c, const CellSpec& s, const RuntimeEntry& r, const GroupDef& g,
                 bool w)
    : ctx(c), spec(s), rt(r), group(g), warmup(w), recorder(*c.stop) {
  tag = warmup ? "warmup-" + rt.name : "cell-" + std::to_string(spec.index);
  work = ctx.results->dir() / ".work" / tag;
  cgroup = fmt::format("{}/{}/{}", kCgroupRoot, ctx.run_id, tag);
  id = fmt::format("ocibench-{}-{}", ctx.run_id, tag);
  prefix = fmt::format("{},{},{},", rt.name, group.name, spec.repetition);
  if (group.server != Server::kNone && !warmup)
    placement = rt.kind == RuntimeKind::kNative ? Placement::kNative : ctx.config.placement;
  bridge_namespaces = [this] { return MakeBridgeNamespaces(*this); };
  deadline = std::chrono::steady_clock::now() + Timeout();
}

CellRun::~CellRun() = default;

std::chrono::milliseconds CellRun::Timeout() const {
  return std::chrono::seconds(warmup ? 120 : ctx.config.timeout_s);
}

std::chrono::milliseconds CellRun::Remaining() const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

std::string CellRun::TimedOut(const std::string& who) const {
  process::ProcessEnd end;
  end.timed_out_after_s = static_cast<int>(Timeout().count() / 1000);
  return process::DescribeEnd(who, end);
}

void CellRun::StartSampler(std::vector<pid_t> not_runtime, std::function<void()> interrupt) {
  // ocibench's own long-lived children are not the runtime's: the private containerd (its
  // shims are counted for shim runtimes only) and a native server.
  if (ctx.containerd) not_runtime.push_back(ctx.containerd->pid());
  auto tick = [this, interrupt] {
    if (stopping()) interrupt();
  };
  sampler =
      std::make_unique<MemorySampler>(prefix, rt.kind != RuntimeKind::kNative, tick, not_runtime);
}

std::vector<std::string> CellRun::BenchArgs(const std::string& out_json,
                                            const std::string& server) const {
  if (warmup) return {"--benchmark_list_tests"};
  std::vector<std::string> a = {"--benchmark_filter=" + group.filter, "--benchmark_out=" + out_json,
                                "--benchmark_out_format=json", "--benchmark_format=console"};
  const std::string placement_name = group.server == Server::kNone ? "" : ToString(placement);
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"ocibench_runtime", rt.name},
           {"ocibench_group", group.name},
           {"ocibench_repetition", std::to_string(spec.repetition)},
           {"ocibench_placement", placement_name},
           {"ocibench_scratch", scratch.value("kind", "")},
           {"ocibench_scratch_fstype", scratch.value("fstype", "")}})
    a.push_back("--benchmark_context=" + k + "=" + v);
  a.insert(a.end(), group.args.begin(), group.args.end());
  if (!server.empty()) a.push_back("--" + ToString(group.server) + "_server=" + server);
  if (redis_password)
    a.push_back("--redis_password_file=" +
                (std::filesystem::path(out_json).parent_path() / kRedisPasswordFile).string());
  return a;
}

std::unique_ptr<Launcher> MakeLauncher(const RunContext& ctx, const RuntimeEntry& rt) {
  switch (rt.kind) {
    case RuntimeKind::kNative:
      return std::make_unique<NativeLauncher>();
    case RuntimeKind::kOci:
      return std::make_unique<OciLauncher>();
    case RuntimeKind::kShim:
      return std::make_unique<ShimLauncher>(ctx.containerd, ctx.containerd_error);
    case RuntimeKind::kEngine:
      return std::make_unique<EngineLauncher>();
  }
  return nullptr;
}

std::vector<std::string> ListBenchmarks(const fs::path& bench, const GroupDef& group) {
  std::vector<std::string> argv = {bench.string(), "--benchmark_list_tests",
                                   "--benchmark_filter=" + group.filter};
  argv.insert(argv.end(), group.args.begin(), group.args.end());
  const auto r = process::RunCommand(argv, process::WithTimeout(std::chrono::seconds(30)));
  std::vector<std::string> out;
  if (!r.ok()) return out;
  std::istringstream s(r.out);
  std::string line;
  while (std::getline(s, line))
    if (!line.empty() && !line.starts_with("Failed to match")) out.push_back(line);
  return out;
}

CellOutcome RunCell(const RunContext& ctx, const CellSpec& spec, const RuntimeEntry& rt,
                    const GroupDef& group, bool warmup) {
  CellRun cell(ctx, spec, rt, group, warmup);
  const auto t0 = std::chrono::steady_clock::now();
  fs::remove_all(cell.work);
  CellOutcome out;
  try {
    fs::create_directories(cell.work);
    // .work holds every cell's files, some given to the container user: root's alone.
    fs::permissions(cell.work.parent_path(), fs::perms::owner_all);
    if (rt.kind != RuntimeKind::kNative) {
      oci::GiveToContainerUser(cell.work, ctx.bench_user);
      if (ctx.config.scratch == ScratchKind::kBind) {
        fs::create_directories(cell.work / "scratch");
        oci::GiveToContainerUser(cell.work / "scratch", ctx.bench_user);
      }
    }
    std::unique_ptr<Launcher> launcher = MakeLauncher(ctx, rt);
    NativeLauncher native;
    cell.scratch = {
        {"kind", rt.kind == RuntimeKind::kNative ? "rootfs" : ToString(ctx.config.scratch)},
        {"fstype", launcher->ScratchFsType(cell)}};
    RunPlacement(cell, *launcher, native);
    if (cell.sampler) cell.recorder.SetMemory(cell.sampler->Stop());
  } catch (const std::exception& e) {
    cell.recorder.Fail(e.what());
  }
  if (cell.sampler) cell.sampler->Stop();
  cell.netns.clear();
  CellRecorder& rec = cell.recorder;
  out.scratch = cell.scratch;
  if (group.server != Server::kNone && !warmup) out.placement = cell.placement;
  if (!warmup && rec.status() != CellStatus::kPending) {
    // What the workload left in /results is untrusted: copied when it is a plain file, and only
    // then read.
    const std::string file =
        fmt::format("bench/{}/{}/rep-{}.json", rt.name, group.name, spec.repetition);
    std::string check =
        TakeUntrustedFile(cell.work / "out.json", ctx.results->dir() / file, kMaxBenchJsonBytes);
    if (check.empty()) {
      out.file = file;
      check = benchjson::CheckFile(ctx.results->dir() / file);
    } else if (check.ends_with(" was not written")) {
      check = "no benchmark output (" + check + ")";
    }
    if (!check.empty()) rec.Fail(rt.name + " " + group.name + ": " + check);
    if (!rec.memory().empty()) ctx.results->AppendMemory(rec.memory());
    // A failed cell's partial timings (zeros where a step never ran) would skew the medians.
    if (const std::string row = rec.LifecycleRow(cell.prefix);
        !row.empty() && rec.status() == CellStatus::kOk)
      ctx.results->AppendLifecycle(row);
  }
  out.status = rec.status();
  out.error = rec.error();
  out.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string log;
  const std::string head =
      fmt::format("[{} {} {} rep {}] ", cell.tag, rt.name, group.name, spec.repetition);
  std::istringstream lines(rec.log());
  for (std::string l; std::getline(lines, l);)
    if (!l.empty()) log += head + l + "\n";
  log += head + (out.status == CellStatus::kOk ? "ok" : ToString(out.status) + ": " + out.error) +
         fmt::format(" ({:.1f} s)", out.duration_s);
  ctx.results->Log(log);
  fs::remove_all(cell.work);
  return out;
}

}  // namespace ocibench::run
