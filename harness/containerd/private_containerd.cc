// PrivateContainerd: config, start, image import, `ctr run` argv, and the cleanup of containers,
// shims, mounts and directories (also for `ocibench gc`).
#include "harness/containerd/private_containerd.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/process/command.h"
#include "harness/process/proc.h"

namespace ocibench::containerd {
namespace fs = std::filesystem;
namespace {

// Shims started by the containerd listening on `address` (their argv has -address <address>).
std::vector<pid_t> ShimsOf(const std::string& address) {
  std::vector<pid_t> out;
  for (pid_t pid : process::ListPids()) {
    const auto argv = process::Cmdline(pid);
    if (argv.empty() || !fs::path(argv[0]).filename().string().starts_with("containerd-shim"))
      continue;
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
      if ((argv[i] == "-address" || argv[i] == "--address") && argv[i + 1] == address)
        out.push_back(pid);
  }
  return out;
}

// The unix socket files `pid` has open (a shim's listening socket lives in /run/containerd/s,
// a path containerd 1.6 does not let us choose; after a SIGKILL only we know which are ours).
std::vector<fs::path> SocketFilesOf(pid_t pid) {
  std::set<std::string> inodes;
  std::error_code ec;
  for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (target.starts_with("socket:[")) inodes.insert(target.substr(8, target.size() - 9));
  }
  std::vector<fs::path> out;
  std::ifstream in("/proc/net/unix");
  std::string line;
  std::getline(in, line);  // header: Num RefCount Protocol Flags Type St Inode Path
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string num, ref, proto, flags, type, st, inode, path;
    if (!(f >> num >> ref >> proto >> flags >> type >> st >> inode)) continue;
    if (f >> path && inodes.count(inode) && path.starts_with("/run/containerd/s/"))
      out.push_back(path);
  }
  return out;
}

// Mount points at or under `prefix`, deepest first (/proc/self/mountinfo, octal escapes undone).
std::vector<std::string> MountsUnder(const fs::path& prefix) {
  std::vector<std::string> out;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  const std::string p = prefix.string();
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mnt;
    if (!(f >> id >> parent >> dev >> root >> mnt)) continue;
    std::string un;
    for (std::size_t i = 0; i < mnt.size(); ++i) {
      if (mnt[i] == '\\' && i + 3 < mnt.size()) {
        un += static_cast<char>(std::stoi(mnt.substr(i + 1, 3), nullptr, 8));
        i += 3;
      } else {
        un += mnt[i];
      }
    }
    if (un == p || un.starts_with(p + "/")) out.push_back(un);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

void KillAndWait(pid_t pid) {
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) {
    // Our own child is reaped by ChildProcess; others (reparented shims) by their new parent.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (process::IsZombie(pid)) break;
  }
}

// Kills the shims of `address`, removes their sockets; unmounts and removes `dirs`.
// Returns what it found.
std::vector<std::string> SweepRun(const std::string& address, const std::vector<fs::path>& dirs,
                                  bool dry_run) {
  std::vector<std::string> found;
  for (pid_t shim : ShimsOf(address)) {
    found.push_back(fmt::format("containerd shim pid {} ({})", shim, address));
    if (dry_run) continue;
    const auto sockets = SocketFilesOf(shim);
    KillAndWait(shim);
    std::error_code ec;
    for (const auto& s : sockets) fs::remove(s, ec);
  }
  for (const auto& d : dirs) {
    for (const auto& m : MountsUnder(d)) {
      found.push_back("mount " + m);
      if (!dry_run) ::umount2(m.c_str(), MNT_DETACH);
    }
    std::error_code ec;
    if (fs::exists(d, ec)) {
      found.push_back("directory " + d.string());
      if (!dry_run) fs::remove_all(d, ec);
    }
  }
  return found;
}

// What the runc shim and ctr keep in containerd's fixed /run/containerd (only empty
// directories are removed: a system containerd may be using it).
void TidyRunContainerd() {
  std::error_code ec;
  const fs::path runc_ns = fs::path("/run/containerd/runc") / kContainerdNamespace;
  if (fs::is_directory(runc_ns, ec))
    for (const auto& e : fs::directory_iterator(runc_ns, ec))
      if (e.path().filename().string().starts_with("ocibench-")) {
        // runc's state.json of a container whose processes are gone (killed with its cgroup).
        const std::string s = process::ReadSmallFile(e.path() / "state.json");
        std::smatch m;
        if (std::regex_search(s, m, std::regex("\"init_process_pid\":([0-9]+)")) &&
            ::kill(std::stoi(m[1]), 0) == 0)
          continue;
        fs::remove_all(e.path(), ec);
      }
  for (const char* d : {"/run/containerd/s", "/run/containerd/fifo", runc_ns.c_str(),
                        "/run/containerd/runc", "/run/containerd"})
    ::rmdir(d);
}

}  // namespace

