// Binary serialisation of the record document with msgpack-c's C++ API (pyperformance's
// pickle and unpickle: a compact binary encoding of nested containers). msgpack-cxx, not
// protobuf: header-only (nothing to link statically on either architecture) and schema-less
// like pickle, while protobuf needs generated code and a .proto file.
#pragma once

#include <string>

#include "workloads/apps/document.h"

namespace ocibench::apps {

// The document as MessagePack: an array of records, each an array of its fields.
std::string EncodeMsgpack(const Document& d);
// Parses what EncodeMsgpack writes. Throws std::runtime_error (msgpack's reason) on malformed
// or truncated input or a type mismatch.
Document DecodeMsgpack(const std::string& bytes);

}  // namespace ocibench::apps
