// One LZMA1 implementation behind a small interface, so the LZMA SDK and xz-utils' liblzma
// run the same benchmark. Streams are raw LZMA1 data without a header or end marker; the
// caller keeps the 5 property bytes and the unpacked size, as a .7z archive does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ocibench::lzma {

// Any failure of a codec: bad parameters, out of memory, corrupt or truncated input.
class LzmaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The encoder settings `7z b` uses (LZMA, level 5): lc3 lp0 pb2, normal (optimal) parsing,
// 32 fast bytes, BT4 match finder, cut value 16 + fb/2 = 32.
struct EncoderSettings {
  unsigned dict_log = 22;
  unsigned lc = 3;
  unsigned lp = 0;
  unsigned pb = 2;
  unsigned fast_bytes = 32;
  unsigned match_cycles = 32;
};

enum class CodecKind { kSdk, kXz };
const char* CodecName(CodecKind kind);  // "sdk" / "xz"
std::string CodecVersion(CodecKind kind);

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Compresses `in` into `out` (resized to the packed size). Reuses its match finder between
  // calls, as 7-Zip's benchmark reuses one encoder object for every pass.
  virtual void Compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) = 0;
  // Allocates the match finder for `in` and touches every page of it, so that the first
  // Compress of the same input neither allocates nor page-faults (7-Zip pays those once per
  // row; ocibench's quick preset times a single pass, where they cost 8% of it natively
  // and more under gVisor, where each fault traps to the Sentry).
  virtual void Prepare(std::span<const std::uint8_t> in) = 0;
  // The 5 LZMA property bytes of the streams this encoder writes.
  virtual std::vector<std::uint8_t> Properties() const = 0;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes exactly out.size() bytes from `in`. Throws LzmaError when `in` is corrupt, ends
  // early, or does not fill `out`.
  virtual void Decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) = 0;
};

std::unique_ptr<Encoder> MakeEncoder(CodecKind kind, const EncoderSettings& settings);
std::unique_ptr<Decoder> MakeDecoder(CodecKind kind, std::span<const std::uint8_t> properties);

// Room Compress gives the packed stream for `unpacked` input bytes: LZMA expands
// incompressible input by at most ~1.5%, this leaves generous room.
inline std::size_t PackedBound(std::size_t unpacked) {
  return unpacked + unpacked / 32 + (std::size_t{1} << 16);
}

// An allocator for codec state that writes every page of a new block before returning it:
// the page faults happen at allocation, not during the first pass. Contents undefined.
void* PrefaultedAlloc(std::size_t size);

// CRC-32 (IEEE), as 7-Zip checks every decoded pass.
std::uint32_t Crc32(std::span<const std::uint8_t> data);

}  // namespace ocibench::lzma
