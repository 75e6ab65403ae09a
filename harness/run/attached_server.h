// AttachedServer: a server container whose client (ctr run, podman run) stays attached in the
// background, its output in a file. The shim and engine launchers' servers are this with their
// own way to ask the container to stop and their own clean-up after it ended.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "harness/process/child_process.h"
#include "harness/run/launcher.h"

namespace ocibench::run {

class AttachedServer : public RunningServer {
 public:
  AttachedServer(CellRun& cell, ServerDescription d, std::unique_ptr<process::ChildProcess> client,
                 std::filesystem::path log);
  // A subclass's destructor must call Stop() itself (the hooks are virtual).
  ~AttachedServer() override = default;
  const ServerDescription& description() const override { return d_; }
  std::string Gone() override;
  // Asks the container to stop (AskToStop), waits up to 10 s for the client, records the
  // container's whole life as lifecycle().total_ms, then AfterExit and the client's log.
  void Stop() final;
  Lifecycle lifecycle() const override { return lifecycle_; }

 protected:
  pid_t client_pid() const { return client_->pid(); }

 private:
  virtual void AskToStop() = 0;
  // After the client is gone: `exited` says whether it ended by itself (else it was killed and
  // its --rm clean-up did not run). May fill `l` (total_ms is set after).
  virtual void AfterExit(bool exited, Lifecycle& l) = 0;

  CellRun& cell_;
  ServerDescription d_;
  std::unique_ptr<process::ChildProcess> client_;
  std::filesystem::path log_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  Lifecycle lifecycle_;
};

}  // namespace ocibench::run