std::string ShimBinaryName(const std::string& shim) {
  static const std::regex re(R"(io\.containerd\.([a-z0-9_-]+)\.(v[0-9]+))");
  std::smatch m;
  if (!std::regex_match(shim, m, re)) return "";
  return "containerd-shim-" + m[1].str() + "-" + m[2].str();
}

std::string CheckCtrRunFlags(const std::string& ctr) {
  const auto r =
      process::RunCommand({ctr, "run", "--help"}, process::WithTimeout(std::chrono::seconds(10)));
  const std::string help = r.out + r.err;
  for (const char* flag : {"--cpus", "--memory-limit", "--cgroup", "--mount", "--runtime"})
    if (help.find(flag) == std::string::npos)
      return fmt::format("`{} run` has no {} flag (containerd ≥ 1.5 needed)", ctr, flag);
  return "";
}

PrivateContainerd::PrivateContainerd(const std::string& run_id) {
  ctr_ = process::FindOnPath("ctr");
  const std::string containerd = process::FindOnPath("containerd");
  if (ctr_.empty() || containerd.empty())
    throw std::runtime_error(
        "containerd: ctr or containerd not found on PATH (install Debian's containerd)");
  dir_ = fs::path(kContainerdDir) / run_id;
  root_ = fs::path(kContainerdRootDir) / run_id;
  address_ = (dir_ / "containerd.sock").string();
  if (address_.size() > 100)
    throw std::runtime_error("containerd: socket path too long: " + address_);
  // A run of the same name killed earlier: clear what it left first.
  SweepRun(address_, {dir_, root_}, false);
  fs::create_directories(dir_ / "fifo");
  fs::create_directories(root_);
  // The generated config: nothing but this run's paths; the CRI plugin (Kubernetes) and the
  // /opt/containerd plugin are off. cgroups: none of containerd's own; each container gets
  // the cell's cgroupsPath from `ctr run --cgroup`, which runc creates in the v1 cpu and
  // memory hierarchies of a v1/hybrid host (containerd 1.6 treats hybrid as v1), or in v2.
  const fs::path config = dir_ / "config.toml";
  std::ofstream(config) << "version = 2\n"
                        << "root = \"" << root_.string() << "\"\n"
                        << "state = \"" << (dir_ / "state").string() << "\"\n"
                        << "oom_score = 0\n"
                        << "disabled_plugins = [\"io.containerd.grpc.v1.cri\", "
                           "\"io.containerd.internal.v1.opt\"]\n"
                        << "[grpc]\n  address = \"" << address_ << "\"\n"
                        << "[ttrpc]\n  address = \"" << address_ << ".ttrpc\"\n"
                        << "[debug]\n  address = \"\"\n  level = \"warn\"\n"
                        << "[metrics]\n  address = \"\"\n"
                        << "[cgroup]\n  path = \"\"\n";
  const fs::path log = dir_ / "containerd.log";
  process_ = std::make_unique<process::ChildProcess>(
      std::vector<std::string>{containerd, "--config", config.string(), "--root", root_.string(),
                               "--state", (dir_ / "state").string(), "--address", address_},
      log.string());
  std::ofstream(dir_ / "containerd.pid") << process_->pid() << "\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const auto v = process::RunCommand({ctr_, "--address", address_, "version"},
                                       process::WithTimeout(std::chrono::seconds(10)));
    if (v.ok()) {
      std::istringstream s(v.out);
      for (std::string line; std::getline(s, line);)
        if (line.find("Version:") != std::string::npos) {
          version_ = line.substr(line.find(':') + 1);
          version_.erase(0, version_.find_first_not_of(" \t"));
        }
      break;
    }
    if (!process_->Running()) {
      const std::string why =
          process_->ExitDescription("containerd", process::LastLine(log.string()));
      Shutdown();
      throw std::runtime_error(why);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      const std::string why = "containerd: did not answer on " + address_ +
                              " within 30 s: " + process::LastLine(log.string());
      Shutdown();
      throw std::runtime_error(why);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto help = process::RunCommand({ctr_, "run", "--help"});
  has_seccomp_flag_ = help.out.find("--seccomp ") != std::string::npos ||
                      help.out.find("--seccomp\t") != std::string::npos;
  has_fifo_dir_flag_ = help.out.find("--fifo-dir") != std::string::npos;
}

PrivateContainerd::~PrivateContainerd() { Shutdown(); }

