// Container lifecycle through an OCI runtime's command line.
//
// `create` runs under a small forked "shim" process (like conmon or containerd's shim) that is
// a child subreaper: the container's init (runc/crun) or sandbox (runsc) is re-parented to it
// when `create` exits, so the shim can wait for it and report its exit status through a pipe.
// The container's stdout/stderr are pipes read by a thread (keeping the first-output time).
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "harness/oci/runtime.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/command.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Records the shim writes to its status pipe.
struct ShimRecord {
  int kind;  // kCreateDone (value: wait status of `create`), kInitExited (wait status),
             // kInitUnknown (value: errno; the init is not our descendant)
  int value;
};
constexpr int kCreateDone = 1;
constexpr int kInitExited = 2;
constexpr int kInitUnknown = 3;

void WriteRecord(int fd, int kind, int value) {
  const ShimRecord r{kind, value};
  (void)!::write(fd, &r, sizeof r);
}

// Async-signal-safe: "1234\n" → 1234.
pid_t ReadPidFile(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  pid_t pid = 0;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pid = pid * 10 + (buf[i] - '0');
  return pid > 0 ? pid : -1;
}

bool WriteFile(const fs::path& p, const std::string& value) {
  std::ofstream out(p);
  out << value;
  return static_cast<bool>(out.flush());
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json ReadConfig(const fs::path& bundle) {
  std::ifstream in(bundle / "config.json");
  if (!in) throw RuntimeError("bundle " + bundle.string() + ": no config.json (use MakeBundle)");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw RuntimeError("bundle " + bundle.string() +
                       ": config.json is not valid JSON: " + e.what());
  }
}

// SIGKILLs the descendants of `root` (from /proc's PPid links), and `root` if asked.
void KillTree(pid_t root, bool include_root) {
  std::map<pid_t, std::vector<pid_t>> children;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status(e.path() / "status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("PPid:", 0) == 0) {
        children[std::stoi(line.substr(5))].push_back(std::stoi(name));
        break;
      }
    }
  }
  std::vector<pid_t> todo = {root}, all;
  while (!todo.empty()) {
    const pid_t p = todo.back();
    todo.pop_back();
    all.push_back(p);
    for (pid_t c : children[p]) todo.push_back(c);
  }
  for (pid_t p : all) {
    if (p != root || include_root) ::kill(p, SIGKILL);
  }
}

}  // namespace

struct Container::Impl {
  json config;
  std::string kind;
  bool cgroup2_ns = false;
  std::vector<std::string> global;  // global args for every command
  fs::path pid_file;
  std::string cgroup_path;  // cgroupsPath, or where ocibench put crun's v1 cgroups

  pid_t shim = -1;
  int status_fd = -1;
  pid_t pid = 0;
  bool created = false, deleted = false, init_unknown = false;
  std::optional<ExitStatus> exit;
  Clock::time_point t0;

  // Output.
  int out_fd = -1, err_fd = -1;
  std::thread reader;
  std::atomic<bool> stop_reader{false};
  std::atomic<bool> started{false};
  std::atomic<bool> reader_done{false};
  mutable std::mutex mu;
  std::string out_text, err_text;
  double first_output_ms = -1;
  std::ofstream out_file, err_file;
  size_t max_kept = 0;

  // cgroup v1 directories ocibench made itself (crun in a cgroup2 namespace).
  std::vector<fs::path> own_cgroups;

  ~Impl() {
    StopReader();
    for (int* fd : {&status_fd, &out_fd, &err_fd}) {
      if (*fd >= 0) ::close(*fd);
    }
  }

  void StopReader() {
    stop_reader = true;
    if (reader.joinable()) reader.join();
  }

  void ReadLoop() {
    int fds[2] = {out_fd, err_fd};
    char buf[16384];
    while ((fds[0] >= 0 || fds[1] >= 0)) {
      pollfd p[2];
      nfds_t n = 0;
      for (int fd : fds) {
        if (fd >= 0) p[n++] = {fd, POLLIN, 0};
      }
      const int ready = ::poll(p, n, 100);
      if (ready <= 0) {
        if (stop_reader) break;
        continue;
      }
      for (nfds_t i = 0; i < n; ++i) {
        if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const bool is_out = p[i].fd == fds[0];
        const ssize_t got = ::read(p[i].fd, buf, sizeof buf);
        if (got <= 0) {
          if (got < 0 && errno == EINTR) continue;
          (is_out ? fds[0] : fds[1]) = -1;
          continue;
        }
        std::lock_guard lock(mu);
        if (first_output_ms < 0 && started) first_output_ms = MsSince(t0);
        std::string& text = is_out ? out_text : err_text;
        text.append(buf, std::min<size_t>(static_cast<size_t>(got),
                                          max_kept - std::min(max_kept, text.size())));
        std::ofstream& file = is_out ? out_file : err_file;
        if (file.is_open()) file.write(buf, got).flush();
      }
    }
    reader_done = true;
  }

