// The LZMA SDK codec. Builds against SDK 9.22 (Debian lzma-dev) and 2x.xx (Debian's 7zip
// source package); their C APIs differ only in the allocator callback's first parameter type,
// which is deduced below instead of #ifdef'd.
#include <cstdlib>
#include <cstring>

#include "workloads/lzma/codec.h"

extern "C" {
#include "LzmaDec.h"
#include "LzmaEnc.h"
}

namespace ocibench::lzma::sdk_types {
template <typename F>
struct FirstArg;
template <typename R, typename A, typename... Rest>
struct FirstArg<R (*)(A, Rest...)> {
  using type = A;
};
using AllocSelf = FirstArg<decltype(ISzAlloc::Alloc)>::type;
using AllocPtr = FirstArg<decltype(&LzmaEnc_Create)>::type;  // ISzAlloc* or const ISzAlloc*
}  // namespace ocibench::lzma::sdk_types

// Allocates and initialises the encoder for a memory buffer without encoding. The SDK
// exports it (LzmaEnc.c, "internal LZMA interface for LZMA2 encoder") but declares it only
// there; LzmaEnc_MemEncode calls it first and reuses what it allocated.
extern "C" SRes LzmaEnc_MemPrepare(CLzmaEncHandle p, const Byte* src, SizeT srcLen,
                                   UInt32 keepWindowSize, ocibench::lzma::sdk_types::AllocPtr alloc,
                                   ocibench::lzma::sdk_types::AllocPtr allocBig);

namespace ocibench::lzma {
namespace {

using sdk_types::AllocSelf;

void* SzAlloc(AllocSelf, size_t size) { return size ? std::malloc(size) : nullptr; }
void* SzAllocPrefaulted(AllocSelf, size_t size) { return size ? PrefaultedAlloc(size) : nullptr; }
void SzFree(AllocSelf, void* p) { std::free(p); }
ISzAlloc g_alloc = {SzAlloc, SzFree};
// The encoder's "big" allocations: the match finder's hash table and binary tree (BT4: 10
// bytes per dictionary byte, 320 MiB at 2^25), written once when allocated.
ISzAlloc g_big_alloc = {SzAllocPrefaulted, SzFree};

std::string SdkError(const char* what, SRes res) {
  const char* name = res == SZ_ERROR_MEM           ? "out of memory"
                     : res == SZ_ERROR_DATA        ? "corrupt data"
                     : res == SZ_ERROR_PARAM       ? "bad parameter"
                     : res == SZ_ERROR_OUTPUT_EOF  ? "output buffer too small"
                     : res == SZ_ERROR_UNSUPPORTED ? "unsupported properties"
                                                   : "error";
  return std::string("LZMA SDK ") + what + ": " + name + " (SRes " + std::to_string(res) + ")";
}

class SdkEncoder final : public Encoder {
 public:
  explicit SdkEncoder(const EncoderSettings& s) : handle_(LzmaEnc_Create(&g_alloc)) {
    if (handle_ == nullptr) throw LzmaError("LZMA SDK encoder: out of memory");
    CLzmaEncProps props;
    LzmaEncProps_Init(&props);
    props.level = 5;
    props.dictSize = 1u << s.dict_log;
    props.lc = static_cast<int>(s.lc);
    props.lp = static_cast<int>(s.lp);
    props.pb = static_cast<int>(s.pb);
    props.algo = 1;  // optimal parsing ("normal")
    props.fb = static_cast<int>(s.fast_bytes);
    props.btMode = 1;
    props.numHashBytes = 4;  // BT4
    props.mc = s.match_cycles;
    props.writeEndMark = 0;
    props.numThreads = 1;
    if (SRes res = LzmaEnc_SetProps(handle_, &props); res != SZ_OK) {
      LzmaEnc_Destroy(handle_, &g_alloc, &g_big_alloc);
      throw LzmaError(SdkError("encoder properties", res));
    }
  }
  ~SdkEncoder() override { LzmaEnc_Destroy(handle_, &g_alloc, &g_big_alloc); }

  void Compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) override {
    out.resize(PackedBound(in.size()));
    SizeT out_len = out.size();
    SRes res = LzmaEnc_MemEncode(handle_, out.data(), &out_len, in.data(), in.size(),
                                 /*writeEndMark=*/0, nullptr, &g_alloc, &g_big_alloc);
    if (res != SZ_OK) throw LzmaError(SdkError("compress", res));
    out.resize(out_len);
  }

  void Prepare(std::span<const std::uint8_t> in) override {
    if (SRes res = LzmaEnc_MemPrepare(handle_, in.data(), in.size(), 0, &g_alloc, &g_big_alloc);
        res != SZ_OK)
      throw LzmaError(SdkError("encoder allocation", res));
  }

  std::vector<std::uint8_t> Properties() const override {
    std::vector<std::uint8_t> props(LZMA_PROPS_SIZE);
    SizeT size = props.size();
    if (SRes res = LzmaEnc_WriteProperties(handle_, props.data(), &size); res != SZ_OK)
      throw LzmaError(SdkError("write properties", res));
    return props;
  }

 private:
  CLzmaEncHandle handle_;
};

class SdkDecoder final : public Decoder {
 public:
  explicit SdkDecoder(std::span<const std::uint8_t> props) {
    LzmaDec_Construct(&dec_);
    if (props.size() != LZMA_PROPS_SIZE) throw LzmaError("LZMA SDK decoder: need 5 property bytes");
    // Probabilities only: the caller's output buffer serves as the window (see Decompress).
    if (SRes res = LzmaDec_AllocateProbs(&dec_, props.data(), LZMA_PROPS_SIZE, &g_alloc);
        res != SZ_OK)
      throw LzmaError(SdkError("decoder properties", res));
  }
  ~SdkDecoder() override { LzmaDec_FreeProbs(&dec_, &g_alloc); }

  void Decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    // The whole output buffer is the decoder's window (dictionary), as in 7-Zip's decoder
    // when the unpacked size is known and fits.
    LzmaDec_Init(&dec_);
    dec_.dic = out.data();
    dec_.dicBufSize = out.size();
    SizeT in_len = in.size();
    ELzmaStatus status;
    SRes res = LzmaDec_DecodeToDic(&dec_, out.size(), in.data(), &in_len, LZMA_FINISH_END, &status);
    if (res != SZ_OK) throw LzmaError(SdkError("decompress", res));
    if (dec_.dicPos != out.size())
      throw LzmaError("LZMA SDK decompress: stream ended after " + std::to_string(dec_.dicPos) +
                      " of " + std::to_string(out.size()) + " bytes (truncated input)");
  }

 private:
  CLzmaDec dec_;
};

}  // namespace

std::unique_ptr<Encoder> MakeSdkEncoder(const EncoderSettings& s) {
  return std::make_unique<SdkEncoder>(s);
}
std::unique_ptr<Decoder> MakeSdkDecoder(std::span<const std::uint8_t> props) {
  return std::make_unique<SdkDecoder>(props);
}
std::string SdkVersion() { return OCIBENCH_LZMA_SDK_VERSION; }

}  // namespace ocibench::lzma
