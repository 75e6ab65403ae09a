// DescribeServerContainer: the redis and nginx images' command lines and mounts.
#include "harness/run/server_description.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "harness/process/child_process.h"
#include "harness/run/cell.h"
#include "harness/run/launcher.h"
#include "harness/run/run_lease.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

// Where a Redis container finds its auth.conf (a read-only bind of work/redis-auth).
constexpr const char* kRedisAuthPath = "/srv/ocibench-redis";

// Created 0600 before a byte is written, so no one else ever reads it.
void WriteSecret(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

bool ServerDescription::Ready() const {
  return probe.empty() ? servers::RedisAnswersPing(ip, port) : servers::HttpServes(ip, port, probe);
}

std::string ServerDescription::NotReady(int seconds) const {
  return fmt::format("the {} container did not {} on {} within {} s", what,
                     probe.empty() ? "answer PING" : "serve /" + probe, address(), seconds);
}

std::vector<std::pair<std::string, std::uint64_t>> HttpFiles(const std::string& preset) {
  auto files = servers::StandardHttpFiles();
  if (preset != "full") std::erase_if(files, [](const auto& f) { return f.second > (64u << 20); });
  return files;
}

void GiveRedisAPassword(ServerDescription& d, const fs::path& work, bool in_container,
                        const oci::ImageUser& client_user) {
  d.password = NewRunId() + NewRunId();
  const fs::path dir = work / "redis-auth";
  fs::create_directories(dir);
  d.auth_conf = dir / "auth.conf";
  WriteSecret(d.auth_conf, "requirepass " + d.password + "\n");
  if (in_container) {
    d.binds.push_back({dir, kRedisAuthPath, true});
    d.args.insert(d.args.end(), {"--include", std::string(kRedisAuthPath) + "/auth.conf"});
  }
  const fs::path client = work / kRedisPasswordFile;
  WriteSecret(client, d.password);
  oci::GiveToContainerUser(client, client_user);
  fs::permissions(client, fs::perms::owner_read | fs::perms::owner_write);
}

ServerDescription DescribeServerContainer(Server server, const NetworkChoice& network,
                                          const fs::path& work, const std::string& preset) {
  const bool host = network.kind != NetworkChoice::Kind::kNetns;
  ServerDescription s;
  s.server = server;
  s.image = std::string(ServerImage(server));
  s.ip = host ? "127.0.0.1" : network.ip;
  if (server == Server::kRedis) {
    s.what = "Redis server";
    s.port = host ? process::FreeLoopbackPort() : 6379;
    s.entrypoint = {"/usr/bin/redis-server", "/etc/redis/redis.conf"};
    // Bound to one address: loopback on the host network, the namespace's own on the bridge.
    s.args = {"--port", std::to_string(s.port), "--bind", s.ip};
    return s;
  }
  // nginx: its config and the files in one host directory, mounted read-only at
  // /srv/ocibench; what it writes (temp paths, pid) goes to the server's tmpfs /scratch.
  s.what = "nginx";
  s.port = host ? process::FreeLoopbackPort() : 80;
  const fs::path site = work / "site";
  fs::create_directories(site / "htdocs");
  const auto files = HttpFiles(preset);
  servers::WriteHttpFiles((site / "htdocs").string(), files);
  std::ofstream(site / "nginx.conf") << servers::NginxConfig(
      {host ? s.address() : std::to_string(s.port), "/srv/ocibench/htdocs", oci::kScratchPath});
  s.entrypoint = {"/usr/sbin/nginx"};
  s.args = {"-c", "/srv/ocibench/nginx.conf"};
  s.binds = {{site, "/srv/ocibench", true}};
  s.probe = files.front().first;
  return s;
}

}  // namespace ocibench::run
