// RunCell: native (a LimitCgroup) or an OCI runtime (a bundle from the image), with the group's
// server (Redis, nginx) and client placed per the placement, memory sampled, lifecycle timed,
// files written atomically.
#include "harness/run/cell.h"

#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "harness/containerd/private_containerd.h"
#include "harness/net/cni.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/process/timed_run.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/memory_sampler.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::string FsType(const fs::path& p) {
  struct statfs s {};
  if (::statfs(p.c_str(), &s) != 0) return "";
  switch (static_cast<unsigned long>(s.f_type)) {
    case EXT4_SUPER_MAGIC:
      return "ext4";
    case TMPFS_MAGIC:
      return "tmpfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlay";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    default:
      return fmt::format("0x{:x}", static_cast<unsigned long>(s.f_type));
  }
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ctr's own error ("ctr: failed to start shim: …", possibly over several lines) as one line;
// else `fallback` (the workload's exit, from process::RunTimed).
std::string CtrError(const std::string& output, const std::string& fallback) {
  std::size_t at = output.rfind("\nctr: ");
  if (at != std::string::npos)
    ++at;
  else if (output.rfind("ctr: ", 0) == 0)
    at = 0;
  else
    return fallback;
  std::string e = output.substr(at);
  std::replace(e.begin(), e.end(), '\n', ' ');
  while (!e.empty() && e.back() == ' ') e.pop_back();
  return e;
}

// `ctr run --mount` values.
std::string CtrBind(const fs::path& src, const std::string& dst, bool readonly) {
  return "type=bind,src=" + src.string() + ",dst=" + dst +
         ",options=rbind:" + (readonly ? "ro" : "rw");
}
std::string CtrTmpfs(const std::string& dst, const std::string& size = "") {
  return "type=tmpfs,src=tmpfs,dst=" + dst + ",options=rw:nosuid:nodev" +
         (size.empty() ? "" : ":size=" + size);
}

std::string Ms(double v) { return v < 0 ? "" : fmt::format("{:.3f}", v); }

struct Cell {
  const RunContext& ctx;
  const CellSpec& spec;
  const RuntimeEntry& rt;
  const GroupDef& group;
  bool warmup;
  fs::path work;       // per-cell scratch space inside the results dir (removed at the end)
  std::string cgroup;  // cgroupsPath of the workload
  std::string id;      // container id
  std::string prefix;  // "runtime,group,rep,"
  CellOutcome out;
  std::string lifecycle;  // the lifecycle.csv row, "" = none
  std::string memory;
  std::string log;

  std::chrono::milliseconds Timeout() const {
    return std::chrono::seconds(warmup ? 120 : ctx.config.timeout_s);
  }

