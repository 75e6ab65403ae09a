// HostInfo: hostname, kernel, OS, arch, CPU model, CPUs, memory, cgroup mode.
#include "harness/run/host_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"

namespace ocibench::run {
namespace {
std::string FileValue(const char* path, const std::string& key, char sep) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(key)) continue;
    auto v = line.substr(line.find(sep) + 1);
    v.erase(0, v.find_first_not_of(" \t\""));
    while (!v.empty() && (v.back() == '"' || v.back() == ' ')) v.pop_back();
    return v;
  }
  return "";
}
}  // namespace

int HostCpus() { return static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)); }

std::uint64_t HostMemBytes() {
  const std::string kb = FileValue("/proc/meminfo", "MemTotal:", ':');
  return kb.empty() ? 0 : std::stoull(kb) * 1024;
}

nlohmann::json HostInfo() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  utsname u{};
  ::uname(&u);
  return {{"hostname", host},
          {"kernel", u.release},
          {"os", FileValue("/etc/os-release", "PRETTY_NAME=", '=')},
          {"arch", oci::HostArch()},
          {"cpu_model", FileValue("/proc/cpuinfo", "model name", ':')},
          {"cpus", HostCpus()},
          {"mem_bytes", HostMemBytes()},
          {"cgroup_mode", oci::ToString(oci::DetectCgroupMode())}};
}

std::string UtcNow(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace ocibench::run
