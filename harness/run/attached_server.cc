// AttachedServer: the stop-and-wait shared by the shim and engine launchers' server containers.
#include "harness/run/attached_server.h"

#include <thread>

#include "harness/process/proc.h"
#include "harness/run/cell.h"

namespace ocibench::run {
namespace fs = std::filesystem;

AttachedServer::AttachedServer(CellRun& cell, ServerDescription d,
                               std::unique_ptr<process::ChildProcess> client, fs::path log)
    : cell_(cell), d_(std::move(d)), client_(std::move(client)), log_(std::move(log)) {}

std::string AttachedServer::Gone() {
  return client_ && !client_->Running()
             ? "the " + d_.what + " container exited: " + process::LastLine(log_.string())
             : "";
}

void AttachedServer::Stop() {
  if (!client_) return;
  bool exited = !client_->Running();
  if (!exited) {
    AskToStop();
    for (int i = 0; i < 100 && !exited; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      exited = !client_->Running();
    }
  }
  // The server container's life, from the client's launch to its exit.
  const double total =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
  client_->Stop(std::chrono::seconds(1));
  client_.reset();
  Lifecycle l;
  AfterExit(exited, l);
  l.total_ms = total;
  lifecycle_ = l;
  cell_.recorder.Log(process::ReadSmallFile(log_));
  std::error_code ec;
  fs::remove(log_, ec);
}

}  // namespace ocibench::run