std::vector<std::string> PrivateContainerd::Ctr(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {ctr_, "--address", address_, "--namespace",
                                   kContainerdNamespace};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void PrivateContainerd::Import(const fs::path& layout) {
  const fs::path tar = dir_ / "images.tar";
  auto r = process::RunCommand({"tar", "-C", layout.string(), "-cf", tar.string(), "."},
                               process::WithTimeout(std::chrono::seconds(120)));
  if (!r.ok())
    throw std::runtime_error("containerd: tar of " + layout.string() + ": " + r.LastLine());
  r = process::RunCommand(Ctr({"image", "import", "--all-platforms", "--base-name",
                               kContainerdImageBase, tar.string()}),
                          process::WithTimeout(std::chrono::seconds(300)));
  std::error_code ec;
  fs::remove(tar, ec);
  if (!r.ok()) throw std::runtime_error("containerd: ctr image import: " + r.LastLine());
  const auto list = process::RunCommand(Ctr({"image", "ls", "-q"}));
  if (list.out.find(std::string(kContainerdImageBase) + ":bench") == std::string::npos)
    throw std::runtime_error(std::string("containerd: the import did not give ") +
                             kContainerdImageBase + ":bench (got: " + list.out + ")");
}

std::vector<std::string> PrivateContainerd::RunArgv(const CtrRunSpec& s) const {
  std::vector<std::string> a = {"run", "--rm", "--runtime", s.shim};
  if (s.cpus > 0) a.insert(a.end(), {"--cpus", fmt::format("{}", s.cpus)});
  if (s.memory_bytes > 0) a.insert(a.end(), {"--memory-limit", std::to_string(s.memory_bytes)});
  if (!s.cgroup.empty()) a.insert(a.end(), {"--cgroup", s.cgroup});
  // containerd's default seccomp profile (docker's), like the OCI bundles' default.
  if (has_seccomp_flag_) a.push_back("--seccomp");
  if (has_fifo_dir_flag_) a.insert(a.end(), {"--fifo-dir", (dir_ / "fifo").string()});
  if (s.host_network) a.push_back("--net-host");
  if (!s.netns_path.empty()) a.insert(a.end(), {"--with-ns", "network:" + s.netns_path});
  for (const auto& e : s.env) a.insert(a.end(), {"--env", e});
  for (const auto& m : s.mounts) a.insert(a.end(), {"--mount", m});
  if (!s.cwd.empty()) a.insert(a.end(), {"--cwd", s.cwd});
  if (!s.rootfs.empty())
    a.insert(a.end(), {"--rootfs", "--read-only", s.rootfs});
  else
    a.push_back(std::string(kContainerdImageBase) + ":" + s.image_tag);
  a.push_back(s.id);
  a.insert(a.end(), s.args.begin(), s.args.end());
  return Ctr(a);
}

void PrivateContainerd::RemoveContainer(const std::string& id) const {
  const auto t = process::WithTimeout(std::chrono::seconds(30));
  process::RunCommand(Ctr({"task", "kill", "--signal", "SIGKILL", id}), t);
  for (int i = 0; i < 50; ++i) {
    const auto r = process::RunCommand(Ctr({"task", "delete", "--force", id}), t);
    if (r.ok() || r.err.find("not found") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  process::RunCommand(Ctr({"container", "delete", id}), t);
}

std::vector<pid_t> PrivateContainerd::ShimPids() const { return ShimsOf(address_); }

void PrivateContainerd::Shutdown() noexcept {
  try {
    if (process_ && process_->Running()) {
      const auto list = process::RunCommand(Ctr({"container", "ls", "-q"}),
                                            process::WithTimeout(std::chrono::seconds(30)));
      std::istringstream ids(list.out);
      for (std::string id; std::getline(ids, id);)
        if (!id.empty()) RemoveContainer(id);
    }
    if (process_) process_->Stop(std::chrono::seconds(10));
    process_.reset();
    SweepRun(address_, {dir_, root_}, false);
    TidyRunContainerd();
    ::rmdir(kContainerdDir);
    ::rmdir(kContainerdRootDir);
  } catch (...) {
  }
}

std::vector<std::string> CleanupContainerdLeftovers(bool dry_run,
                                                    const std::set<std::string>& live) {
  std::vector<std::string> found;
  std::error_code ec;
  if (fs::is_directory(kContainerdDir, ec)) {
    for (const auto& e : fs::directory_iterator(kContainerdDir, ec)) {
      const fs::path dir = e.path();
      if (live.count(dir.filename().string())) continue;
      const std::string address = (dir / "containerd.sock").string();
      pid_t pid = 0;
      std::ifstream(dir / "containerd.pid") >> pid;
      const auto argv = pid > 0 ? process::Cmdline(pid) : std::vector<std::string>{};
      if (!argv.empty() && std::find(argv.begin(), argv.end(), address) != argv.end()) {
        found.push_back(fmt::format("containerd pid {} ({})", pid, address));
        if (!dry_run) KillAndWait(pid);
      }
      for (auto& f :
           SweepRun(address, {dir, fs::path(kContainerdRootDir) / dir.filename()}, dry_run))
        found.push_back(f);
    }
  }
  // Roots whose state directory was gone already (swept above otherwise).
  if (fs::is_directory(kContainerdRootDir, ec))
    for (const auto& e : fs::directory_iterator(kContainerdRootDir, ec))
      if (!live.count(e.path().filename().string()) &&
          !fs::exists(fs::path(kContainerdDir) / e.path().filename(), ec))
        for (auto& f : SweepRun("", {e.path()}, dry_run)) found.push_back(f);
  if (!dry_run) {
    TidyRunContainerd();
    ::rmdir(kContainerdDir);
    ::rmdir(kContainerdRootDir);
  }
  return found;
}

}  // namespace ocibench::containerd
