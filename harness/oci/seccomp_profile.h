// The seccomp profile of a bundle, as an OCI runtime-spec `linux.seccomp` object: Docker's own
// default profile (the default), containers-common's (podman's), a file, or none.
//
// Not hand-written: profiles are read in the moby profile format (rules carry includes/excludes
// by capability and architecture), resolved here for the container's capability set and the
// host's architecture (a foreign-arch image under qemu-user still makes host-arch system calls).
// Docker's default.json is moby's profiles/seccomp/default.json as Debian ships it in
// golang-github-docker-docker-dev; containers-common's is /usr/share/containers/seccomp.json
// (golang-github-containers-common, installed with buildah).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ocibench::oci {

inline constexpr const char* kDockerSeccompProfile =
    "/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json";
inline constexpr const char* kContainersCommonSeccompProfile = "/usr/share/containers/seccomp.json";
// Kept for callers of the old name: containers-common's profile.
inline constexpr const char* kDefaultSeccompProfile = kContainersCommonSeccompProfile;

// What a runtime entry's `seccomp = "…"` says: "default" (Docker's profile, or containers-
// common's when Docker's is not installed: `profile` says which was used), "docker",
// "containers-common", "unconfined" (no filter) or an absolute path to a moby-format profile.
struct SeccompChoice {
  std::string choice = "default";  // as written in the config
  std::filesystem::path profile;   // the file read; empty = unconfined
  bool unconfined() const { return profile.empty(); }
};

// Resolves a choice. Throws BundleError (bundle.h) naming the choice and what to do when it is
// unknown or its file is missing.
SeccompChoice ResolveSeccomp(const std::string& choice);

// caps: "CAP_CHOWN", …; arch: GOARCH name ("amd64", "arm64"). Throws BundleError (bundle.h)
// when the profile is missing or malformed.
nlohmann::json SeccompFromProfile(const nlohmann::json& moby_profile,
                                  const std::vector<std::string>& caps, const std::string& arch);
// The profile in file `profile` (moby format) converted; throws BundleError when it is missing.
nlohmann::json DefaultSeccomp(const std::vector<std::string>& caps, const std::string& arch,
                              const std::filesystem::path& profile);

}  // namespace ocibench::oci
