#include "workloads/lzma/codec.h"

#include <lzma.h>

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

std::uint32_t Crc32(std::span<const std::uint8_t> data) {
  return lzma_crc32(data.data(), data.size(), 0);
}

}  // namespace ocibench::lzma
