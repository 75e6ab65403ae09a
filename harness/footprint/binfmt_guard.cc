#include "harness/footprint/binfmt_guard.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ocibench::footprint {
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

bool Enabled(const fs::path& entry) { return Slurp(entry).starts_with("enabled"); }

std::string Interpreter(const fs::path& entry) {
  const std::string s = Slurp(entry);
  const auto i = s.find("interpreter ");
  if (i == std::string::npos) return "";
  const auto b = i + std::string("interpreter ").size();
  return s.substr(b, s.find('\n', b) - b);
}

bool IsFor(const std::string& interpreter, const std::string& qemu_arch) {
  // Debian: /usr/libexec/qemu-binfmt/aarch64-binfmt-P; others: /usr/bin/qemu-aarch64-static.
  const std::string file = fs::path(interpreter).filename();
  return file.starts_with(qemu_arch + "-") || file == "qemu-" + qemu_arch ||
         file.starts_with("qemu-" + qemu_arch + "-");
}

}  // namespace

BinfmtState ReadBinfmtState() {
  BinfmtState s;
  if (!fs::exists(kDir / "status")) return s;
  s.mounted = true;
  s.enabled = Enabled(kDir / "status");
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename();
    if (name == "status" || name == "register") continue;
    s.handlers[name] = Enabled(e.path());
    s.interpreters[name] = Interpreter(e.path());
  }
  return s;
}

std::string BinfmtState::Describe() const {
  if (!mounted) return "binfmt_misc not mounted";
  std::string out = std::string("binfmt_misc mounted, ") + (enabled ? "enabled" : "disabled");
  if (handlers.empty()) return out + ", no handlers";
  out += ", handlers:";
  for (const auto& [name, on] : handlers) out += " " + name + (on ? "" : " (disabled)");
  return out;
}

std::string QemuArch(const std::string& oci_arch) {
  static const std::map<std::string, std::string> kNames = {
      {"arm64", "aarch64"},   {"amd64", "x86_64"}, {"arm", "arm"},        {"386", "i386"},
      {"ppc64le", "ppc64le"}, {"s390x", "s390x"},  {"riscv64", "riscv64"}};
  const auto it = kNames.find(oci_arch);
  return it == kNames.end() ? "" : it->second;
}

bool HasEnabledHandler(const BinfmtState& state, const std::string& oci_arch) {
  if (!state.mounted || !state.enabled) return false;
  const std::string q = QemuArch(oci_arch);
  for (const auto& [name, on] : state.handlers) {
    if (on && !q.empty() && IsFor(state.interpreters.at(name), q)) return true;
  }
  return false;
}

BinfmtGuard::BinfmtGuard() : original_(ReadBinfmtState()) {}

std::string BinfmtGuard::Mount() {
  if (fs::exists(kDir / "status")) return "";
  if (::mount("binfmt_misc", kDir.c_str(), "binfmt_misc", 0, nullptr) != 0) {
    return std::string("cannot mount binfmt_misc: ") + strerror(errno);
  }
  mounted_by_us_ = true;
  changes_.push_back("mounted binfmt_misc on " + kDir.string());
  return "";
}

std::string BinfmtGuard::EnableQemu(const std::string& oci_arch) {
  const std::string q = QemuArch(oci_arch);
  if (q.empty()) return "no qemu name known for architecture " + oci_arch;
  const fs::path conf = "/usr/lib/binfmt.d/qemu-" + q + ".conf";
  if (!fs::exists(conf)) {
    return "qemu-user-static is not installed (no " + conf.string() + "): scripts/install-deps";
  }
  if (auto e = Mount(); !e.empty()) return e;
  if (!Enabled(kDir / "status")) {
    Write(kDir / "status", "1");
    changes_.push_back("enabled binfmt_misc");
  }
  const std::string name = "qemu-" + q;
  if (!fs::exists(kDir / name)) {
    // systemd-binfmt's format is the kernel's register line; the first non-comment line.
    std::ifstream in(conf);
    std::string line;
    while (std::getline(in, line) && (line.empty() || line[0] == '#')) {
    }
    if (!Write(kDir / "register", line)) return "registering " + conf.string() + " failed";
    registered_by_us_.push_back(name);
    changes_.push_back("registered " + name + " from " + conf.string() + " (interpreter " +
                       Interpreter(kDir / name) + ")");
  }
  if (!Enabled(kDir / name)) {
    if (!Write(kDir / name, "1")) return "cannot enable " + name;
    changes_.push_back("enabled " + name);
  }
  return Enabled(kDir / name) ? "" : name + " handler not enabled";
}

std::string BinfmtGuard::DisableHandlers(const std::string& oci_arch) {
  if (!fs::exists(kDir / "status")) return "";  // no binfmt_misc: nothing foreign runs anyway
  const std::string q = QemuArch(oci_arch);
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename();
    if (name == "status" || name == "register" || !IsFor(Interpreter(e.path()), q)) continue;
    if (!Enabled(e.path())) continue;
    if (!Write(e.path(), "0")) return "cannot disable binfmt handler " + name;
    changes_.push_back("disabled " + name);
  }
  return "";
}

BinfmtGuard::~BinfmtGuard() {
  for (const auto& name : registered_by_us_) Write(kDir / name, "-1");
  for (const auto& [name, enabled] : original_.handlers) {
    if (fs::exists(kDir / name) && Enabled(kDir / name) != enabled) {
      Write(kDir / name, enabled ? "1" : "0");
    }
  }
  if (original_.mounted && fs::exists(kDir / "status") &&
      Enabled(kDir / "status") != original_.enabled) {
    Write(kDir / "status", original_.enabled ? "1" : "0");
  }
  if (mounted_by_us_) ::umount(kDir.c_str());
}

}  // namespace ocibench::footprint
