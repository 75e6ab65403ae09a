// Seccomp profiles: choosing one (seccomp = "…") and converting moby's format to the OCI spec's.
#include "harness/oci/seccomp_profile.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "harness/oci/bundle.h"

namespace ocibench::oci {
namespace {

using nlohmann::json;

bool Contains(const json& list, const std::string& s) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const json& v) { return v == s; });
}

// moby's rule filters: every capability in includes must be held, none in excludes;
// the architecture must be in includes (if any) and not in excludes.
bool RuleApplies(const json& rule, const std::vector<std::string>& caps, const std::string& arch) {
  const auto has_cap = [&](const json& c) {
    return std::find(caps.begin(), caps.end(), c.get<std::string>()) != caps.end();
  };
  const json inc = rule.value("includes", json::object());
  const json exc = rule.value("excludes", json::object());
  if (inc.contains("arches") && !inc["arches"].empty() && !Contains(inc["arches"], arch))
    return false;
  if (exc.contains("arches") && Contains(exc["arches"], arch)) return false;
  if (inc.contains("caps")) {
    for (const auto& c : inc["caps"]) {
      if (!has_cap(c)) return false;
    }
  }
  if (exc.contains("caps")) {
    for (const auto& c : exc["caps"]) {
      if (has_cap(c)) return false;
    }
  }
  return true;
}

std::string ScmpArch(const std::string& arch) {
  static const std::map<std::string, std::string> names = {
      {"amd64", "SCMP_ARCH_X86_64"},    {"arm64", "SCMP_ARCH_AARCH64"},
      {"386", "SCMP_ARCH_X86"},         {"arm", "SCMP_ARCH_ARM"},
      {"ppc64le", "SCMP_ARCH_PPC64LE"}, {"s390x", "SCMP_ARCH_S390X"},
      {"riscv64", "SCMP_ARCH_RISCV64"}, {"mips64le", "SCMP_ARCH_MIPSEL64"}};
  const auto it = names.find(arch);
  if (it == names.end())
    throw BundleError("seccomp: no seccomp architecture known for '" + arch +
                      "'; turn seccomp off for this host");
  return it->second;
}

}  // namespace

json SeccompFromProfile(const json& profile, const std::vector<std::string>& caps,
                        const std::string& arch) {
  if (!profile.is_object() || !profile.contains("defaultAction") || !profile.contains("syscalls")) {
    throw BundleError(
        "seccomp: the profile has no defaultAction/syscalls (not a moby-format profile)");
  }
  json out = {{"defaultAction", profile["defaultAction"]}};
  if (profile.contains("defaultErrnoRet") && !profile["defaultErrnoRet"].is_null()) {
    out["defaultErrnoRet"] = profile["defaultErrnoRet"];
  }
  const std::string main = ScmpArch(arch);
  json arches = json::array({main});
  for (const auto& m : profile.value("archMap", json::array())) {
    if (m.value("architecture", "") == main) {
      for (const auto& sub : m.value("subArchitectures", json::array())) arches.push_back(sub);
    }
  }
  out["architectures"] = arches;
  json syscalls = json::array();
  for (const auto& rule : profile["syscalls"]) {
    if (!RuleApplies(rule, caps, arch)) continue;
    json s = {{"names", rule.at("names")}, {"action", rule.at("action")}};
    if (rule.contains("errnoRet") && !rule["errnoRet"].is_null()) s["errnoRet"] = rule["errnoRet"];
    if (rule.contains("args") && rule["args"].is_array() && !rule["args"].empty()) {
      json args = json::array();
      for (const auto& a : rule["args"]) {
        args.push_back({{"index", a.at("index")},
                        {"value", a.at("value")},
                        {"valueTwo", a.value("valueTwo", 0)},
                        {"op", a.at("op")}});
      }
      s["args"] = args;
    }
    syscalls.push_back(std::move(s));
  }
  out["syscalls"] = syscalls;
  return out;
}

SeccompChoice ResolveSeccomp(const std::string& choice) {
  namespace fs = std::filesystem;
  const auto need = [&](const char* path, const char* package) {
    if (!fs::exists(path))
      throw BundleError("seccomp = \"" + choice + "\": " + path + " not found; install Debian's " +
                        package + ", or choose another profile");
    return SeccompChoice{choice, path};
  };
  if (choice == "unconfined") return {choice, {}};
  if (choice == "docker") return need(kDockerSeccompProfile, "golang-github-docker-docker-dev");
  if (choice == "containers-common")
    return need(kContainersCommonSeccompProfile, "golang-github-containers-common");
  if (choice == "default") {
    // Docker's own profile when installed; else containers-common's (podman's, nearly the
    // same rules). run.json records which file was read.
    if (fs::exists(kDockerSeccompProfile)) return {choice, kDockerSeccompProfile};
    return need(kContainersCommonSeccompProfile,
                "golang-github-docker-docker-dev (Docker's default profile)");
  }
  if (!choice.empty() && choice.front() == '/') {
    if (!fs::is_regular_file(choice))
      throw BundleError("seccomp = \"" + choice + "\": no such file (a moby-format profile)");
    return {choice, choice};
  }
  throw BundleError("seccomp = \"" + choice +
                    "\": must be \"default\", \"docker\", \"containers-common\", "
                    "\"unconfined\" or an absolute path to a profile");
}

json DefaultSeccomp(const std::vector<std::string>& caps, const std::string& arch,
                    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw BundleError("seccomp: " + path.string() +
                      " not found; install the Debian package that ships it "
                      "(golang-github-docker-docker-dev or golang-github-containers-common), "
                      "or set seccomp = \"unconfined\"");
  }
  json profile;
  try {
    profile = json::parse(in);
  } catch (const json::exception& e) {
    throw BundleError("seccomp: " + path.string() + " is not valid JSON: " + e.what());
  }
  return SeccompFromProfile(profile, caps, arch);
}

}  // namespace ocibench::oci