  std::vector<std::string> BenchArgs(const std::string& out_json, const std::string& server) {
    if (warmup) return {"--benchmark_list_tests"};
    std::vector<std::string> a = {"--benchmark_filter=" + group.filter,
                                  "--benchmark_out=" + out_json, "--benchmark_out_format=json",
                                  "--benchmark_format=console"};
    const std::string fstype = out.scratch.value("fstype", "");
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"ocibench_runtime", rt.name},
             {"ocibench_group", group.name},
             {"ocibench_repetition", std::to_string(spec.repetition)},
             {"ocibench_placement", out.placement},
             {"ocibench_scratch", out.scratch.value("kind", "")},
             {"ocibench_scratch_fstype", fstype}})
      a.push_back("--benchmark_context=" + k + "=" + v);
    a.insert(a.end(), group.args.begin(), group.args.end());
    if (!server.empty()) a.push_back("--" + group.server + "_server=" + server);
    return a;
  }

  oci::BundleSpec Bundle(const std::string& image, std::vector<std::string> args) {
    oci::BundleSpec b;
    b.image_layout = ctx.images;
    b.image_ref = image;
    b.args = std::move(args);
    b.cpus = ctx.config.cpus;
    b.memory_bytes = ctx.config.memory_bytes;
    b.cgroups_path = cgroup;
    b.scratch.kind = *Parse<ScratchKind>(ctx.config.scratch);
    if (b.scratch.kind == oci::ScratchKind::kBind) {
      fs::create_directories(work / "scratch");
      b.scratch.host_dir = work / "scratch";
    }
    return b;
  }

  void Fail(const std::string& status, const std::string& error) {
    if (out.status.empty() || out.status == "ok") {
      out.status = status;
      out.error = error;
    }
  }

  // Native: the bench (or the Redis client) in a LimitCgroup.
  process::TimedRunResult RunNativeBench(MemorySampler& sampler, const std::string& server,
                                         const std::string& cg_path) {
    LimitCgroup cg(cg_path, ctx.config.cpus, ctx.config.memory_bytes);
    if (rt.kind == "native") sampler.SetCgroupFile(cg.memory_usage_file());
    fs::create_directories(work / "scratch");
    std::vector<std::string> argv = {ctx.bench.string()};
    for (auto& a : BenchArgs((work / "out.json").string(), server)) argv.push_back(a);
    const std::vector<std::string> env = {"OCIBENCH_SCRATCH=" + (work / "scratch").string(),
                                          "OCIBENCH_SCRATCH_KIND=rootfs"};
    return process::RunTimed(argv, cg.procs_files(), env, Timeout(), *ctx.stop,
                             [&](pid_t pid) { sampler.ExcludeTree(pid); });
  }

  void RecordNative(const process::TimedRunResult& r) {
    log += r.output;
    if (r.stopped)
      out.status = "pending";
    else if (r.timed_out)
      Fail("timeout", r.error);
    else if (!r.error.empty())
      Fail("failed", r.error);
    if (rt.kind == "native")
      lifecycle = fmt::format("{},,{},{},\n", prefix, Ms(r.first_output_ms), Ms(r.total_ms));
  }

  // The files the http group's nginx serves: the 256 MB file only where a benchmark may
  // download it (writing it costs seconds).
  std::vector<std::pair<std::string, std::uint64_t>> HttpFiles() const {
    auto files = servers::StandardHttpFiles();
    if (ctx.config.preset != "full")
      std::erase_if(files, [](const auto& f) { return f.second > (64u << 20); });
    return files;
  }

  // The group's server (redis or nginx image) as a container listening on ip:port: on the host
  // network 127.0.0.1 and a free port, in a CNI namespace its address and the usual port.
  struct ServerContainer {
    std::string image;  // tag in the image layout
    std::string what;   // for messages
    std::string ip;
    int port = 0;
    std::vector<std::string> entrypoint;  // the image's (ctr run takes a whole argv)
    std::vector<std::string> args;        // after the entrypoint
    std::vector<oci::BindMount> binds;    // read-only
    std::string probe;                    // nginx: the file fetched to see it is ready
    std::string address() const { return ip + ":" + std::to_string(port); }
    bool Ready() const {
      return probe.empty() ? servers::RedisAnswersPing(ip, port)
                           : servers::HttpServes(ip, port, probe);
    }
    std::string NotReady(int seconds) const {
      return fmt::format("the {} container did not {} on {} within {} s", what,
                         probe.empty() ? "answer PING" : "serve /" + probe, address(), seconds);
    }
  };

  // Also says in the cell's log where the server runs.
  ServerContainer MakeServer(bool host_network, const std::string& netns_ip) {
    ServerContainer s = MakeServerImage(host_network, netns_ip);
    log += fmt::format("server: {} in a {} container at {} ({})\n", s.what, rt.name, s.address(),
                       host_network ? "host network" : "CNI bridge");
    return s;
  }

  ServerContainer MakeServerImage(bool host_network, const std::string& netns_ip) {
    ServerContainer s;
    s.ip = host_network ? "127.0.0.1" : netns_ip;
    if (group.server == "redis") {
      s.image = ServerImage(group.server);
      s.what = "Redis server";
      s.port = host_network ? process::FreeLoopbackPort() : 6379;
      s.entrypoint = {"/usr/bin/redis-server", "/etc/redis/redis.conf"};
      s.args = {"--port", std::to_string(s.port)};
      if (host_network) s.args.insert(s.args.end(), {"--bind", "127.0.0.1"});
      return s;
    }
    // nginx: its config and the files in one host directory, mounted read-only at
    // /srv/ocibench; what it writes (temp paths, pid) goes to the server's tmpfs /scratch.
    s.image = ServerImage(group.server);
    s.what = "nginx";
    s.port = host_network ? process::FreeLoopbackPort() : 80;
    const fs::path site = work / "site";
    fs::create_directories(site / "htdocs");
    const auto files = HttpFiles();
    servers::WriteHttpFiles((site / "htdocs").string(), files);
    std::ofstream(site / "nginx.conf")
        << servers::NginxConfig({host_network ? s.address() : std::to_string(s.port),
                                 "/srv/ocibench/htdocs", oci::kScratchPath});
    s.entrypoint = {"/usr/sbin/nginx"};
    s.args = {"-c", "/srv/ocibench/nginx.conf"};
    s.binds = {{site, "/srv/ocibench", true}};
    s.probe = files.front().first;
    return s;
  }

  // What a server may write (nginx's temp paths and pid), at /scratch.
  static constexpr const char* kServerTmpfs = "64m";

  // The server's bundle: read-only rootfs, a tmpfs at /scratch (nginx's temp paths), the
  // runtime's limits in the cgroup cg.
  oci::BundleSpec ServerBundle(const ServerContainer& server, const std::string& cg) {
    oci::BundleSpec b = Bundle(server.image, server.args);
    b.scratch = {oci::ScratchKind::kTmpfs, {}, kServerTmpfs};
    b.binds = server.binds;
    b.cgroups_path = cg;
    return b;
  }

  // Waits until the server answers: "" when it does, else why not (a stop request included:
  // the caller then finds ctx.stop set). `gone`: "" while the server runs, else its end.
  std::string AwaitServer(
      const ServerContainer& server, int seconds,
      const std::function<std::string()>& gone = [] { return ""; }) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!server.Ready()) {
      if (ctx.stop->load()) return "stopped while waiting for the " + server.what;
      if (std::string why = gone(); !why.empty()) return why;
      if (std::chrono::steady_clock::now() > deadline) return server.NotReady(seconds);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "";
  }

  // A container of rt running `bundle`, created and started; stop requests kill it.
  struct Running {
    std::unique_ptr<oci::Container> c;
    std::atomic<bool> started{false};
    std::mutex mu;  // guards c against the sampler thread's stop handling
  };

  // `server`: the container is that server; the client then runs natively against it.
  void RunContainerCell(MemorySampler& sampler, Running& run, const oci::BundleSpec& bspec,
                        const ServerContainer* server = nullptr) {
    const fs::path bdir =
        fs::path(kBundleRoot) / ctx.run_id / ("cell-" + std::to_string(spec.index));
    fs::create_directories(bdir.parent_path());
    oci::RemoveBundle(bdir);
    struct BundleGuard {
      fs::path d;
      ~BundleGuard() { oci::RemoveBundle(d); }
    } guard{bdir};
    oci::Bundle bundle;
    try {
      bundle = oci::MakeBundle(bspec, bdir);
    } catch (const std::exception& e) {
      Fail("failed", e.what());
      return;
    }
    oci::ContainerIo io;
    io.stdout_path = work / "stdout.txt";
    io.stderr_path = work / "stderr.txt";
    run.c = std::make_unique<oci::Container>(rt.spec, id, bdir, io);
    oci::Container& c = *run.c;
    try {
      c.Create();
      run.started = true;
      c.Start();
      sampler.SetCgroupFile(c.CgroupDir("memory") /
                            (oci::DetectCgroupMode() == oci::CgroupMode::kUnified
                                 ? "memory.current"
                                 : "memory.usage_in_bytes"));
      // runc/crun: the container's process is the workload; runsc: it is the sandbox (runtime).
      if (rt.info.kind != "runsc") sampler.ExcludeTree(c.Pid());
      if (server) {
        if (const std::string why = AwaitServer(*server, 15); !why.empty())
          throw oci::RuntimeError(rt.name + ": " + why);
        process::TimedRunResult client =
            RunNativeBench(sampler, server->address(), cgroup + "-client");
        RecordNative(client);
        c.Kill(SIGTERM);
        c.Wait(std::chrono::seconds(10));
      } else {
        const oci::ExitStatus st = c.Wait(Timeout());
        if (ctx.stop->load())
          out.status = "pending";
        else if (st.timed_out)
          Fail("timeout",
               fmt::format("{}: timed out after {} s (killed)", rt.name, ctx.config.timeout_s));
        else if (st.signal)
          Fail("failed",
               fmt::format("{}: the workload was killed by signal {}", rt.name, st.signal));
        else if (st.code != 0) {
          std::string e = c.Stderr();
          while (!e.empty() && e.back() == '\n') e.pop_back();
          Fail("failed", fmt::format("{}: exited with code {}{}", rt.name, st.code,
                                     e.empty() ? "" : ": " + e.substr(e.rfind('\n') + 1)));
        }
      }
      c.Delete();
    } catch (const oci::RuntimeError& e) {
      if (ctx.stop->load())
        out.status = "pending";
      else
        Fail("failed", e.what());
    }
    {
      std::lock_guard l(run.mu);
      run.started = false;
    }
    sampler.Stop();
    const oci::Timings& t = c.timings();
    log += c.Stderr();
    lifecycle = fmt::format("{}{},{},{},{},{}\n", prefix, Ms(t.create_ms), Ms(t.start_ms),
                            Ms(t.first_output_ms), Ms(t.total_ms), Ms(t.delete_ms));
    run.c.reset();  // deletes it if anything above failed
  }

  // --- containerd shim v2 runtimes: `ctr run --rm` against the run's private containerd. ---

  containerd::CtrRunSpec ShimSpec(const std::string& image, std::vector<std::string> args,
                                  const std::string& cg, const std::string& cid) {
    containerd::CtrRunSpec s;
    s.shim = rt.shim;
    s.image_tag = image;
    s.id = cid;
    s.args = std::move(args);
    s.cpus = ctx.config.cpus;
    s.memory_bytes = ctx.config.memory_bytes;
    s.cgroup = cg;
    return s;
  }

  // The probes' scratch: rootfs = /tmp of the image on the container's (overlayfs snapshot)
  // root filesystem; tmpfs and bind are mounted at /scratch as in the OCI bundles.
  void AddScratch(containerd::CtrRunSpec& s) {
    const std::string kind = ctx.config.scratch;
    if (kind == "rootfs") {
      s.env = {"OCIBENCH_SCRATCH=/tmp", "OCIBENCH_SCRATCH_KIND=rootfs"};
      return;
    }
    s.env = {"OCIBENCH_SCRATCH=/scratch", "OCIBENCH_SCRATCH_KIND=" + kind};
    if (kind == "tmpfs") {
      s.mounts.push_back(CtrTmpfs(oci::kScratchPath));
    } else {
      fs::create_directories(work / "scratch");
      s.mounts.push_back(CtrBind(work / "scratch", oci::kScratchPath, false));
    }
  }

  // Memory: the workload container's cgroup; runtime PSS = the shims and what they started
  // (runc's shim: minus the workloads' cgroups; any other shim, e.g. Kata's VM, is all runtime
  // as runsc's sandbox is).
  void SampleShim(MemorySampler& sampler, const std::string& cg,
                  const std::vector<std::string>& workload_cgroups) {
    sampler.SetCgroupFile(CgroupMemoryUsageFile(cg));
    containerd::PrivateContainerd* cd = ctx.containerd;
    std::vector<fs::path> exclude;
    if (rt.shim.rfind("io.containerd.runc.", 0) == 0)
      for (const auto& w : workload_cgroups) exclude.push_back(CgroupMemoryProcsFile(w));
    sampler.SetRuntimeRoots([cd] { return cd->ShimPids(); }, exclude);
  }

  // The bench image in one `ctr run --rm`. Lifecycle: ctr does create, start, wait and delete
  // in one command, so only first output and total (launch of ctr to its exit, delete
  // included) are measured; create/start/delete stay empty.
  void RunShimBench(MemorySampler& sampler, const std::string& server, const std::string& netns,
                    const std::vector<std::string>& workload_cgroups, bool host_network = false) {
    containerd::PrivateContainerd& cd = *ctx.containerd;
    std::vector<std::string> args = {"/ocibench-bench"};
    for (auto& a : BenchArgs(std::string(oci::kResultsPath) + "/out.json", server))
      args.push_back(a);
    containerd::CtrRunSpec s = ShimSpec("bench", args, cgroup, id);
    AddScratch(s);
    s.netns_path = netns;
    s.host_network = host_network;
    s.mounts.push_back(CtrBind(work, oci::kResultsPath, false));
    SampleShim(sampler, cgroup, workload_cgroups);
    const process::TimedRunResult r =
        process::RunTimed(cd.RunArgv(s), {}, {}, Timeout(), *ctx.stop);
    log += r.output;
    if (r.stopped)
      out.status = "pending";
    else if (r.timed_out)
      Fail("timeout",
           fmt::format("{}: timed out after {} s (killed)", rt.name, ctx.config.timeout_s));
    else if (!r.error.empty())
      Fail("failed", rt.name + ": " + CtrError(r.output, r.error));
    if (r.stopped || r.timed_out || r.signal) cd.RemoveContainer(id);  // ctr killed: no --rm
    lifecycle = fmt::format("{},,{},{},\n", prefix, Ms(r.first_output_ms), Ms(r.total_ms));
  }

  // A server container of the shim runtime: `ctr run --rm` kept attached in the
  // background (its output in a file); Stop() sends SIGTERM to the task and waits for ctr.
  struct ShimServer {
    containerd::PrivateContainerd& cd;
    std::string id;
    fs::path log;
    std::unique_ptr<process::ChildProcess> ctr;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    double total_ms = -1;

    ~ShimServer() { Stop(); }
    void Stop() {
      if (!ctr) return;
      bool exited = !ctr->Running();
      if (!exited) {
        process::RunCommand(cd.Ctr({"task", "kill", "--signal", "SIGTERM", id}),
                            process::WithTimeout(std::chrono::seconds(30)));
        for (int i = 0; i < 100 && !exited; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          exited = !ctr->Running();
        }
      }
      total_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      ctr->Stop(std::chrono::seconds(1));
      ctr.reset();
      if (!exited) cd.RemoveContainer(id);  // ctr was killed before its --rm cleanup
    }
  };

  // Starts the server and waits until it answers (30 s: the first start of an image also
  // unpacks its snapshot). nullptr (and the cell failed or pending) when it does not.
  std::unique_ptr<ShimServer> StartShimServer(const ServerContainer& sc, const std::string& netns,
                                              const std::string& cg) {
    containerd::PrivateContainerd& cd = *ctx.containerd;
    std::vector<std::string> args = sc.entrypoint;
    args.insert(args.end(), sc.args.begin(), sc.args.end());
    containerd::CtrRunSpec s = ShimSpec(sc.image, args, cg, id + "-server");
    s.host_network = netns.empty();
    s.netns_path = netns;
    s.mounts.push_back(CtrTmpfs(oci::kScratchPath, kServerTmpfs));
    for (const auto& b : sc.binds) s.mounts.push_back(CtrBind(b.host, b.container, true));
    std::unique_ptr<ShimServer> server(new ShimServer{
        cd, id + "-server", work / "server.txt", nullptr, std::chrono::steady_clock::now(), -1});
    try {
      server->ctr = std::make_unique<process::ChildProcess>(cd.RunArgv(s), server->log.string());
    } catch (const std::exception& e) {
      Fail("failed", rt.name + ": " + e.what());
      return nullptr;
    }
    const std::string why = AwaitServer(sc, 30, [&] {
      return server->ctr->Running()
                 ? std::string()
                 : "the " + sc.what +
                       " container exited: " + process::LastLine(server->log.string());
    });
    if (why.empty()) return server;
    if (ctx.stop->load())
      out.status = "pending";
    else
      Fail("failed", rt.name + ": " + why);
    server->Stop();
    log += ReadFile(server->log);
    return nullptr;
  }

  // A shim runtime's cell. native_server: the group's server running natively (client-only).
  void RunShimCell(MemorySampler& sampler, const std::string& native_server) {
    if (!ctx.containerd) {
      Fail("failed",
           rt.name + ": " +
               (ctx.containerd_error.empty() ? "no containerd was started" : ctx.containerd_error));
      return;
    }
    struct CgroupGuard {  // runc removes only the leaf; also after a failed start
      std::vector<std::string> paths;
      ~CgroupGuard() {
        for (const auto& p : paths) RemoveCgroupPath(p);
      }
    } guard{{cgroup, cgroup + "-server"}};
    const std::string& placement = out.placement;
    if (group.server.empty() || warmup || placement == "client-only") {
      RunShimBench(sampler, native_server, "", {cgroup}, !native_server.empty());
    } else if (placement == "both" || placement == "both-host") {
      std::unique_ptr<net::CniNetns> server_ns, client_ns;
      if (placement == "both" && !MakeBridgeNamespaces(server_ns, client_ns)) return;
      const ServerContainer sc = MakeServer(!server_ns, server_ns ? server_ns->ip() : "");
      auto server = StartShimServer(sc, server_ns ? server_ns->path() : "", cgroup + "-server");
      if (!server) return;
      const std::string cell_id = id;
      id = cell_id + "-client";
      RunShimBench(sampler, sc.address(), client_ns ? client_ns->path() : "",
                   {cgroup, cgroup + "-server"}, !client_ns);
      id = cell_id;
      server->Stop();
      log += ReadFile(server->log);
    } else {  // server-only
      SampleShim(sampler, cgroup, {cgroup});
      const ServerContainer sc = MakeServer(true, "");
      auto server = StartShimServer(sc, "", cgroup);
      if (!server) return;
      RecordNative(RunNativeBench(sampler, sc.address(), cgroup + "-client"));
      server->Stop();
      log += ReadFile(server->log);
      // The server container's life, from ctr's launch to its exit (as total_ms of the OCI
      // runtimes' server containers).
      lifecycle = fmt::format("{},,,{},\n", prefix, Ms(server->total_ms));
    }
  }

  // Server and client each in a container of this runtime, each in its own network namespace
  // on the CNI bridge (as the study ran redis-benchmark against redis-server).
  // The server's and the client's network namespaces on the CNI bridge, named after the run and
  // the cell; false (the cell failed with the reason) when CNI cannot make them.
  bool MakeBridgeNamespaces(std::unique_ptr<net::CniNetns>& server_ns,
                            std::unique_ptr<net::CniNetns>& client_ns) {
    const std::string tag = ctx.run_id.substr(0, 16) + "-" + std::to_string(spec.index);
    try {
      server_ns = std::make_unique<net::CniNetns>(tag + "-s");
      client_ns = std::make_unique<net::CniNetns>(tag + "-c");
      return true;
    } catch (const std::exception& e) {
      Fail("failed", rt.name + ": " + e.what());
      return false;
    }
  }

  // Server and client each in a container of this runtime: on the CNI bridge (bridge) or
  // both on the host network.
  void RunBoth(MemorySampler& sampler, Running& running, bool bridge) {
    std::unique_ptr<net::CniNetns> server_ns, client_ns;
    if (bridge && !MakeBridgeNamespaces(server_ns, client_ns)) return;
    // A CNI namespace on the bridge, else the host's network.
    auto network = [](const std::unique_ptr<net::CniNetns>& ns) {
      return ns ? oci::Network{oci::NetworkMode::kNetns, ns->path()}
                : oci::Network{oci::NetworkMode::kHost, {}};
    };
    const ServerContainer sc = MakeServer(!bridge, bridge ? server_ns->ip() : "");
    oci::BundleSpec sb = ServerBundle(sc, cgroup + "-server");
    sb.network = network(server_ns);
    const fs::path sdir =
        fs::path(kBundleRoot) / ctx.run_id / ("cell-" + std::to_string(spec.index) + "-server");
    struct BundleGuard {
      fs::path d;
      ~BundleGuard() { oci::RemoveBundle(d); }
    } guard{sdir};
    oci::RemoveBundle(sdir);
    std::unique_ptr<oci::Container> server;
    try {
      oci::MakeBundle(sb, sdir);
      oci::ContainerIo io;
      io.stderr_path = work / "server-stderr.txt";
      server = std::make_unique<oci::Container>(rt.spec, id + "-server", sdir, io);
      server->Create();
      server->Start();
      if (const std::string why = AwaitServer(sc, 15); !why.empty())
        throw oci::RuntimeError(rt.name + ": " + why);
    } catch (const std::exception& e) {
      if (ctx.stop->load())
        out.status = "pending";
      else
        Fail("failed", e.what());
      if (server) log += server->Stderr();
      return;  // the server's destructor kills and deletes it
    }
    oci::BundleSpec cb =
        Bundle("bench", BenchArgs(std::string(oci::kResultsPath) + "/out.json", sc.address()));
    cb.results_dir = work;
    cb.network = network(client_ns);
    // runsc resolves ids by prefix: "X" would be ambiguous next to "X-server".
    const std::string cell_id = id;
    id = cell_id + "-client";
    RunContainerCell(sampler, running, cb);
    id = cell_id;
    server->Kill(SIGTERM);
    server->Wait(std::chrono::seconds(10));
    try {
      server->Delete();
    } catch (const std::exception& e) {
      log += std::string(e.what()) + "\n";
    }
    log += server->Stderr();
  }

  void Execute() {
    out.scratch = {{"kind", rt.kind == "native" ? "rootfs" : ctx.config.scratch}};
    fs::create_directories(work);
    if (rt.kind == "native")
      out.scratch["fstype"] = FsType(work);
    else if (ctx.config.scratch == "tmpfs")
      out.scratch["fstype"] = "tmpfs";
    else if (rt.kind == "shim")  // containerd's overlayfs snapshot, or the bind dir in `work`
      out.scratch["fstype"] = ctx.config.scratch == "rootfs" ? "overlay" : FsType(work);
    else
      out.scratch["fstype"] = FsType(kBundleRoot);  // rootfs copy / bind dir live there
    // Redis and HTTP: where the server and the client run (see docs/harness.md).
    out.placement = group.server.empty()  ? ""
                    : rt.kind == "native" ? "native"
                                          : ctx.config.placement;
    const bool network = !group.server.empty() && !warmup;
    const std::string& placement = out.placement;
    std::unique_ptr<servers::RedisServer> redis;
    std::unique_ptr<servers::NginxServer> nginx;
    if (network && (rt.kind == "native" || placement == "client-only")) {
      try {
        if (group.server == "redis")
          redis = std::make_unique<servers::RedisServer>();
        else
          nginx = std::make_unique<servers::NginxServer>(servers::NginxServerOptions{HttpFiles()});
      } catch (const std::exception& e) {
        Fail("failed", e.what());
        return;
      }
    }
    const std::string native_server = redis ? redis->address() : nginx ? nginx->address() : "";
    if (!native_server.empty())
      log +=
          fmt::format("server: {} native at {}\n", redis ? "Redis server" : "nginx", native_server);

    Running running;
    auto tick = [&] {
      if (!ctx.stop->load() || !running.started.load()) return;
      std::lock_guard l(running.mu);
      if (running.started.exchange(false)) running.c->Kill(SIGKILL);
    };
    // ocibench's own long-lived children are not the runtime's: the private containerd (its
    // shims are counted for shim runtimes only) and a native server. Excluded from the first
    // sample on (added after the sampler's start, the first sample counted them once).
    std::vector<pid_t> not_runtime;
    if (ctx.containerd) not_runtime.push_back(ctx.containerd->pid());
    if (redis) not_runtime.push_back(redis->pid());
    if (nginx) not_runtime.push_back(nginx->pid());
    MemorySampler sampler(prefix, rt.kind != "native", tick, not_runtime);
    if (rt.kind == "native") {
      RecordNative(RunNativeBench(sampler, native_server, cgroup));
      sampler.Stop();
    } else if (rt.kind == "oci") {
      if (network && placement == "server-only") {
        const ServerContainer sc = MakeServer(true, "");
        oci::BundleSpec b = ServerBundle(sc, cgroup);
        b.network.mode = oci::NetworkMode::kHost;
        RunContainerCell(sampler, running, b, &sc);
      } else if (network && placement != "client-only") {
        RunBoth(sampler, running, placement == "both");
      } else {  // no server, or client-only: the bench image, on the host network for a server
        const std::string in_container = std::string(oci::kResultsPath) + "/out.json";
        oci::BundleSpec b = Bundle("bench", BenchArgs(in_container, native_server));
        b.results_dir = work;
        if (!native_server.empty()) b.network.mode = oci::NetworkMode::kHost;
        RunContainerCell(sampler, running, b);
      }
    } else if (rt.kind == "shim") {
      RunShimCell(sampler, native_server);
    }
    memory = sampler.Stop();
  }
};

}  // namespace

