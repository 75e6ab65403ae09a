// RunCell: native (a LimitCgroup) or an OCI runtime (a bundle from the image), with the Redis
// server placed per the group, memory sampled, lifecycle timed, files written atomically.
#include "harness/run/cell.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "harness/net/cni.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/oci/subprocess.h"
#include "harness/run/containerd.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/memory_sampler.h"
#include "harness/run/native_process.h"
#include "harness/servers/child_process.h"
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

// True once a Redis server on 127.0.0.1:port answers PING with +PONG.
bool RedisPongs(const std::string& ip, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::write(fd, "PING\r\n", 6) == 6) {
    char buf[16] = {};
    ok = ::read(fd, buf, sizeof buf - 1) >= 5 && std::string(buf).rfind("+PONG", 0) == 0;
  }
  ::close(fd);
  return ok;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ctr's own error ("ctr: failed to start shim: …", possibly over several lines) as one line;
// else `fallback` (the workload's exit, from RunNative).
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
    b.scratch.kind = oci::ParseScratchKind(ctx.config.scratch);
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
  NativeResult RunNativeBench(MemorySampler& sampler, const std::string& server,
                              const std::string& cg_path) {
    LimitCgroup cg(cg_path, ctx.config.cpus, ctx.config.memory_bytes);
    if (rt.kind == "native") sampler.SetCgroupFile(cg.memory_usage_file());
    fs::create_directories(work / "scratch");
    std::vector<std::string> argv = {ctx.bench.string()};
    for (auto& a : BenchArgs((work / "out.json").string(), server)) argv.push_back(a);
    const std::vector<std::string> env = {"OCIBENCH_SCRATCH=" + (work / "scratch").string(),
                                          "OCIBENCH_SCRATCH_KIND=rootfs"};
    return RunNative(argv, cg.procs_files(), env, Timeout(), *ctx.stop,
                     [&](pid_t pid) { sampler.ExcludeTree(pid); });
  }

  void RecordNative(const NativeResult& r) {
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

  // A container of rt running `bundle`, created and started; stop requests kill it.
  struct Running {
    std::unique_ptr<oci::Container> c;
    std::atomic<bool> started{false};
    std::mutex mu;  // guards c against the sampler thread's stop handling
  };

  void RunContainerCell(MemorySampler& sampler, Running& run, const oci::BundleSpec& bspec,
                        bool is_server) {
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
      if (is_server) {
        const int port = std::stoi(bspec.args.at(1));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!RedisPongs("127.0.0.1", port)) {
          if (std::chrono::steady_clock::now() > deadline || ctx.stop->load())
            throw oci::RuntimeError(
                rt.name + ": the Redis server container did not answer PING on 127.0.0.1:" +
                std::to_string(port) + " within 15 s");
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        NativeResult client =
            RunNativeBench(sampler, "127.0.0.1:" + std::to_string(port), cgroup + "-client");
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

  CtrRunSpec ShimSpec(const std::string& image, std::vector<std::string> args,
                      const std::string& cg, const std::string& cid) {
    CtrRunSpec s;
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
  void AddScratch(CtrRunSpec& s) {
    const std::string kind = ctx.config.scratch;
    if (kind == "rootfs") {
      s.env = {"OCIBENCH_SCRATCH=/tmp", "OCIBENCH_SCRATCH_KIND=rootfs"};
      return;
    }
    s.env = {"OCIBENCH_SCRATCH=/scratch", "OCIBENCH_SCRATCH_KIND=" + kind};
    if (kind == "tmpfs") {
      s.mounts.push_back("type=tmpfs,src=tmpfs,dst=/scratch,options=rw:nosuid:nodev");
    } else {
      fs::create_directories(work / "scratch");
      s.mounts.push_back("type=bind,src=" + (work / "scratch").string() +
                         ",dst=/scratch,options=rbind:rw");
    }
  }

  // Memory: the workload container's cgroup; runtime PSS = the shims and what they started
  // (runc's shim: minus the workloads' cgroups; any other shim, e.g. Kata's VM, is all runtime
  // as runsc's sandbox is).
  void SampleShim(MemorySampler& sampler, const std::string& cg,
                  const std::vector<std::string>& workload_cgroups) {
    sampler.SetCgroupFile(CgroupMemoryUsageFile(cg));
    PrivateContainerd* cd = ctx.containerd;
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
    PrivateContainerd& cd = *ctx.containerd;
    std::vector<std::string> args = {"/ocibench-bench"};
    for (auto& a : BenchArgs(std::string(oci::kResultsPath) + "/out.json", server))
      args.push_back(a);
    CtrRunSpec s = ShimSpec("bench", args, cgroup, id);
    AddScratch(s);
    s.netns_path = netns;
    s.host_network = host_network;
    s.mounts.push_back("type=bind,src=" + work.string() + ",dst=" + oci::kResultsPath +
                       ",options=rbind:rw");
    SampleShim(sampler, cgroup, workload_cgroups);
    const NativeResult r = RunNative(cd.RunArgv(s), {}, {}, Timeout(), *ctx.stop);
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

  // A Redis server container of the shim runtime: `ctr run --rm` kept attached in the
  // background (its output in a file); Stop() sends SIGTERM to the task and waits for ctr.
  struct ShimServer {
    PrivateContainerd& cd;
    std::string id;
    fs::path log;
    std::unique_ptr<servers::ChildProcess> ctr;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    double total_ms = -1;

    ~ShimServer() { Stop(); }
    void Stop() {
      if (!ctr) return;
      bool exited = !ctr->Running();
      if (!exited) {
        oci::RunCommand(cd.Ctr({"task", "kill", "--signal", "SIGTERM", id}),
                        oci::WithTimeout(std::chrono::seconds(30)));
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

  // Starts the server and waits until it answers PING at ip:port (30 s: the first start of the
  // redis image also unpacks its snapshot). nullptr (and the cell failed) when it does not.
  std::unique_ptr<ShimServer> StartShimServer(const std::string& ip, int port,
                                              const std::string& netns, const std::string& cg) {
    PrivateContainerd& cd = *ctx.containerd;
    std::vector<std::string> args = {"/usr/bin/redis-server", "/etc/redis/redis.conf", "--port",
                                     std::to_string(port)};
    if (netns.empty()) args.insert(args.end(), {"--bind", "127.0.0.1"});
    CtrRunSpec s = ShimSpec("redis", args, cg, id + "-server");
    s.host_network = netns.empty();
    s.netns_path = netns;
    std::unique_ptr<ShimServer> server(new ShimServer{
        cd, id + "-server", work / "server.txt", nullptr, std::chrono::steady_clock::now(), -1});
    try {
      server->ctr = std::make_unique<servers::ChildProcess>(cd.RunArgv(s), server->log.string());
    } catch (const std::exception& e) {
      Fail("failed", rt.name + ": " + e.what());
      return nullptr;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!RedisPongs(ip, port)) {
      std::string why;
      if (ctx.stop->load())
        out.status = "pending";
      else if (!server->ctr->Running())
        why = "the Redis server container exited: " + servers::LastLine(server->log.string());
      else if (std::chrono::steady_clock::now() > deadline)
        why = fmt::format("the Redis server container did not answer PING on {}:{} within 30 s", ip,
                          port);
      if (!why.empty()) Fail("failed", rt.name + ": " + why);
      if (!why.empty() || ctx.stop->load()) {
        server->Stop();
        log += ReadFile(server->log);
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return server;
  }

  void RunShimCell(MemorySampler& sampler, const std::string& http_server) {
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
    const bool redis = group.server == "redis" && !warmup;
    if (!redis) {
      RunShimBench(sampler, http_server, "", {cgroup}, !http_server.empty());
    } else if (ctx.config.placement == "both") {
      std::unique_ptr<net::CniNetns> server_ns, client_ns;
      if (!MakeBridgeNamespaces(server_ns, client_ns)) return;
      auto server = StartShimServer(server_ns->ip(), 6379, server_ns->path(), cgroup + "-server");
      if (!server) return;
      const std::string cell_id = id;
      id = cell_id + "-client";
      RunShimBench(sampler, server_ns->ip() + ":6379", client_ns->path(),
                   {cgroup, cgroup + "-server"});
      id = cell_id;
      server->Stop();
      log += ReadFile(server->log);
    } else {
      const int port = servers::FreeLoopbackPort();
      SampleShim(sampler, cgroup, {cgroup});
      auto server = StartShimServer("127.0.0.1", port, "", cgroup);
      if (!server) return;
      RecordNative(
          RunNativeBench(sampler, "127.0.0.1:" + std::to_string(port), cgroup + "-client"));
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

  void RunBoth(MemorySampler& sampler, Running& running) {
    std::unique_ptr<net::CniNetns> server_ns, client_ns;
    if (!MakeBridgeNamespaces(server_ns, client_ns)) return;
    oci::BundleSpec sb = Bundle("redis", {"--port", "6379"});
    sb.cgroups_path = cgroup + "-server";
    sb.network = {oci::NetworkMode::kNetns, server_ns->path()};
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
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
      while (!RedisPongs(server_ns->ip(), 6379)) {
        if (std::chrono::steady_clock::now() > deadline || ctx.stop->load())
          throw oci::RuntimeError(rt.name + ": the Redis server container did not answer PING on " +
                                  server_ns->ip() + ":6379 within 15 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    } catch (const std::exception& e) {
      if (ctx.stop->load())
        out.status = "pending";
      else
        Fail("failed", e.what());
      if (server) log += server->Stderr();
      return;  // the server's destructor kills and deletes it
    }
    oci::BundleSpec cb = Bundle("bench", BenchArgs(std::string(oci::kResultsPath) + "/out.json",
                                                   server_ns->ip() + ":6379"));
    cb.results_dir = work;
    cb.network = {oci::NetworkMode::kNetns, client_ns->path()};
    // runsc resolves ids by prefix: "X" would be ambiguous next to "X-server".
    const std::string cell_id = id;
    id = cell_id + "-client";
    RunContainerCell(sampler, running, cb, false);
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
    const bool redis = group.server == "redis";
    const bool http = group.server == "http";
    // HTTP: nginx always native on loopback (there is no nginx image), the client (the bench
    // image) in the runtime on the host network: "client-only".
    out.placement = redis  ? (rt.kind == "native" ? "native" : ctx.config.placement)
                    : http ? (rt.kind == "native" ? "native" : "client-only")
                           : "";
    std::unique_ptr<servers::NginxServer> nginx;
    if (http && !warmup) {
      servers::NginxServerOptions o;
      // The 256 MB file only where a benchmark may download it (writing it costs seconds).
      if (ctx.config.preset != "full")
        std::erase_if(o.files, [](const auto& f) { return f.second > (64u << 20); });
      try {
        nginx = std::make_unique<servers::NginxServer>(o);
      } catch (const std::exception& e) {
        Fail("failed", e.what());
        return;
      }
    }
    const std::string http_server = nginx ? nginx->address() : "";

    Running running;
    auto tick = [&] {
      if (!ctx.stop->load() || !running.started.load()) return;
      std::lock_guard l(running.mu);
      if (running.started.exchange(false)) running.c->Kill(SIGKILL);
    };
    MemorySampler sampler(prefix, rt.kind != "native", tick);
    // ocibench's own long-lived children are not the runtime's: the private containerd (its
    // shims are counted for shim runtimes only) and the native nginx of the http group.
    if (ctx.containerd) sampler.ExcludeTree(ctx.containerd->pid());
    if (nginx) sampler.ExcludeTree(nginx->pid());
    if (rt.kind == "native") {
      if (redis && !warmup) {
        std::unique_ptr<servers::RedisServer> server;
        try {
          server = std::make_unique<servers::RedisServer>();
        } catch (const std::exception& e) {
          Fail("failed", e.what());
          return;
        }
        RecordNative(RunNativeBench(sampler, server->address(), cgroup));
      } else {
        RecordNative(RunNativeBench(sampler, http_server, cgroup));
      }
      sampler.Stop();
    } else if (rt.kind == "oci") {
      if (redis && !warmup && ctx.config.placement == "both") {
        RunBoth(sampler, running);
      } else if (redis && !warmup) {
        const int port = servers::FreeLoopbackPort();
        oci::BundleSpec b =
            Bundle("redis", {"--port", std::to_string(port), "--bind", "127.0.0.1"});
        b.network.mode = oci::NetworkMode::kHost;
        RunContainerCell(sampler, running, b, true);
      } else {
        const std::string in_container = std::string(oci::kResultsPath) + "/out.json";
        oci::BundleSpec b = Bundle("bench", BenchArgs(in_container, http_server));
        b.results_dir = work;
        if (nginx) b.network.mode = oci::NetworkMode::kHost;
        RunContainerCell(sampler, running, b, false);
      }
    } else if (rt.kind == "shim") {
      RunShimCell(sampler, http_server);
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
  const auto r = oci::RunCommand(argv, oci::WithTimeout(std::chrono::seconds(30)));
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
