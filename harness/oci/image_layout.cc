// Reading an OCI image layout: index.json → (image index →) manifest → image config.
#include <sys/utsname.h>

#include <fstream>
#include <map>
#include <optional>

#include "harness/oci/bundle.h"

namespace ocibench::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kRefAnnotation = "org.opencontainers.image.ref.name";

bool IsIndex(const std::string& media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

json ReadJson(const fs::path& p, const std::string& what) {
  std::ifstream in(p);
  if (!in) throw BundleError(what + ": cannot read " + p.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw BundleError(what + ": " + p.string() + " is not valid JSON (" + e.what() + ")");
  }
}

fs::path BlobPath(const fs::path& layout, const std::string& digest) {
  const auto colon = digest.find(':');
  if (colon == std::string::npos) throw BundleError("image layout: bad digest '" + digest + "'");
  return layout / "blobs" / digest.substr(0, colon) / digest.substr(colon + 1);
}

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array()) {
    for (const auto& v : j[key]) out.push_back(v.get<std::string>());
  }
  return out;
}

// The descriptor for `arch` among an index's manifests (linux only).
std::optional<json> PickPlatform(const json& manifests, const std::string& arch,
                                 std::string* seen) {
  for (const auto& m : manifests) {
    const json p = m.value("platform", json::object());
    const std::string a = p.value("architecture", "");
    if (!a.empty()) *seen += (seen->empty() ? "" : ", ") + a;
    if (a == arch && p.value("os", "linux") == "linux") return m;
  }
  return std::nullopt;
}

}  // namespace

std::string HostArch() {
  utsname u{};
  ::uname(&u);
  static const std::map<std::string, std::string> go = {
      {"x86_64", "amd64"},    {"aarch64", "arm64"}, {"i686", "386"},       {"armv7l", "arm"},
      {"ppc64le", "ppc64le"}, {"s390x", "s390x"},   {"riscv64", "riscv64"}};
  const auto it = go.find(u.machine);
  return it == go.end() ? u.machine : it->second;
}

ImageConfig ReadImageConfig(const fs::path& layout, const std::string& ref,
                            const std::string& arch_in) {
  const std::string arch = arch_in.empty() ? HostArch() : arch_in;
  const std::string name = layout.string() + ":" + ref;
  if (!fs::exists(layout / "index.json")) {
    throw BundleError("image layout " + layout.string() +
                      " not found (no index.json): build it with containers/build-images");
  }
  const json index = ReadJson(layout / "index.json", "image layout");
  std::vector<json> matches;
  std::string refs;
  for (const auto& m : index.value("manifests", json::array())) {
    const std::string r = m.value("annotations", json::object()).value(kRefAnnotation, "");
    refs += (refs.empty() ? "" : ", ") + r;
    if (r == ref) matches.push_back(m);
  }
  if (matches.empty()) {
    throw BundleError("image " + name + ": no such tag (the layout has: " + refs + ")");
  }
  // Either one descriptor (a manifest, or an index to pick from) or one per platform.
  json desc;
  std::string seen;
  if (matches.size() > 1) {
    const auto d = PickPlatform(json(matches), arch, &seen);
    if (!d)
      throw BundleError("image " + name + " has no linux/" + arch + " manifest (has: " + seen +
                        ")");
    desc = *d;
  } else {
    desc = matches.front();
  }
  if (IsIndex(desc.value("mediaType", ""))) {
    const json sub = ReadJson(BlobPath(layout, desc.at("digest")), "image index " + name);
    const auto d = PickPlatform(sub.value("manifests", json::array()), arch, &seen);
    if (!d)
      throw BundleError("image " + name + " has no linux/" + arch + " manifest (has: " + seen +
                        ")");
    desc = *d;
  }
  ImageConfig image;
  image.manifest_digest = desc.at("digest").get<std::string>();
  const json manifest = ReadJson(BlobPath(layout, image.manifest_digest), "manifest of " + name);
  const json config =
      ReadJson(BlobPath(layout, manifest.at("config").at("digest")), "image config of " + name);
  image.arch = config.value("architecture", "");
  if (image.arch != arch) {
    throw BundleError("image " + name + " is for " + image.arch + ", not " + arch +
                      " (pick the architecture with BundleSpec::arch)");
  }
  const json c = config.value("config", json::object());
  image.entrypoint = Strings(c, "Entrypoint");
  image.cmd = Strings(c, "Cmd");
  image.env = Strings(c, "Env");
  const auto str = [&](const char* key) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : std::string();
  };
  image.working_dir = str("WorkingDir");
  image.user = str("User");
  return image;
}

}  // namespace ocibench::oci