std::string CheckBenchJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return "no benchmark output (" + file.filename().string() + " was not written)";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    return "benchmark output is not valid JSON: " + std::string(e.what());
  }
  if (!j.contains("context") || !j["benchmarks"].is_array() || j["benchmarks"].empty())
    return "benchmark output has no benchmarks";
  for (const auto& b : j["benchmarks"])
    if (b.value("error_occurred", false))
      return b.value("name", "?") + ": " + b.value("error_message", "error");
  return "";
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
    if (!line.empty() && line.rfind("Failed to match", 0) != 0) out.push_back(line);
  return out;
}

CellOutcome RunCell(const RunContext& ctx, const CellSpec& spec, const RuntimeEntry& rt,
                    const GroupDef& group, bool warmup) {
  const std::string tag = warmup ? "warmup-" + rt.name : "cell-" + std::to_string(spec.index);
  Cell cell{ctx, spec, rt, group, warmup, {}, {}, {}, {}, {}, {}, {}, {}};
  cell.work = ctx.results->dir() / ".work" / tag;
  cell.cgroup = fmt::format("{}/{}/{}", kCgroupRoot, ctx.run_id, tag);
  cell.id = fmt::format("ocibench-{}-{}", ctx.run_id, tag);
  cell.prefix = fmt::format("{},{},{},", rt.name, group.name, spec.repetition);
  const auto t0 = std::chrono::steady_clock::now();
  fs::remove_all(cell.work);
  try {
    cell.Execute();
  } catch (const std::exception& e) {
    cell.Fail("failed", e.what());
  }
  CellOutcome& out = cell.out;
  out.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const fs::path json = cell.work / "out.json";
  if (!warmup && out.status != "pending") {
    const std::string check = CheckBenchJson(json);
    if (fs::exists(json)) {
      out.file = fmt::format("bench/{}/{}/rep-{}.json", rt.name, group.name, spec.repetition);
      AtomicMove(json, ctx.results->dir() / out.file);
    }
    if (!check.empty()) cell.Fail("failed", rt.name + " " + group.name + ": " + check);
    if (out.status.empty()) out.status = "ok";
    if (!cell.memory.empty()) ctx.results->AppendMemory(cell.memory);
    if (!cell.lifecycle.empty()) ctx.results->AppendLifecycle(cell.lifecycle);
  }
  if (warmup && out.status.empty()) out.status = "ok";
  std::string log;
  const std::string head =
      fmt::format("[{} {} {} rep {}] ", tag, rt.name, group.name, spec.repetition);
  std::istringstream lines(cell.log);
  for (std::string l; std::getline(lines, l);)
    if (!l.empty()) log += head + l + "\n";
  log += head + (out.status == "ok" ? "ok" : out.status + ": " + out.error) +
         fmt::format(" ({:.1f} s)", out.duration_s);
  ctx.results->Log(log);
  fs::remove_all(cell.work);
  return out;
}

}  // namespace ocibench::run
