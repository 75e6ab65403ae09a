// The seam between a matrix cell and the runtime kinds: one Launcher per kind (native, OCI
// command line, containerd shim) runs the bench binary and starts a group's server; the cell
// (placement_run.h) decides which launcher runs which side, on which network, from the
// placement table (harness/vocabulary). A launcher records what happened in the cell's
// CellRecorder and never throws for a runtime's failure.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/run/server_description.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::run {

class CellRun;

// The network a process of a cell joins: the host's, a CNI namespace on the bridge (its path
// and address), or none of its own choosing (OCI: a fresh empty namespace; shim: ctr's default;
// native: the host's).
struct NetworkChoice {
  enum class Kind { kDefault, kHost, kNetns } kind = Kind::kDefault;
  std::filesystem::path netns;  // kNetns
  std::string ip;               // kNetns: the namespace's address on the bridge
};

// One process of a cell. `main`: the workload the cell's memory and lifecycle rows describe
// (the client when it runs in the runtime, else the server).
struct Launch {
  std::string id;      // container id (unique in the run)
  std::string cgroup;  // cgroupsPath
  NetworkChoice network;
  bool main = true;
};

// Create, start, first output, total and delete in ms; < 0 = not measured.
struct Lifecycle {
  double create_ms = -1, start_ms = -1, first_output_ms = -1, total_ms = -1, delete_ms = -1;
};

// A started server; stopped (and its container deleted) by Stop() or the destructor.
class RunningServer {
 public:
  virtual ~RunningServer() = default;
  virtual const ServerDescription& description() const = 0;
  // Whether it answers (PING, or GET of the first file): by default the description's probe.
  virtual bool Ready() { return description().Ready(); }
  // Host processes of ocibench's own that are not the runtime's (a native server).
  virtual std::vector<pid_t> HostPids() const { return {}; }
  // "" while it runs; else how it ended (the readiness wait gives up on it).
  virtual std::string Gone() = 0;
  virtual void Stop() = 0;
  // After Stop(): the server container's timings (total = its whole life).
  virtual Lifecycle lifecycle() const = 0;
};

class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual RuntimeKind kind() const = 0;
  // The file system the probes' scratch directory is on for this kind (run.json's fstype).
  virtual std::string ScratchFsType(const CellRun& cell) const = 0;
  // How long a server of this kind may take to answer (a shim's first start unpacks a snapshot).
  virtual int ServerStartSeconds() const { return 15; }
  // Runs the bench binary (arguments from cell.BenchArgs) to the end; its JSON lands in
  // cell.work()/out.json. Status, log and, when launch.main, lifecycle go to cell.recorder().
  virtual void RunBench(CellRun& cell, const Launch& launch, const std::string& server) = 0;
  // Starts `server` (not yet ready: the cell waits). nullptr when it could not (recorded).
  virtual std::unique_ptr<RunningServer> StartServer(CellRun& cell, const Launch& launch,
                                                     const ServerDescription& server) = 0;
  // From the memory sampler's thread when a stop is requested: kill what runs now.
  virtual void Interrupt() {}
};

}  // namespace ocibench::run
