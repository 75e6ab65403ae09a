// CniNetns: `ip netns add`, then the bridge plugin (ADD/DEL) per the CNI spec: parameters in
// CNI_* environment variables, the network configuration on stdin, the result as JSON.
#include "harness/net/cni.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "harness/process/command.h"
#include "harness/process/exit_description.h"
#include "harness/process/spawn.h"

namespace ocibench::net {
namespace fs = std::filesystem;
namespace {

struct PluginResult {
  int code = -1;
  std::string out;
};

// Runs the bridge plugin with `command` for the namespace; the config on stdin.
PluginResult Plugin(const std::string& command, const std::string& id, const fs::path& netns) {
  const std::string plugin = std::string(kCniPluginDir) + "/bridge";
  const std::string config = CniConfig();
  std::vector<std::string> env = {"CNI_COMMAND=" + command,
                                  "CNI_CONTAINERID=" + id,
                                  "CNI_NETNS=" + netns.string(),
                                  "CNI_IFNAME=eth0",
                                  std::string("CNI_PATH=") + kCniPluginDir,
                                  "PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC)) throw CniError("pipe failed");
  process::SpawnOptions o;
  o.argv = {plugin};
  o.env = env;
  o.inherit_env = false;
  o.stdin_fd = in[0];
  o.stdout_fd = out[1];
  o.stderr_fd = out[1];
  const process::Spawned child = process::Spawn(o);
  const pid_t pid = child.pid;
  ::close(in[0]);
  ::close(out[1]);
  PluginResult r;
  if (!child.ok()) {
    ::close(in[1]);
    ::close(out[0]);
    process::ProcessEnd end;
    end.started = false;
    end.start_error = child.message;
    r.out = process::DescribeEnd(plugin, end);
    return r;
  }
  (void)!::write(in[1], config.data(), config.size());
  ::close(in[1]);
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace

std::string CniConfig() {
  return nlohmann::json{
      {"cniVersion", "1.0.0"},
      {"name", "ocibench"},
      {"type", "bridge"},
      {"bridge", kBridge},
      {"isGateway", true},
      {"ipMasq", false},
      {"ipam", {{"type", "host-local"}, {"subnet", kSubnet}, {"dataDir", "/run/ocibench-run/cni"}}}}
      .dump();
}

std::string CniUnavailable() {
  for (const char* p : {"bridge", "host-local"})
    if (::access((std::string(kCniPluginDir) + "/" + p).c_str(), X_OK) != 0)
      return std::string("CNI plugin ") + kCniPluginDir + "/" + p +
             " not found (install Debian's containernetworking-plugins)";
  if (process::FindOnPath("ip").empty()) return "ip not found (install Debian's iproute2)";
  return "";
}

CniNetns::CniNetns(const std::string& name) : name_(kNetnsPrefix + name) {
  if (const std::string why = CniUnavailable(); !why.empty()) throw CniError(why);
  const auto add = process::RunCommand({"ip", "netns", "add", name_});
  if (!add.ok()) throw CniError("ip netns add " + name_ + ": " + add.LastLine());
  path_ = fs::path("/var/run/netns") / name_;
  added_ = true;
  const PluginResult r = Plugin("ADD", name_, path_);
  try {
    const auto j = nlohmann::json::parse(r.out);
    if (r.code != 0 || !j.contains("ips")) {
      throw CniError("CNI bridge ADD for " + name_ + ": " + j.value("msg", r.out) +
                     (j.contains("details") ? " (" + j.value("details", "") + ")" : ""));
    }
    const std::string cidr = j["ips"].at(0).at("address");
    ip_ = cidr.substr(0, cidr.find('/'));
  } catch (const nlohmann::json::exception&) {
    Remove();
    throw CniError("CNI bridge ADD for " + name_ + ": " + r.out);
  } catch (const CniError&) {
    Remove();
    throw;
  }
}

CniNetns::~CniNetns() { Remove(); }

void CniNetns::Remove() {
  if (!added_) return;
  added_ = false;
  RemoveNetns(name_);
}

std::vector<std::string> LeftoverNetns() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/var/run/netns", ec)) {
    const std::string n = e.path().filename();
    if (n.starts_with(kNetnsPrefix)) out.push_back(n);
  }
  return out;
}

void RemoveNetns(const std::string& name) {
  Plugin("DEL", name, fs::path("/var/run/netns") / name);
  process::RunCommand({"ip", "netns", "del", name});
}

}  // namespace ocibench::net
