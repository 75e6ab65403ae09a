// A network namespace attached to a bridge with the standard CNI plugins (Debian's
// containernetworking-plugins: bridge + host-local IPAM), the way container engines do it:
// one namespace per container, all on the bridge kOcibenchBridge. Removed (CNI DEL, netns
// deleted) on destruction.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace ocibench::net {

inline constexpr const char* kCniPluginDir = "/usr/lib/cni";
inline constexpr const char* kBridge = "ocibench0";
inline constexpr const char* kSubnet = "10.88.77.0/24";
inline constexpr const char* kNetnsPrefix = "ocibench-run-";  // `ocibench gc` removes these

struct CniError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "" when the bridge and host-local plugins are installed; else why not (one line).
std::string CniUnavailable();

class CniNetns {
 public:
  // Creates /var/run/netns/<kNetnsPrefix + name> and runs the bridge plugin's ADD in it.
  // Throws CniError naming the plugin and its message.
  explicit CniNetns(const std::string& name);
  ~CniNetns();
  CniNetns(const CniNetns&) = delete;
  CniNetns& operator=(const CniNetns&) = delete;

  const std::filesystem::path& path() const { return path_; }  // for the bundle's netns
  const std::string& ip() const { return ip_; }                // the container's address

 private:
  void Remove();
  std::string name_;
  std::filesystem::path path_;
  std::string ip_;
  bool added_ = false;
};

// Network namespaces named kNetnsPrefix* (left by a killed run), and their removal (CNI DEL
// to release the address, then `ip netns del`).
std::vector<std::string> LeftoverNetns();
void RemoveNetns(const std::string& name);

// The CNI network configuration (JSON) both ADD and DEL get.
std::string CniConfig();

}  // namespace ocibench::net
