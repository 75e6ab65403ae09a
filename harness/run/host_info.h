// What run.json says about the host.
#pragma once

#include <nlohmann/json.hpp>

namespace ocibench::run {
nlohmann::json HostInfo();
int HostCpus();
std::uint64_t HostMemBytes();
}  // namespace ocibench::run
