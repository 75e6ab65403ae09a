// DescribeServerContainer: the redis and nginx images' command lines and mounts.
#include "harness/run/server_description.h"

#include <fmt/format.h>

#include <fstream>

#include "harness/process/child_process.h"
#include "harness/run/launcher.h"
#include "harness/servers/nginx_server.h"
#include "harness/servers/redis_server.h"

namespace ocibench::run {
namespace fs = std::filesystem;

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
    s.args = {"--port", std::to_string(s.port)};
    if (host) s.args.insert(s.args.end(), {"--bind", "127.0.0.1"});
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
