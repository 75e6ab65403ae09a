// The host-rootfs bundle of `ocibench profile --verify` (host_bundle.h).
#include "harness/verify/host_bundle.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace ocibench::verify {
namespace fs = std::filesystem;

HostTree ReadHostTree(const fs::path& root) {
  HostTree t;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string name = e.path().filename().string();
    if (std::find(kNotFromHost.begin(), kNotFromHost.end(), name) != kNotFromHost.end()) continue;
    if (e.is_symlink(ec)) {
      t.symlinks.emplace_back(name, fs::read_symlink(e.path(), ec).string());
    } else if (e.is_directory(ec)) {
      t.binds.push_back({e.path(), "/" + name, true});
    }
  }
  std::sort(t.binds.begin(), t.binds.end(),
            [](const auto& a, const auto& b) { return a.container < b.container; });
  return t;
}

namespace {

// The cwd if a bound directory holds it (else the container could not chdir there).
std::string ContainerCwd(const fs::path& cwd, const HostTree& tree) {
  const std::string c = cwd.lexically_normal().string();
  for (const auto& b : tree.binds)
    if (c == b.container || c.starts_with(b.container + "/")) return c;
  return "/";
}

}  // namespace

nlohmann::json MakeHostBundle(const HostBundleSpec& spec, const fs::path& dir,
                              const HostTree& tree) {
  oci::BundleSpec b;
  b.image_ref = "host";
  b.args = spec.argv;
  b.env = spec.env;
  b.hostname = "ocibench-verify";
  b.cgroups_path = spec.cgroups_path;
  b.binds = tree.binds;
  b.readonly_rootfs = true;
  b.scratch = {ScratchKind::kTmpfs, {}, "64m"};  // keeps the (empty) rootfs read-only
  b.seccomp_profile = spec.seccomp_profile;
  oci::ImageConfig image;
  image.arch = oci::HostArch();
  image.manifest_digest = "host";
  image.working_dir = ContainerCwd(spec.cwd, tree);
  image.user = std::to_string(::getuid()) + ":" + std::to_string(::getgid());
  nlohmann::json config = oci::MakeRuntimeConfig(b, image);

  std::error_code ec;
  fs::create_directories(dir / "rootfs", ec);
  if (ec) throw oci::BundleError("verify: cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  for (const auto& [name, target] : tree.symlinks)
    fs::create_symlink(target, dir / "rootfs" / name, ec);
  // Every mount point made beforehand, so no runtime has to create one in the read-only root.
  for (const auto& m : config["mounts"])
    fs::create_directories(
        dir / "rootfs" / fs::path(m["destination"].get<std::string>()).relative_path(), ec);
  std::ofstream out(dir / "config.json");
  out << config.dump(2);
  if (!out.flush())
    throw oci::BundleError("verify: cannot write " + (dir / "config.json").string());
  return config;
}

}  // namespace ocibench::verify
