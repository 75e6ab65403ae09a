// A real nginx (Debian's nginx-light) on 127.0.0.1, on a free port, with a config generated into
// a temporary directory that also holds the files it serves; no root-only path is used. One
// process (master_process off), so it cannot leave workers behind. Ready (serves the smallest
// file) when the constructor returns; stopped and its directory removed on destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/process/child_process.h"
#include "harness/servers/nginx_site.h"

namespace ocibench::servers {

struct NginxServerOptions {
  std::vector<std::pair<std::string, std::uint64_t>> files = StandardHttpFiles();
  std::string binary = "nginx";
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

class NginxServer {
 public:
  // Throws std::runtime_error with one line naming the binary/address and the log's last line.
  explicit NginxServer(NginxServerOptions options = {});
  ~NginxServer();

  std::string host() const { return "127.0.0.1"; }
  int port() const { return port_; }
  std::string address() const { return host() + ":" + std::to_string(port_); }  // HOST:PORT
  std::string url(const std::string& name) const { return "http://" + address() + "/" + name; }
  std::string root() const { return dir_.path() + "/htdocs"; }
  std::string error_log() const { return dir_.path() + "/error.log"; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  bool Running() { return process_ && process_->Running(); }
  void Kill();
  void Stop();

 private:
  NginxServerOptions options_;
  process::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<process::ChildProcess> process_;
};

}  // namespace ocibench::servers
