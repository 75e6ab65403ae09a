// Runs OCI bundles with an OCI command-line runtime (runc, crun, runsc, youki, …):
// create / start / state / kill / delete, timed, with the container's output captured.
//
//   auto rt = ocibench::oci::FindRuntime("runsc");        // or a RuntimeSpec of your own
//   ocibench::oci::RunResult r = ocibench::oci::Run(rt, "cell-17", bundle.dir, {});
//   if (!r.ok()) log(r.error);                             // one line, e.g. exec format error
//
// Each RuntimeSpec gets its own --root directory, so parallel runs never collide. A Container
// is always killed and deleted by its destructor, also when an exception unwinds.
// Host quirks handled here (see RuntimeInfo::notes): crun on a cgroup v1/hybrid host runs in a
// private mount namespace with cgroup2 on /sys/fs/cgroup; runsc gets --network= matching the
// bundle's network namespace (none/host/sandbox) and a recorded --platform.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ocibench::oci {

struct RuntimeSpec {
  std::string name;                      // unique label, e.g. "runc", "runsc-ptrace"
  std::filesystem::path binary;          // absolute, or a name looked up on PATH
  std::vector<std::string> global_args;  // before the command, e.g. {"--platform=ptrace"}
  std::filesystem::path root_dir;        // --root; empty = /run/ocibench/<name>
  // Limit for each runtime command (create, start, state, kill, delete); a runtime that hangs
  // (e.g. runsc --platform=kvm without working KVM) is killed with everything it started.
  std::chrono::milliseconds command_timeout = std::chrono::seconds(60);
};

// How the host mounts cgroups (from /proc/self/mountinfo).
enum class CgroupMode {
  kLegacy,   // v1 only
  kHybrid,   // v1 controllers on /sys/fs/cgroup/<c>, cgroup2 (no controllers) elsewhere
  kUnified,  // cgroup2 on /sys/fs/cgroup
};
CgroupMode DetectCgroupMode(const std::filesystem::path& mountinfo = "/proc/self/mountinfo");
std::string ToString(CgroupMode mode);  // "v1" | "hybrid" | "v2"

// What a runtime is on this host: for run.json and `ocibench runtimes`.
struct RuntimeInfo {
  std::string name;
  std::filesystem::path binary;          // resolved absolute path ("" when not found)
  std::string kind;                      // "runc" | "crun" | "runsc" | "youki" | "other"
  std::string version;                   // first line of `<binary> --version`
  std::string platform;                  // runsc: ptrace | systrap | kvm (as chosen); else ""
  std::vector<std::string> global_args;  // as they will be passed
  bool cgroup2_namespace = false;        // crun on a non-v2 host: run in a private cgroup2 mount ns
  std::vector<std::string> notes;        // adaptations made for this host
  std::string unusable;                  // "" = usable; else why not (one line, with what to do)
};

// A RuntimeSpec for a runtime named `name` found on PATH, with this host's defaults
// (runsc: --platform=ptrace unless `platform` is given). The binary is "" if not found.
RuntimeSpec FindRuntime(const std::string& name, const std::string& platform = "");

// Inspects a runtime (version, kind, platform, quirks). Cheap; runs `<binary> --version`.
RuntimeInfo Probe(const RuntimeSpec& runtime);

// A runtime command that failed: message = one line naming runtime, command and how it ended
// (process::DescribeEnd), with the last line of its stderr.
struct RuntimeError : std::runtime_error {
  explicit RuntimeError(const std::string& what, std::string runtime_words = "",
                        bool timed_out = false)
      : std::runtime_error(what), runtime_words(std::move(runtime_words)), timed_out(timed_out) {}
  std::string runtime_words;  // the runtime's own last line ("" when it said nothing)
  bool timed_out = false;     // the command ran past RuntimeSpec::command_timeout (killed)
};

// Wall-clock milliseconds of each phase. first_output_ms and total_ms count from the start of
// `create`; total ends when the container's process has exited.
struct Timings {
  double create_ms = 0;
  double start_ms = 0;
  double first_output_ms = -1;  // first byte on the container's stdout or stderr; -1 = none
  double total_ms = 0;
  double delete_ms = 0;
};

