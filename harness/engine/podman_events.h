// A container's lifecycle from podman's own events (the file backend's JSON lines): create
// (podman's database), init (the OCI runtime's create done), start, died and remove.
#pragma once

#include <filesystem>
#include <string>

namespace ocibench::engine {

// Milliseconds between podman's events for one container; < 0 = the events were not found.
struct EventTimings {
  double create_ms = -1;  // create → init: podman's create plus the runtime's create
  double start_ms = -1;   // init → start: the runtime's start
  double delete_ms = -1;  // died → remove: clean-up, runtime delete and --rm
};

// The timings of the container named `name` in `events_file`.
EventTimings ReadEventTimings(const std::filesystem::path& events_file, const std::string& name);

// The timings from one events log's text (for tests).
EventTimings ParseEventTimings(const std::string& jsonl, const std::string& name);

}  // namespace ocibench::engine