  // Waits for the next shim record until `deadline`; false on timeout.
  bool NextRecord(ShimRecord* r, Clock::time_point deadline) {
    if (status_fd < 0) return false;
    while (true) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{status_fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return false;
      const ssize_t n = ::read(status_fd, r, sizeof *r);
      if (n == static_cast<ssize_t>(sizeof *r)) return true;
      if (n < 0 && errno == EINTR) continue;
      ::close(status_fd);  // the shim is gone
      status_fd = -1;
      return false;
    }
  }

  // Waits for the shim to end (it does when the container's last process is gone); after
  // `grace`, kills the shim and every process under it (a wedged runtime or sandbox).
  void ReapShim(std::chrono::milliseconds grace) {
    if (shim <= 0) return;
    const auto deadline = Clock::now() + grace;
    int st = 0;
    while (::waitpid(shim, &st, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        // Kill what is under the shim and let the shim reap it (killing the shim first would
        // leave the zombies to init); then the shim, if it still has not ended.
        KillTree(shim, /*include_root=*/false);
        for (int i = 0; i < 200 && ::waitpid(shim, &st, WNOHANG) == 0; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (::kill(shim, 0) == 0 && ::waitpid(shim, &st, WNOHANG) == 0) {
          ::kill(shim, SIGKILL);
          ::waitpid(shim, &st, 0);
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    shim = -1;
  }
};

Container::Container(RuntimeSpec runtime, std::string id, fs::path bundle, ContainerIo io)
    : runtime_(std::move(runtime)),
      id_(std::move(id)),
      bundle_(fs::absolute(bundle)),
      impl_(std::make_unique<Impl>()) {
  if (runtime_.binary.empty()) {
    throw RuntimeError(runtime_.name + ": runtime binary not found (install it or give its path)");
  }
  const std::string resolved = process::FindOnPath(runtime_.binary.string());
  if (resolved.empty()) {
    throw RuntimeError(runtime_.name + ": runtime binary '" + runtime_.binary.string() +
                       "' not found or not executable");
  }
  runtime_.binary = resolved;
  impl_->config = ReadConfig(bundle_);
  impl_->kind = internal::RuntimeKind(runtime_);
  impl_->cgroup2_ns = internal::NeedsCgroup2Namespace(runtime_);
  impl_->global = internal::GlobalArgs(runtime_, impl_->config);
  impl_->pid_file = bundle_ / ("ocibench-" + id_ + ".pid");
  impl_->cgroup_path = impl_->config["linux"].value("cgroupsPath", "");
  if (impl_->cgroup2_ns && impl_->cgroup_path.empty()) impl_->cgroup_path = "/ocibench/" + id_;
  impl_->max_kept = io.max_kept_bytes;
  if (!io.stdout_path.empty()) impl_->out_file.open(io.stdout_path, std::ios::binary);
  if (!io.stderr_path.empty()) impl_->err_file.open(io.stderr_path, std::ios::binary);
}

Container::~Container() {
  try {
    if (impl_->created && !impl_->deleted) {
      if (!impl_->exit) {
        Kill(SIGKILL);
        ShimRecord r{};
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (impl_->NextRecord(&r, deadline) && r.kind != kInitExited) {
        }
      }
      Delete();
    }
  } catch (...) {
    // Never throw from a destructor; leftovers are for `ocibench gc`.
  }
  impl_->ReapShim(std::chrono::seconds(5));
}

namespace {

// The command line for `cmd` with its arguments.
std::vector<std::string> Command(const RuntimeSpec& rt, const std::vector<std::string>& global,
                                 std::vector<std::string> cmd) {
  std::vector<std::string> argv = {rt.binary.string()};
  argv.insert(argv.end(), global.begin(), global.end());
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return argv;
}

std::string Describe(const RuntimeSpec& rt, const std::string& cmd, const std::string& id,
                     const process::CommandResult& r) {
  std::string why = r.timed_out ? "timed out" : r.LastLine();
  if (why.empty()) why = "exit code " + std::to_string(r.exit_code);
  return rt.name + " " + cmd + " " + id + ": " + why;
}

}  // namespace

void Container::Create() {
  if (impl_->created) throw RuntimeError(runtime_.name + ": container " + id_ + " already created");
  fs::create_directories(internal::RootDir(runtime_));
  fs::remove(impl_->pid_file);

  // crun on a cgroup v1 host: ocibench makes the v1 cgroups with the bundle's limits and puts
  // the runtime in them; the container inherits them.
  std::vector<std::string> procs_files;
  if (impl_->cgroup2_ns) {
    const json res = impl_->config["linux"].value("resources", json::object());
    const std::string path = impl_->cgroup_path;
    const auto make = [&](const std::string& controller) {
      const fs::path root = fs::path("/sys/fs/cgroup") / controller;
      const fs::path dir = root / fs::path(path).relative_path();
      std::error_code ec;
      if (!fs::exists(root / "cgroup.procs", ec)) return fs::path();  // no such v1 hierarchy
      // Remember each directory made, outermost first, to remove them innermost first.
      std::vector<fs::path> made;
      for (fs::path p = dir; p != root && !fs::exists(p, ec); p = p.parent_path())
        made.push_back(p);
      fs::create_directories(dir, ec);
      if (ec)
        throw RuntimeError(runtime_.name + ": cannot create cgroup " + dir.string() + ": " +
                           ec.message());
      impl_->own_cgroups.insert(impl_->own_cgroups.end(), made.rbegin(), made.rend());
      procs_files.push_back((dir / "cgroup.procs").string());
      return dir;
    };
    if (const fs::path cpu = make("cpu"); !cpu.empty() && res.contains("cpu")) {
      WriteFile(cpu / "cpu.cfs_period_us", std::to_string(res["cpu"].value("period", 100000)));
      WriteFile(cpu / "cpu.cfs_quota_us", std::to_string(res["cpu"].value("quota", -1)));
    }
    if (const fs::path mem = make("memory"); !mem.empty() && res.contains("memory")) {
      if (!WriteFile(mem / "memory.limit_in_bytes",
                     std::to_string(res["memory"].value("limit", std::int64_t{-1})))) {
        throw RuntimeError(runtime_.name + ": cannot set memory limit in " + mem.string());
      }
      if (res["memory"].contains("swap") && fs::exists(mem / "memory.memsw.limit_in_bytes")) {
        WriteFile(mem / "memory.memsw.limit_in_bytes",
                  std::to_string(res["memory"].value("swap", std::int64_t{-1})));
      }
    }
    make("cpuacct");
    make("pids");
  }

  int out[2], err[2], status[2];
  if (::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) || ::pipe2(status, O_CLOEXEC)) {
    throw RuntimeError(std::string("pipe: ") + strerror(errno));
  }
  const std::vector<std::string> argv = Command(
      runtime_, impl_->global,
      {"create", "--bundle", bundle_.string(), "--pid-file", impl_->pid_file.string(), id_});
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<const char*> cprocs;
  for (const auto& p : procs_files) cprocs.push_back(p.c_str());
  const std::string pid_file = impl_->pid_file.string();
  const bool ns = impl_->cgroup2_ns;

  impl_->t0 = Clock::now();
  const pid_t shim = ::fork();
  if (shim < 0) throw RuntimeError(std::string("fork: ") + strerror(errno));
  if (shim == 0) {
    // The shim: async-signal-safe calls only from here on.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t c = ::fork();
    if (c == 0) {
      const int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      for (const char* p : cprocs) {
        const int fd = ::open(p, O_WRONLY);
        if (fd >= 0) (void)!::write(fd, "0", 1), ::close(fd);
      }
      int e = ns ? internal::EnterCgroup2Namespace() : 0;
      if (e == 0) {
        ::execv(cargv[0], cargv.data());
        e = errno;
      }
      const char* msg = "ocibench: cannot start the runtime: ";
      (void)!::write(2, msg, strlen(msg));
      (void)!::write(2, strerror(e), strlen(strerror(e)));
      (void)!::write(2, "\n", 1);
      ::_exit(127);
    }
    // Keep only the status pipe: an inherited write end of another container's output pipe
    // would keep that container's reader from seeing EOF.
    if (status[1] > 3) ::close_range(3, static_cast<unsigned>(status[1]) - 1, 0);
    ::close_range(static_cast<unsigned>(status[1]) + 1, ~0U, 0);
    int st = 0;
    while (::waitpid(c, &st, 0) < 0 && errno == EINTR) {
    }
    WriteRecord(status[1], kCreateDone, st);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ::_exit(0);
    const pid_t init = ReadPidFile(pid_file.c_str());
    bool seen = false;
    while (true) {
      const pid_t p = ::waitpid(-1, &st, __WALL);
      if (p < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (p == init) {
        WriteRecord(status[1], kInitExited, st);
        seen = true;
      }
    }
    if (!seen) WriteRecord(status[1], kInitUnknown, init < 0 ? ENOENT : ECHILD);
    ::_exit(0);
  }
  impl_->shim = shim;
  ::close(out[1]);
  ::close(err[1]);
  ::close(status[1]);
  impl_->out_fd = out[0];
  impl_->err_fd = err[0];
  impl_->status_fd = status[0];
  impl_->reader = std::thread([impl = impl_.get()] { impl->ReadLoop(); });

  ShimRecord r{};
  if (!impl_->NextRecord(&r, Clock::now() + runtime_.command_timeout) || r.kind != kCreateDone) {
    impl_->ReapShim(std::chrono::milliseconds(0));  // kills the runtime and what it started
    impl_->created = true;                          // whatever state it recorded gets deleted
    impl_->exit = ExitStatus{};
    throw RuntimeError(runtime_.name + " create " + id_ + ": timed out after " +
                       std::to_string(runtime_.command_timeout.count() / 1000) +
                       " s (killed; is the runtime usable here? see `ocibench runtimes`)");
  }
  timings_.create_ms = MsSince(impl_->t0);
  if (!WIFEXITED(r.value) || WEXITSTATUS(r.value) != 0) {
    impl_->ReapShim(std::chrono::seconds(5));
    impl_->StopReader();  // the runtime is gone: its stderr is complete
    std::string why;
    {
      std::lock_guard lock(impl_->mu);
      process::CommandResult fake;
      fake.err = impl_->err_text;
      fake.out = impl_->out_text;
      why = fake.LastLine();
    }
    if (why.empty()) why = "exit status " + std::to_string(WEXITSTATUS(r.value));
    impl_->created = true;  // a half-made container may exist: Delete() in the destructor
    throw RuntimeError(runtime_.name + " create " + id_ + ": " + why);
  }
  impl_->created = true;
  impl_->pid = ReadPidFile(pid_file.c_str());
}

void Container::Start() {
  impl_->started = true;
  const auto t = Clock::now();
  process::CommandOptions opt = process::WithTimeout(runtime_.command_timeout);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  const process::CommandResult r =
      process::RunCommand(Command(runtime_, impl_->global, {"start", id_}), opt);
  timings_.start_ms = MsSince(t);
  if (!r.ok()) throw RuntimeError(Describe(runtime_, "start", id_, r));
}

json Container::State() const {
  process::CommandOptions opt;
  opt.timeout = std::chrono::seconds(30);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  const process::CommandResult r =
      process::RunCommand(Command(runtime_, impl_->global, {"state", id_}), opt);
  if (!r.ok()) throw RuntimeError(Describe(runtime_, "state", id_, r));
  try {
    return json::parse(r.out);
  } catch (const json::exception&) {
    throw RuntimeError(runtime_.name + " state " + id_ + ": output is not JSON");
  }
}

pid_t Container::Pid() const { return impl_->pid > 0 ? impl_->pid : 0; }

ExitStatus Container::Wait(std::chrono::milliseconds timeout) {
  if (impl_->exit) return *impl_->exit;
  if (!impl_->created) throw RuntimeError(runtime_.name + ": Wait before Create on " + id_);
  const auto deadline = Clock::now() + timeout;
  ExitStatus st;
  ShimRecord r{};
  bool got = false;
  while (!got && impl_->NextRecord(&r, deadline)) {
    if (r.kind == kInitExited) {
      got = true;
      st.exited = true;
      if (WIFEXITED(r.value)) st.code = WEXITSTATUS(r.value);
      if (WIFSIGNALED(r.value)) st.signal = WTERMSIG(r.value);
    } else if (r.kind == kInitUnknown) {
      impl_->init_unknown = true;
      break;
    }
  }
  // The init is not our descendant (a runtime that daemonizes differently): poll `state`.
  while (!got && impl_->init_unknown && Clock::now() < deadline) {
    try {
      if (State().value("status", "") == "stopped") {
        got = true;
        st.exited = true;  // exit code unknown (-1)
      }
    } catch (const RuntimeError&) {
      got = true;
      st.exited = true;
    }
    if (!got) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  timings_.total_ms = MsSince(impl_->t0);
  if (!got) {
    st.timed_out = true;
    Kill(SIGKILL);
    const auto grace = Clock::now() + std::chrono::seconds(10);
    while (impl_->NextRecord(&r, grace) && r.kind != kInitExited) {
    }
    if (r.kind == kInitExited && WIFSIGNALED(r.value)) st.signal = WTERMSIG(r.value);
  }
  // The process is gone; its last output is on its way through the pipes.
  for (int i = 0; i < 100 && !impl_->reader_done; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  {
    std::lock_guard lock(impl_->mu);
    timings_.first_output_ms = impl_->first_output_ms;
  }
  impl_->exit = st;
  return st;
}

void Container::Kill(int signal) {
  process::CommandOptions opt;
  opt.timeout = std::chrono::seconds(30);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  // The OCI `kill <id> <signal>` signals the container's init; runc's --all extension needs a
  // cgroup to find the others, which crun with --cgroup-manager=disabled does not have.
  process::RunCommand(Command(runtime_, impl_->global, {"kill", id_, std::to_string(signal)}), opt);
}

void Container::Delete() {
  if (!impl_->created || impl_->deleted) return;
  const auto t = Clock::now();
  process::CommandOptions opt = process::WithTimeout(runtime_.command_timeout);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  const process::CommandResult r =
      process::RunCommand(Command(runtime_, impl_->global, {"delete", "--force", id_}), opt);
  timings_.delete_ms = MsSince(t);
  const std::string why = Lower(r.LastLine());
  const bool gone = why.find("does not exist") != std::string::npos ||
                    why.find("not found") != std::string::npos ||
                    why.find("no such") != std::string::npos;
  if (!r.ok() && !gone) throw RuntimeError(Describe(runtime_, "delete", id_, r));
  impl_->deleted = true;
  {
    // What a runtime whose create was killed leaves in its root (delete does not know the
    // container): runc/crun's <id>/, runsc's <id>_sandbox:<id>.{lock,state}.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(internal::RootDir(runtime_), ec)) {
      const std::string name = e.path().filename();
      if (name == id_ || name.rfind(id_ + "_sandbox:", 0) == 0) fs::remove_all(e.path(), ec);
    }
  }
  fs::remove(impl_->pid_file);
  // The shim ends when the last process of the container has been reaped: after that the
  // cgroups are empty and can go.
  impl_->ReapShim(std::chrono::seconds(5));

  // Cgroups: ours (crun in v1), and parents of cgroupsPath the runtimes leave behind
  // (runc removes only the leaf). rmdir fails harmlessly on a non-empty or foreign directory.
  for (auto it = impl_->own_cgroups.rbegin(); it != impl_->own_cgroups.rend(); ++it)
    ::rmdir(it->c_str());
  const std::string path = impl_->config["linux"].value("cgroupsPath", "");
  if (!path.empty() && path[0] == '/') {
    std::error_code ec;
    for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
      for (fs::path p = h.path() / fs::path(path).relative_path();
           p.has_relative_path() && p != h.path(); p = p.parent_path()) {
        if (::rmdir(p.c_str()) != 0 && errno != ENOENT) break;
      }
    }
  }
  impl_->StopReader();  // drains the last output
}

std::vector<std::string> Container::GlobalArgs() const { return impl_->global; }

std::string Container::Stdout() const {
  std::lock_guard lock(impl_->mu);
  return impl_->out_text;
}

std::string Container::Stderr() const {
  std::lock_guard lock(impl_->mu);
  return impl_->err_text;
}

fs::path Container::CgroupDir(const std::string& controller) const {
  const std::string& path = impl_->cgroup_path;
  if (path.empty()) return {};
  if (DetectCgroupMode() == CgroupMode::kUnified)
    return fs::path("/sys/fs/cgroup") / fs::path(path).relative_path();
  return fs::path("/sys/fs/cgroup") / controller / fs::path(path).relative_path();
}

}  // namespace ocibench::oci
