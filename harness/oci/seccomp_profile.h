// The common default seccomp profile (the one docker and podman apply), as an OCI
// runtime-spec `linux.seccomp` object.
//
// Not hand-written: it is converted from containers-common's /usr/share/containers/seccomp.json
// (Debian golang-github-containers-common, installed with buildah), which is in the moby
// profile format: rules carry includes/excludes by capability and architecture, resolved here
// for the container's capability set and the host's architecture (a foreign-arch image under
// qemu-user still makes host-arch system calls).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ocibench::oci {

inline constexpr const char* kDefaultSeccompProfile = "/usr/share/containers/seccomp.json";

// caps: "CAP_CHOWN", …; arch: GOARCH name ("amd64", "arm64"). Throws BundleError (bundle.h)
// when the profile is missing or malformed.
nlohmann::json SeccompFromProfile(const nlohmann::json& moby_profile,
                                  const std::vector<std::string>& caps, const std::string& arch);
nlohmann::json DefaultSeccomp(const std::vector<std::string>& caps, const std::string& arch,
                              const std::filesystem::path& profile = kDefaultSeccompProfile);

}  // namespace ocibench::oci
