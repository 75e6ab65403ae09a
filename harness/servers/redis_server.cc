#include "harness/servers/redis_server.h"

#include <hiredis/hiredis.h>

#include <cstring>
#include <stdexcept>
#include <thread>

namespace ocibench::servers {
namespace {

// True when the server answers PING with PONG within a short timeout: over TCP at host:port,
// or over the unix socket when unix_path is given.
bool Pong(const std::string& unix_path, const std::string& host, int port) {
  const timeval tv = {0, 200000};
  redisContext* c = unix_path.empty() ? redisConnectWithTimeout(host.c_str(), port, tv)
                                      : redisConnectUnixWithTimeout(unix_path.c_str(), tv);
  bool ok = false;
  if (c && !c->err) {
    redisSetTimeout(c, tv);
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    // A server with a password answers NOAUTH: it is up and serving all the same.
    ok = r && ((r->type == REDIS_REPLY_STATUS && std::strcmp(r->str, "PONG") == 0) ||
               (r->type == REDIS_REPLY_ERROR && std::strncmp(r->str, "NOAUTH", 6) == 0));
    if (r) freeReplyObject(r);
  }
  if (c) redisFree(c);
  return ok;
}

}  // namespace

bool RedisAnswersPing(const std::string& ip, int port) { return Pong("", ip, port); }

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), dir_("ocibench-redis") {
  if (options_.unix_socket) socket_ = dir_.path() + "/redis.sock";
  std::string last_error;
  for (int attempt = 0; attempt < 3; attempt++) {  // a free port can be taken meanwhile
    port_ = process::FreeLoopbackPort();
    std::vector<std::string> argv = {options_.binary,
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--daemonize",
                                     "no",
                                     "--dir",
                                     dir_.path(),
                                     "--logfile",
                                     log_path()};
    if (!socket_.empty()) {
      argv.insert(argv.end(), {"--unixsocket", socket_, "--unixsocketperm", "700"});
    }
    argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
    process_ = std::make_unique<process::ChildProcess>(argv, dir_.path() + "/stdout.log");
    const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!process_->Running()) break;
      if (Pong("", "127.0.0.1", port_) && (socket_.empty() || Pong(socket_, "", 0))) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const bool exited = !process_->Running();
    std::string why = process::LastLine(log_path());
    if (why.empty()) why = process::LastLine(dir_.path() + "/stdout.log", 2);
    const std::string name = options_.binary + " did not start on " + address();
    last_error = exited ? process_->ExitDescription(name, why)
                        : name + " (no PONG within the timeout)" + (why.empty() ? "" : ": " + why);
    process_.reset();
    if (!exited || why.find("Address already in use") == std::string::npos) break;
  }
  throw std::runtime_error(last_error);
}

RedisServer::~RedisServer() { Stop(); }

std::string RedisServer::log_path() const { return dir_.path() + "/redis.log"; }

void RedisServer::Kill() {
  if (process_) process_->Kill();
}

void RedisServer::Stop() {
  if (process_) process_->Stop();
}

}  // namespace ocibench::servers
