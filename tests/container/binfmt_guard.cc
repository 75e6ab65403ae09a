#include "tests/container/binfmt_guard.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ocibench::test {
namespace {

namespace fs = std::filesystem;
const fs::path kDir = "/proc/sys/fs/binfmt_misc";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool Write(const fs::path& p, const std::string& s) {
  std::ofstream out(p);
  out << s;
  return static_cast<bool>(out.flush());
}

bool Enabled(const fs::path& entry) { return Slurp(entry).rfind("enabled", 0) == 0; }

bool IsAarch64(const fs::path& entry) {
  const std::string s = Slurp(entry);
  const auto i = s.find("interpreter ");
  return i != std::string::npos && s.find("aarch64", i) < s.find('\n', i);
}

}  // namespace

BinfmtGuard::BinfmtGuard() {
  if (!fs::exists(kDir / "status")) return;
  original_status_ = Slurp(kDir / "status");
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename();
    if (name != "status" && name != "register") original_[name] = Enabled(e.path());
  }
}

std::string BinfmtGuard::Mount() {
  if (fs::exists(kDir / "status")) return "";
  if (::mount("binfmt_misc", kDir.c_str(), "binfmt_misc", 0, nullptr) != 0) {
    return std::string("cannot mount binfmt_misc: ") + strerror(errno);
  }
  mounted_by_us_ = true;
  original_status_ = Slurp(kDir / "status");
  return "";
}

std::string BinfmtGuard::EnableQemuAarch64() {
  const fs::path conf = "/usr/lib/binfmt.d/qemu-aarch64.conf";
  if (!fs::exists(conf)) return "qemu-user-static is not installed (no " + conf.string() + ")";
  if (auto e = Mount(); !e.empty()) return e;
  Write(kDir / "status", "1");
  if (!fs::exists(kDir / "qemu-aarch64")) {
    // systemd-binfmt's format is the kernel's register line; the first non-comment line.
    std::ifstream in(conf);
    std::string line;
    while (std::getline(in, line) && (line.empty() || line[0] == '#')) {
    }
    if (!Write(kDir / "register", line)) return "registering " + conf.string() + " failed";
    registered_by_us_ = "qemu-aarch64";
  }
  if (!Write(kDir / "qemu-aarch64", "1")) return "cannot enable qemu-aarch64";
  return Enabled(kDir / "qemu-aarch64") ? "" : "qemu-aarch64 handler not enabled";
}

std::string BinfmtGuard::DisableAarch64() {
  if (!fs::exists(kDir / "status")) return "";  // no binfmt_misc: nothing runs arm64 anyway
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename();
    if (name == "status" || name == "register" || !IsAarch64(e.path())) continue;
    if (!Write(e.path(), "0")) return "cannot disable binfmt handler " + name;
  }
  return "";
}

BinfmtGuard::~BinfmtGuard() {
  if (!registered_by_us_.empty()) Write(kDir / registered_by_us_, "-1");
  for (const auto& [name, enabled] : original_) {
    if (fs::exists(kDir / name) && Enabled(kDir / name) != enabled) {
      Write(kDir / name, enabled ? "1" : "0");
    }
  }
  if (!original_status_.empty() && fs::exists(kDir / "status") &&
      Slurp(kDir / "status") != original_status_) {
    Write(kDir / "status", original_status_.rfind("enabled", 0) == 0 ? "1" : "0");
  }
  if (mounted_by_us_) ::umount(kDir.c_str());
}

}  // namespace ocibench::test
