// A real redis-server (Debian's) on 127.0.0.1, on a free port, persistence off, optionally also
// on a unix socket, in a temporary directory. Ready (answers PING) when the constructor
// returns; stopped and its directory removed on destruction, also when a test fails.
// Never touches a system redis (port 6379, /etc/redis, /var/lib/redis).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "harness/process/child_process.h"

namespace ocibench::servers {

struct RedisServerOptions {
  bool unix_socket = false;  // also listen on <dir>/redis.sock
  std::string binary = "redis-server";
  std::vector<std::string> extra_args;  // e.g. {"--io-threads", "2"}
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

// True when a Redis server at ip:port answers PING with PONG, or with NOAUTH when it has a
// password (200 ms timeouts; hiredis).
bool RedisAnswersPing(const std::string& ip, int port);

inline RedisServerOptions WithUnixSocket() {
  RedisServerOptions o;
  o.unix_socket = true;
  return o;
}

class RedisServer {
 public:
  // Throws std::runtime_error with one line naming the binary/address and the log's last line.
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();

  std::string host() const { return "127.0.0.1"; }
  int port() const { return port_; }
  std::string address() const { return host() + ":" + std::to_string(port_); }  // HOST:PORT
  std::string unix_socket() const { return socket_; }  // "" unless requested
  std::string log_path() const;
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  bool Running() { return process_ && process_->Running(); }
  void Kill();  // SIGKILL: the server dies (for error-path tests)
  void Stop();

 private:
  RedisServerOptions options_;
  process::TempDir dir_;
  int port_ = 0;
  std::string socket_;
  std::unique_ptr<process::ChildProcess> process_;
};

}  // namespace ocibench::servers
