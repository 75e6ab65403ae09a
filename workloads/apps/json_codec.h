// JSON encode/decode of the record document with RapidJSON (pyperformance's json_dumps and
// json_loads). RapidJSON, not simdjson: Debian 12's libsimdjson-dev ships no static library
// (ocibench-bench is static), and simdjson only parses; nlohmann-json is several times slower
// at both directions, so it would measure the library rather than the runtime.
#pragma once

#include <string>

#include "workloads/apps/document.h"

namespace ocibench::apps {

// The document as compact JSON: an array of objects.
std::string EncodeJson(const Document& d);
// Parses what EncodeJson writes (all fields required). Throws std::runtime_error naming the
// offset and RapidJSON's reason on malformed input, or the missing field.
Document DecodeJson(const std::string& text);

}  // namespace ocibench::apps
