// PodmanStore: the private store's directories, flags, image pulls and clean-up (also gc's).
#include "harness/engine/podman_store.h"

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/process/command.h"

namespace ocibench::engine {
namespace fs = std::filesystem;
namespace {

constexpr auto kPodmanTimeout = std::chrono::seconds(120);

// Mount points at or below `dir` (from /proc/self/mountinfo), deepest first.
std::vector<std::string> MountsBelow(const fs::path& dir) {
  std::vector<std::string> out;
  std::ifstream in("/proc/self/mountinfo");
  const std::string prefix = dir.string();
  for (std::string line; std::getline(in, line);) {
    std::istringstream w(line);
    std::string id, parent, dev, root, point;
    if (!(w >> id >> parent >> dev >> root >> point)) continue;
    if (point == prefix || point.starts_with(prefix + "/")) out.push_back(point);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

std::vector<std::string> GlobalFlags(const fs::path& root, const fs::path& state) {
  return {"--root=" + (root / "storage").string(),
          "--runroot=" + (state / "r").string(),
          "--tmpdir=" + (state / "tmp").string(),
          "--storage-driver=vfs",
          "--cgroup-manager=cgroupfs",
          "--events-backend=file"};
}

// Processes whose command line names `dir` (a killed run's `podman run`, still attached to
// its container: ocibench runs it in a process group of its own, so it outlives a SIGKILL).
void KillProcessesNaming(const fs::path& dir) {
  std::error_code ec;
  const std::string needle = dir.string() + "/";
  std::vector<pid_t> killed;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid != ::getpid() && cmdline.find(needle) != std::string::npos) {
      ::kill(pid, SIGKILL);
      killed.push_back(pid);
    }
  }
  // Up to 2 s for them to be gone (or zombies: an empty cmdline), so nothing of the store runs
  // while it is removed.
  for (int i = 0; i < 100 && !killed.empty(); ++i) {
    std::erase_if(killed, [](pid_t pid) {
      std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
      return !in || in.peek() == std::ifstream::traits_type::eof();
    });
    if (!killed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The OCI runtimes podman may have run a store's containers with, and the state root each uses
// by default: podman (as root) passes the runtime no --root, so their state is not in the store.
struct RuntimeRoot {
  const char* binary;
  const char* root;
};
constexpr RuntimeRoot kRuntimeRoots[] = {
    {"runc", "/run/runc"}, {"crun", "/run/crun"}, {"runsc", "/var/run/runsc"}};

// Whether a store key (or any name holding a run id) belongs to a run in `live`.
bool IsLive(const std::string& key, const std::set<std::string>& live) {
  return std::any_of(live.begin(), live.end(),
                     [&](const auto& id) { return key.find(id) != std::string::npos; });
}

// Containers in those roots whose bundle lies below `dir` (a store's root, or kPodmanRootDir:
// podman's bundle is <store>/storage/vfs-containers/<id>/userdata), except a live run's: what
// `podman rm` leaves when it times out or the store's database is already gone, also after the
// store's directories were removed. Deleted unless dry_run; one line each.
std::vector<std::string> RuntimeContainersBelow(const fs::path& dir, bool dry_run,
                                                const std::set<std::string>& live = {}) {
  std::vector<std::string> out;
  std::error_code ec;
  const std::string prefix = dir.string() + "/";
  for (const auto& [name, state_root] : kRuntimeRoots) {
    const std::string binary = process::FindOnPath(name);
    if (binary.empty() || !fs::is_directory(state_root, ec)) continue;
    const auto r =
        process::RunCommand({binary, std::string("--root=") + state_root, "list", "--format=json"},
                            process::WithTimeout(std::chrono::seconds(30)));
    nlohmann::json list;
    try {
      list = nlohmann::json::parse(r.ok() ? r.out : "null");
    } catch (const std::exception&) {
      continue;
    }
    if (!list.is_array()) continue;  // runc prints null when it has none
    for (const auto& c : list) {
      const std::string id = c.value("id", ""), bundle = c.value("bundle", "");
      if (id.empty() || !bundle.starts_with(prefix) || IsLive(bundle.substr(prefix.size()), live))
        continue;
      out.push_back(std::string(name) + " container " + id + " (" + state_root + ", bundle " +
                    bundle + ")");
      if (dry_run) continue;
      const auto d = process::RunCommand(
          {binary, std::string("--root=") + state_root, "delete", "--force", id},
          process::WithTimeout(std::chrono::seconds(60)));
      if (!d.ok())
        std::cerr << "ocibench: " << name << " delete " << id << ": " << d.LastLine() << "\n";
    }
  }
  return out;
}

// Containers, processes, mounts and directories of the store at (root, state); returns the
// runtime containers podman's own clean-up left (RuntimeContainersBelow).
std::vector<std::string> Clean(const fs::path& root, const fs::path& state) {
  std::error_code ec;
  KillProcessesNaming(root);
  if (fs::exists(root / "storage", ec)) {
    std::vector<std::string> argv = {process::FindOnPath("podman")};
    for (auto& f : GlobalFlags(root, state)) argv.push_back(f);
    for (const char* a : {"rm", "--all", "--force", "--time=0"}) argv.push_back(a);
    if (!argv[0].empty()) process::RunCommand(argv, process::WithTimeout(kPodmanTimeout));
  }
  auto left = RuntimeContainersBelow(root, false);
  for (const fs::path& d : {root, state}) {
    for (const auto& m : MountsBelow(d)) ::umount2(m.c_str(), MNT_DETACH);
    fs::remove_all(d, ec);
  }
  return left;
}

}  // namespace

std::string PodmanUnusable() {
  if (process::FindOnPath("podman").empty())
    return "podman not found on PATH (install Debian's podman)";
  if (process::FindOnPath("conmon").empty())
    return "conmon not found on PATH (install Debian's conmon)";
  return "";
}

std::string PodmanVersion() {
  const auto r =
      process::RunCommand({"podman", "--version"}, process::WithTimeout(std::chrono::seconds(10)));
  if (!r.ok()) return "";
  std::string v = r.out.substr(0, r.out.find('\n'));
  if (const auto p = v.find(" version "); p != std::string::npos) v.erase(p, 8);  // podman 4.3.1
  return v;
}

PodmanStore::PodmanStore(const std::string& key)
    : root_(fs::path(kPodmanRootDir) / key), state_(fs::path(kPodmanStateDir) / key) {
  Clean(root_, state_);
  std::error_code ec;
  if ((state_ / "r").string().size() > 50)  // podman refuses a longer runroot
    throw std::runtime_error("podman store: runroot " + (state_ / "r").string() +
                             " is longer than podman's 50 characters");
  for (const fs::path& d : {root_ / "storage", state_ / "r", state_ / "tmp"}) {
    fs::create_directories(d, ec);
    if (ec)
      throw std::runtime_error("podman store: cannot create " + d.string() + ": " + ec.message());
  }
}

PodmanStore::~PodmanStore() {
  Clean(root_, state_);
  for (const char* dir : {kPodmanRootDir, kPodmanStateDir}) ::rmdir(dir);  // when empty
}

std::vector<std::string> PodmanStore::Argv(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {process::FindOnPath("podman")};
  for (auto& f : GlobalFlags(root_, state_)) argv.push_back(f);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::vector<std::string> PodmanStore::RunArgv(const PodmanRunSpec& spec) const {
  std::vector<std::string> args;
  std::vector<std::string> flags = spec.runtime_flags;
  if (spec.runsc && std::none_of(flags.begin(), flags.end(),
                                 [](const auto& f) { return f.starts_with("network"); }))
    flags.push_back("network=" + RunscNetwork(spec.network));
  for (const auto& f : flags) args.push_back("--runtime-flag=" + f);
  for (auto& a : RunArgs(spec)) args.push_back(a);
  return Argv(args);
}

std::string PodmanStore::Pull(const fs::path& layout, const std::string& tag) {
  const auto r = process::RunCommand(
      Argv({"pull", "--quiet", "oci:" + fs::absolute(layout).string() + ":" + tag}),
      process::WithTimeout(kPodmanTimeout));
  std::string id = r.out.substr(0, r.out.find('\n'));
  if (!r.ok() || id.empty())
    throw std::runtime_error("podman pull oci:" + layout.string() + ":" + tag + ": " +
                             (r.started ? r.LastLine() : r.start_error));
  return id;
}

void PodmanStore::Remove(const std::string& name) const {
  process::RunCommand(Argv({"rm", "--force", "--time=0", name}),
                      process::WithTimeout(kPodmanTimeout));
}

std::vector<std::string> CleanupPodmanLeftovers(bool dry_run, const std::set<std::string>& live) {
  std::vector<std::string> out;
  std::error_code ec;
  std::set<std::string> keys;
  for (const char* dir : {kPodmanRootDir, kPodmanStateDir})
    for (const auto& d : fs::directory_iterator(dir, ec)) keys.insert(d.path().filename().string());
  for (const auto& key : keys) {
    if (IsLive(key, live)) continue;
    const fs::path root = fs::path(kPodmanRootDir) / key;
    out.push_back("podman store " + root.string());
    if (dry_run) continue;
    const auto left = Clean(root, fs::path(kPodmanStateDir) / key);
    out.insert(out.end(), left.begin(), left.end());
  }
  // Runtime containers of stores whose directories are already gone (all of them: dry run).
  const auto rest = RuntimeContainersBelow(kPodmanRootDir, dry_run, live);
  out.insert(out.end(), rest.begin(), rest.end());
  if (!dry_run)
    for (const char* dir : {kPodmanRootDir, kPodmanStateDir}) ::rmdir(dir);
  return out;
}

}  // namespace ocibench::engine
