// Container lifecycle through an OCI runtime's command line: create (under the shim,
// container_shim.cc), start, state, wait, kill, delete. The container's output is read by
// container_output.cc, its cgroups handled by container_cgroups.cc.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "harness/oci/container_impl.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/command.h"
#include "harness/process/exit_description.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = ContainerClock;
using internal::MsSince;

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

}  // namespace

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

// "runc start cell-3: exited with code 1: <the runtime's last line>".
RuntimeError CommandError(const RuntimeSpec& rt, const std::string& cmd, const std::string& id,
                          const process::CommandResult& r, std::chrono::milliseconds timeout) {
  process::ProcessEnd end;
  end.started = r.started;
  end.start_error = r.start_error;
  end.exit_code = r.exit_code;
  end.signal = r.signal;
  if (r.timed_out) end.timed_out_after_s = static_cast<int>(timeout.count() / 1000);
  const std::string words = r.started ? r.LastLine() : "";
  end.detail = words;
  return RuntimeError(process::DescribeEnd(rt.name + " " + cmd + " " + id, end), words,
                      r.timed_out);
}

}  // namespace

void Container::Create() {
  if (impl_->created) throw RuntimeError(runtime_.name + ": container " + id_ + " already created");
  fs::create_directories(internal::RootDir(runtime_));
  fs::remove(impl_->pid_file);
  // crun on a cgroup v1 host: ocibench makes the v1 cgroups with the bundle's limits and puts
  // the runtime in them; the container inherits them.
  const std::vector<std::string> procs_files =
      impl_->cgroup2_ns ? impl_->MakeV1Cgroups(runtime_.name) : std::vector<std::string>{};
  impl_->StartShim(Command(runtime_, impl_->global,
                           {"create", "--bundle", bundle_.string(), "--pid-file",
                            impl_->pid_file.string(), id_}),
                   procs_files);

  const std::string name = runtime_.name + " create " + id_;
  ShimRecord r{};
  if (!impl_->NextRecord(&r, Clock::now() + runtime_.command_timeout) || r.kind != kCreateDone) {
    impl_->ReapShim(std::chrono::milliseconds(0));  // kills the runtime and what it started
    impl_->created = true;                          // whatever state it recorded gets deleted
    impl_->exit = ExitStatus{};
    process::ProcessEnd end;
    end.timed_out_after_s = static_cast<int>(runtime_.command_timeout.count() / 1000);
    end.detail = "is the runtime usable here? see `ocibench runtimes`";
    throw RuntimeError(process::DescribeEnd(name, end), "", true);
  }
  timings_.create_ms = MsSince(impl_->t0);
  if (!WIFEXITED(r.value) || WEXITSTATUS(r.value) != 0) {
    impl_->ReapShim(std::chrono::seconds(5));
    impl_->StopReader();  // the runtime is gone: its stderr is complete
    process::ProcessEnd end = process::FromWaitStatus(r.value);
    {
      std::lock_guard lock(impl_->mu);
      process::CommandResult output;
      output.err = impl_->err_text;
      output.out = impl_->out_text;
      end.detail = output.LastLine();
    }
    impl_->created = true;  // a half-made container may exist: Delete() in the destructor
    throw RuntimeError(process::DescribeEnd(name, end), end.detail);
  }
  impl_->created = true;
  impl_->pid = internal::ReadPidFile(impl_->pid_file.string().c_str());
}

void Container::Start() {
  impl_->started = true;
  const auto t = Clock::now();
  process::CommandOptions opt = process::WithTimeout(runtime_.command_timeout);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  const process::CommandResult r =
      process::RunCommand(Command(runtime_, impl_->global, {"start", id_}), opt);
  timings_.start_ms = MsSince(t);
  if (!r.ok()) throw CommandError(runtime_, "start", id_, r, runtime_.command_timeout);
}

json Container::State() const {
  process::CommandOptions opt;
  opt.timeout = std::chrono::seconds(30);
  if (impl_->cgroup2_ns) opt.before_exec = internal::EnterCgroup2Namespace;
  const process::CommandResult r =
      process::RunCommand(Command(runtime_, impl_->global, {"state", id_}), opt);
  if (!r.ok()) throw CommandError(runtime_, "state", id_, r, opt.timeout);
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
  // The process is gone; its last output is on its way through the pipes. Woken by the reader
  // (a 10 ms polling sleep here cost up to 10 ms per container: docs/startup.md).
  {
    std::unique_lock lock(impl_->mu);
    impl_->reader_cv.wait_for(lock, std::chrono::seconds(1),
                              [&] { return impl_->reader_done.load(); });
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
  if (!r.ok() && !gone) throw CommandError(runtime_, "delete", id_, r, runtime_.command_timeout);
  impl_->deleted = true;
  {
    // What a runtime whose create was killed leaves in its root (delete does not know the
    // container): runc/crun's <id>/, runsc's <id>_sandbox:<id>.{lock,state}.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(internal::RootDir(runtime_), ec)) {
      const std::string name = e.path().filename();
      if (name == id_ || name.starts_with(id_ + "_sandbox:")) fs::remove_all(e.path(), ec);
    }
  }
  fs::remove(impl_->pid_file);
  // The shim ends when the last process of the container has been reaped: after that the
  // cgroups are empty and can go.
  impl_->ReapShim(std::chrono::seconds(5));

  impl_->RemoveCgroups();
  impl_->StopReader();  // drains the last output
}

std::vector<std::string> Container::GlobalArgs() const { return impl_->global; }

}  // namespace ocibench::oci
