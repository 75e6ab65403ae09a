#include "workloads/lzma/codec.h"

#include <lzma.h>
#include <unistd.h>

#include <cstdlib>

namespace ocibench::lzma {

// Defined in sdk_codec.cc and xz_codec.cc.
std::unique_ptr<Encoder> MakeSdkEncoder(const EncoderSettings& s);
std::unique_ptr<Decoder> MakeSdkDecoder(std::span<const std::uint8_t> props);
std::string SdkVersion();
std::unique_ptr<Encoder> MakeXzEncoder(const EncoderSettings& s);
std::unique_ptr<Decoder> MakeXzDecoder(std::span<const std::uint8_t> props);
std::string XzVersion();

const char* CodecName(CodecKind kind) { return kind == CodecKind::kSdk ? "sdk" : "xz"; }

std::string CodecVersion(CodecKind kind) {
  return kind == CodecKind::kSdk ? SdkVersion() : XzVersion();
}

std::unique_ptr<Encoder> MakeEncoder(CodecKind kind, const EncoderSettings& settings) {
  if (settings.dict_log < 12 || settings.dict_log > 30)
    throw LzmaError("dictionary 2^" + std::to_string(settings.dict_log) +
                    " out of range (2^12 .. 2^30)");
  return kind == CodecKind::kSdk ? MakeSdkEncoder(settings) : MakeXzEncoder(settings);
}

std::unique_ptr<Decoder> MakeDecoder(CodecKind kind, std::span<const std::uint8_t> properties) {
  return kind == CodecKind::kSdk ? MakeSdkDecoder(properties) : MakeXzDecoder(properties);
}

void* PrefaultedAlloc(std::size_t size) {
  void* p = std::malloc(size);
  if (p == nullptr) return p;
  // One volatile store per page: GCC turns malloc + memset(0) into calloc, which skips fresh
  // mmap'd pages and so faults nothing here.
  static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  for (std::size_t i = 0; i < size; i += page) static_cast<volatile char*>(p)[i] = 0;
  return p;
}

std::uint32_t Crc32(std::span<const std::uint8_t> data) {
  return lzma_crc32(data.data(), data.size(), 0);
}

}  // namespace ocibench::lzma
