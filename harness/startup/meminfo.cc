// /proc/meminfo, drop_caches and PSS sums for density runs.
#include "harness/startup/meminfo.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "harness/process/proc.h"
#include "harness/run/memory_sampler.h"

namespace ocibench::startup {
namespace {

std::uint64_t MeminfoField(const std::string& key) {
  std::istringstream in(process::ReadSmallFile("/proc/meminfo"));
  std::string k;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> k >> kb) {
    std::getline(in, unit);
    if (k == key + ":") return kb * 1024;
  }
  return 0;
}

}  // namespace

std::uint64_t MemAvailableBytes() { return MeminfoField("MemAvailable"); }
std::uint64_t MemTotalBytes() { return MeminfoField("MemTotal"); }

std::string DropCaches() {
  ::sync();
  std::ofstream out("/proc/sys/vm/drop_caches");
  out << "3\n";
  if (!out.flush()) return "cannot write /proc/sys/vm/drop_caches (needs root)";
  return "";
}

std::uint64_t PssSum(const std::vector<pid_t>& pids) {
  std::uint64_t sum = 0;
  for (pid_t p : pids) sum += run::PssBytes(p).value_or(0);
  return sum;
}

}  // namespace ocibench::startup
