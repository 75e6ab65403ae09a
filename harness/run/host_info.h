// What run.json says about the host.
#pragma once

#include <nlohmann/json.hpp>

namespace ocibench::run {
nlohmann::json HostInfo();
int HostCpus();
std::uint64_t HostMemBytes();
// The clock in UTC, as strftime formats it (default: run.json's "2026-12-01T15:40:10Z").
std::string UtcNow(const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace ocibench::run