struct ExitStatus {
  bool exited = false;     // the process ended (code or signal valid)
  int code = -1;           // exit code when it exited normally
  int signal = 0;          // terminating signal, 0 = none
  bool timed_out = false;  // killed by Wait because the timeout passed
};

// Where the container's stdout/stderr go, besides being kept in memory (Stdout()/Stderr()).
struct ContainerIo {
  std::filesystem::path stdout_path;  // empty = memory only
  std::filesystem::path stderr_path;
  std::size_t max_kept_bytes = 4 << 20;  // in memory per stream; the files get everything
};

class Container {
 public:
  // Nothing runs until Create(). `bundle` is a directory with config.json (MakeBundle).
  Container(RuntimeSpec runtime, std::string id, std::filesystem::path bundle, ContainerIo io = {});
  ~Container();  // SIGKILL + delete --force if created and not deleted; never throws
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  void Create();                 // `create`; throws RuntimeError
  void Start();                  // `start`; throws RuntimeError
  nlohmann::json State() const;  // `state` (runtime-spec state JSON); throws RuntimeError
  pid_t Pid() const;             // the container's process on the host (0 before Create)
  // Waits until the container's process exits; after `timeout` kills it (SIGKILL) and
  // returns timed_out. Sets timings().total_ms.
  ExitStatus Wait(std::chrono::milliseconds timeout);
  void Kill(int signal = SIGTERM);  // `kill`; best effort, never throws
  void Delete();                    // `delete --force`; idempotent
  // The limit of each runtime command from now on (a caller's deadline for create and start,
  // a fresh one for the clean-up after it passed).
  void SetCommandTimeout(std::chrono::milliseconds t) { runtime_.command_timeout = t; }

  const std::string& id() const { return id_; }
  const RuntimeSpec& runtime() const { return runtime_; }
  // The global arguments every command of this container gets (the spec's, --root and the
  // host adaptations: crun's --cgroup-manager, runsc's --network), for run.json.
  std::vector<std::string> GlobalArgs() const;
  const Timings& timings() const { return timings_; }
  std::string Stdout() const;  // what the container wrote so far (up to max_kept_bytes)
  std::string Stderr() const;
  // The container's cgroup directory for a v1 controller ("memory", "cpu", …) or, on a
  // cgroup v2 host, the unified one (controller ignored); "" when the bundle has no
  // cgroupsPath. E.g. read memory.usage_in_bytes / memory.current there.
  std::filesystem::path CgroupDir(const std::string& controller = "memory") const;

 private:
  struct Impl;
  RuntimeSpec runtime_;
  std::string id_;
  std::filesystem::path bundle_;
  Timings timings_;
  std::unique_ptr<Impl> impl_;
};

struct RunOptions {
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  std::string name;  // names the container in `error`; "" = "<runtime> <id>"
  ContainerIo io;
  // Called right after Start() (e.g. to begin sampling memory of container.Pid()).
  std::function<void(const Container&)> on_started;
};

struct RunResult {
  ExitStatus status;
  Timings timings;
  pid_t pid = 0;
  std::vector<std::string> global_args;  // as passed (Container::GlobalArgs)
  std::string stdout_text;
  std::string stderr_text;
  std::string error;          // "" when the container ran and exited 0; else one clear line
  std::string runtime_error;  // the RuntimeError of a failed runtime command ("" = none)
  std::string runtime_words;  // its RuntimeError::runtime_words
  bool ok() const { return error.empty(); }
};

// create → start → wait → delete. Never throws for a runtime failure: it lands in `error`
// (exec format error of a foreign-arch image is reported as such, naming the arch).
RunResult Run(const RuntimeSpec& runtime, const std::string& id,
              const std::filesystem::path& bundle, const RunOptions& options = {});

// Containers left in `runtime`'s root (e.g. after SIGKILL of ocibench), for `ocibench gc`.
std::vector<std::string> ListContainers(const RuntimeSpec& runtime);

}  // namespace ocibench::oci
