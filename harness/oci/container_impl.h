// Internal to ocibench_oci: the state behind a Container, shared by container.cc (lifecycle),
// container_shim.cc (the subreaper shim around `create`), container_output.cc (the reader of the
// container's stdout/stderr) and container_cgroups.cc (crun's v1 cgroups, cleanup).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/oci/runtime.h"

namespace ocibench::oci {

using ContainerClock = std::chrono::steady_clock;

// Records the shim writes to its status pipe.
struct ShimRecord {
  int kind;  // kCreateDone (value: wait status of `create`), kInitExited (wait status),
             // kInitUnknown (value: errno; the init is not our descendant)
  int value;
};
inline constexpr int kCreateDone = 1;
inline constexpr int kInitExited = 2;
inline constexpr int kInitUnknown = 3;

struct Container::Impl {
  nlohmann::json config;
  std::string kind;
  bool cgroup2_ns = false;
  std::vector<std::string> global;  // global args for every command
  std::filesystem::path pid_file;
  std::string cgroup_path;  // cgroupsPath, or where ocibench put crun's v1 cgroups

  pid_t shim = -1;
  int status_fd = -1;
  pid_t pid = 0;
  bool created = false, deleted = false, init_unknown = false;
  std::optional<ExitStatus> exit;
  ContainerClock::time_point t0;

  // Output.
  int out_fd = -1, err_fd = -1;
  std::thread reader;
  std::atomic<bool> stop_reader{false};
  std::atomic<bool> started{false};
  std::atomic<bool> reader_done{false};
  mutable std::mutex mu;
  std::condition_variable reader_cv;  // notified (under mu) when reader_done is set
  std::string out_text, err_text;
  double first_output_ms = -1;
  std::ofstream out_file, err_file;
  size_t max_kept = 0;

  // cgroup v1 directories ocibench made itself (crun in a cgroup2 namespace).
  std::vector<std::filesystem::path> own_cgroups;

  ~Impl();

  // container_output.cc
  void StartReader(int out, int err);
  void ReadLoop();
  void StopReader();

  // container_shim.cc: forks the shim running `argv` (`create`) with stdout/stderr on pipes
  // (read by the reader thread), joining `procs_files` and, if cgroup2_ns, a private cgroup2
  // mount namespace first. Throws RuntimeError when it cannot fork.
  void StartShim(const std::vector<std::string>& argv, const std::vector<std::string>& procs_files);
  // Waits for the next shim record until `deadline`; false on timeout.
  bool NextRecord(ShimRecord* r, ContainerClock::time_point deadline);
  // Waits for the shim to end (it does when the container's last process is gone); after
  // `grace`, kills the shim and every process under it (a wedged runtime or sandbox).
  void ReapShim(std::chrono::milliseconds grace);

  // container_cgroups.cc: crun on a cgroup v1 host: makes the v1 cgroups of cgroup_path with
  // the bundle's limits; returns their cgroup.procs files, for the runtime to join.
  std::vector<std::string> MakeV1Cgroups(const std::string& runtime_name);
  // Removes our v1 cgroups and the empty parents of cgroupsPath the runtimes leave behind.
  void RemoveCgroups();
};

namespace internal {

// Async-signal-safe: "1234\n" → 1234; -1 when unreadable.
pid_t ReadPidFile(const char* path);

double MsSince(ContainerClock::time_point t0);

}  // namespace internal

}  // namespace ocibench::oci
