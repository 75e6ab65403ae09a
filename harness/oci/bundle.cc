// MakeBundle: rootfs from `umoci unpack` (cached per manifest digest) + config.json.
#include "harness/oci/bundle.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "harness/process/command.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RandomSuffix() {
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(rd());
}

// Not process::WriteFileAtomic: several runs may write the same image layout at once, so each
// writer takes a tmp name of its own.
void WriteFileAtomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp-" + RandomSuffix();
  {
    std::ofstream out(tmp);
    out << text;
    if (!out.flush()) throw BundleError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// umoci unpacks by tag; a multi-arch index cannot be unpacked directly. So a one-manifest
// layout is made next to the target, sharing the image's blobs through a symlink.
void Unpack(const BundleSpec& spec, const ImageConfig& image, const fs::path& dest) {
  const fs::path work = dest.string() + ".layout";
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path blobs = fs::absolute(spec.image_layout / "blobs");
  fs::create_directory_symlink(blobs, work / "blobs");
  const fs::path manifest = blobs / "sha256" / image.manifest_digest.substr(7);
  const json index = {{"schemaVersion", 2},
                      {"manifests",
                       {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"digest", image.manifest_digest},
                         {"size", fs::file_size(manifest)},
                         {"annotations", {{"org.opencontainers.image.ref.name", "ocibench"}}}}}}};
  WriteFileAtomically(work / "index.json", index.dump());
  WriteFileAtomically(work / "oci-layout", json{{"imageLayoutVersion", "1.0.0"}}.dump());
  const std::vector<std::string> argv = {"umoci", "unpack", "--image",
                                         (work.string() + ":ocibench"), dest.string()};
  const process::CommandResult r =
      process::RunCommand(argv, process::WithTimeout(std::chrono::minutes(5)));
  fs::remove_all(work);
  if (!r.ok()) {
    throw BundleError("umoci unpack of " + spec.image_layout.string() + ":" + spec.image_ref +
                      " failed: " + (r.timed_out ? "timed out" : r.LastLine()) +
                      (r.started ? "" : " (install umoci: scripts/install-deps)"));
  }
}

void CopyTree(const fs::path& from, const fs::path& to) {
  // cp -a keeps owners, modes, links and special files exactly (std::filesystem::copy does not).
  const process::CommandResult r =
      process::RunCommand({"cp", "-a", "--reflink=auto", from.string(), to.string()});
  if (!r.ok()) throw BundleError("copying the rootfs " + from.string() + ": " + r.LastLine());
}

}  // namespace

ImageUser ParseImageUser(const ImageConfig& image) {
  if (image.user.empty()) return {};
  const auto colon = image.user.find(':');
  const std::string u = image.user.substr(0, colon);
  const std::string g = colon == std::string::npos ? u : image.user.substr(colon + 1);
  try {
    size_t end_u = 0, end_g = 0;
    const unsigned long uid = std::stoul(u, &end_u);
    const unsigned long gid = std::stoul(g, &end_g);
    if (end_u != u.size() || end_g != g.size() || uid > 0xfffffffeul || gid > 0xfffffffeul)
      throw std::invalid_argument("not numeric");
    return {static_cast<unsigned>(uid), static_cast<unsigned>(gid)};
  } catch (const std::exception&) {
    throw BundleError("image user '" + image.user +
                      "' is not numeric uid[:gid]; ocibench images use numeric users");
  }
}

void GiveToContainerUser(const fs::path& dir, const ImageUser& user) {
  if (::chown(dir.c_str(), user.uid, user.gid) != 0)
    throw BundleError("cannot give " + dir.string() + " to uid " + std::to_string(user.uid) + ": " +
                      std::strerror(errno));
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) throw BundleError("cannot make " + dir.string() + " mode 0700: " + ec.message());
}

Bundle MakeBundle(const BundleSpec& spec, const fs::path& dir) {
  Bundle b;
  b.dir = fs::absolute(dir);
  b.image = ReadImageConfig(spec.image_layout, spec.image_ref, spec.arch);
  b.config = MakeRuntimeConfig(spec, b.image, &b.notes);

  std::error_code ec;
  if (fs::exists(b.dir) && !fs::is_empty(b.dir, ec)) {
    throw BundleError("bundle directory " + b.dir.string() + " exists and is not empty");
  }
  fs::create_directories(b.dir.parent_path());
  const std::string hex = b.image.manifest_digest.substr(b.image.manifest_digest.find(':') + 1);
  if (spec.rootfs_cache.empty()) {
    fs::remove(b.dir, ec);
    Unpack(spec, b.image, b.dir);
  } else {
    const fs::path cached = spec.rootfs_cache / hex;
    if (!fs::exists(cached / "rootfs")) {
      fs::create_directories(spec.rootfs_cache);
      const fs::path tmp = spec.rootfs_cache / (hex + ".tmp-" + RandomSuffix());
      Unpack(spec, b.image, tmp);
      // Another process may have won the race; theirs is as good as ours.
      fs::rename(tmp, cached, ec);
      if (ec) fs::remove_all(tmp);
    }
    fs::create_directories(b.dir);
    CopyTree(cached / "rootfs", b.dir / "rootfs");
  }
  // Mount points, so that a read-only rootfs needs no change at run time.
  for (const char* d : {kResultsPath, kScratchPath, "/tmp"}) {
    fs::create_directories(b.dir / "rootfs" / fs::path(d).relative_path());
  }
  // The scratch is the container user's alone, and the bundle (whose rootfs/tmp is 1777) is
  // root's alone: no other local user reaches into a running container's files.
  const ImageUser user = ParseImageUser(b.image);
  if (spec.scratch.kind == ScratchKind::kTmpfs) {
    // runc chmods a tmpfs to its mount point's mode (over the mount's mode=1777): the mount
    // point stays 1777, like the bundle's rootfs/tmp, inside the 0700 bundle directory.
    fs::permissions(b.dir / "rootfs" / "scratch", fs::perms::all | fs::perms::sticky_bit);
  } else {
    GiveToContainerUser(b.dir / "rootfs" / "scratch", user);
  }
  if (!spec.results_dir.empty()) GiveToContainerUser(spec.results_dir, user);
  if (spec.scratch.kind == ScratchKind::kBind && !spec.scratch.host_dir.empty())
    GiveToContainerUser(spec.scratch.host_dir, user);
  fs::permissions(b.dir, fs::perms::owner_all);
  // umoci's own config.json and mtree manifests (uncached path) are replaced or unneeded.
  for (const auto& entry : fs::directory_iterator(b.dir)) {
    if (entry.path().extension() == ".mtree" || entry.path().filename() == "umoci.json") {
      fs::remove(entry.path());
    }
  }
  WriteFileAtomically(b.dir / "config.json", b.config.dump(2));
  return b;
}

void RemoveBundle(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) throw BundleError("cannot remove bundle " + dir.string() + ": " + ec.message());
}

}  // namespace ocibench::oci
