// The xz-utils liblzma codec: raw LZMA1 (LZMA_FILTER_LZMA1EXT, liblzma >= 5.4) with the same
// parameters as the SDK encoder, no end marker, the unpacked size given to the decoder.
#include <lzma.h>

#include <cstdlib>

#include "workloads/lzma/codec.h"

namespace ocibench::lzma {
namespace {

std::string XzError(const char* what, lzma_ret ret) {
  const char* name = ret == LZMA_MEM_ERROR       ? "out of memory"
                     : ret == LZMA_OPTIONS_ERROR ? "unsupported options"
                     : ret == LZMA_DATA_ERROR    ? "corrupt data"
                     : ret == LZMA_BUF_ERROR     ? "input ended early (truncated)"
                     : ret == LZMA_PROG_ERROR    ? "programming error"
                                                 : "error";
  return std::string("liblzma ") + what + ": " + name + " (lzma_ret " + std::to_string(ret) + ")";
}

// Decodes the 5-byte LZMA properties (lc/lp/pb byte + little-endian dictionary size).
lzma_options_lzma OptionsFromProps(std::span<const std::uint8_t> p) {
  if (p.size() != 5) throw LzmaError("liblzma decoder: need 5 property bytes");
  unsigned d = p[0];
  if (d >= 9 * 5 * 5) throw LzmaError("liblzma decoder: bad properties byte");
  lzma_options_lzma o{};
  lzma_lzma_preset(&o, 5);
  o.lc = d % 9;
  d /= 9;
  o.lp = d % 5;
  o.pb = d / 5;
  o.dict_size = p[1] | (p[2] << 8) | (p[3] << 16) | (static_cast<std::uint32_t>(p[4]) << 24);
  if (o.dict_size < LZMA_DICT_SIZE_MIN) o.dict_size = LZMA_DICT_SIZE_MIN;
  return o;
}

// Runs lzma_code until the stream ends or fails. With LZMA_FINISH and all input given,
// liblzma returns LZMA_BUF_ERROR once a call makes no progress (truncated input), so this
// loop always ends.
lzma_ret CodeToEnd(lzma_stream* s) {
  lzma_ret ret;
  do {
    ret = lzma_code(s, LZMA_FINISH);
  } while (ret == LZMA_OK);
  return ret;
}

void* XzAlloc(void*, size_t nmemb, size_t size) { return PrefaultedAlloc(nmemb * size); }
void XzFree(void*, void* p) { std::free(p); }
// liblzma allocates the encoder's match finder and the decoder's window at the first init of
// a stream and keeps them while the options stay the same; writing them there moves their
// page faults out of the first pass.
const lzma_allocator kPrefaulted = {XzAlloc, XzFree, nullptr};

class Stream {
 public:
  Stream() { strm_.allocator = &kPrefaulted; }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream() { lzma_end(&strm_); }
  lzma_stream* get() { return &strm_; }

 private:
  lzma_stream strm_ = LZMA_STREAM_INIT;
};

class XzEncoder final : public Encoder {
 public:
  explicit XzEncoder(const EncoderSettings& s) {
    if (lzma_lzma_preset(&opts_, 5)) throw LzmaError("liblzma: preset 5 unsupported");
    opts_.dict_size = 1u << s.dict_log;
    opts_.lc = s.lc;
    opts_.lp = s.lp;
    opts_.pb = s.pb;
    opts_.mode = LZMA_MODE_NORMAL;
    opts_.nice_len = s.fast_bytes;
    opts_.mf = LZMA_MF_BT4;
    opts_.depth = s.match_cycles;
    opts_.ext_flags = 0;  // no end marker
  }

  void Compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) override {
    Init();
    out.resize(PackedBound(in.size()));
    lzma_stream* s = strm_.get();
    s->next_in = in.data();
    s->avail_in = in.size();
    s->next_out = out.data();
    s->avail_out = out.size();
    lzma_ret ret = CodeToEnd(s);
    if (ret != LZMA_STREAM_END) throw LzmaError(XzError("compress", ret));
    out.resize(out.size() - s->avail_out);
  }

  void Prepare(std::span<const std::uint8_t>) override { Init(); }

  std::vector<std::uint8_t> Properties() const override {
    std::vector<std::uint8_t> p(5);
    p[0] = static_cast<std::uint8_t>((opts_.pb * 5 + opts_.lp) * 9 + opts_.lc);
    for (int i = 0; i < 4; i++) p[1 + i] = static_cast<std::uint8_t>(opts_.dict_size >> (8 * i));
    return p;
  }

 private:
  // A fresh raw encoder each pass: liblzma has no "reset and reuse" for raw LZMA1, but it
  // keeps the allocation when the stream is reinitialised with the same options.
  void Init() {
    const lzma_filter filters[] = {{LZMA_FILTER_LZMA1EXT, &opts_}, {LZMA_VLI_UNKNOWN, nullptr}};
    if (lzma_ret ret = lzma_raw_encoder(strm_.get(), filters); ret != LZMA_OK)
      throw LzmaError(XzError("encoder init", ret));
  }

  lzma_options_lzma opts_{};
  Stream strm_;
};

class XzDecoder final : public Decoder {
 public:
  explicit XzDecoder(std::span<const std::uint8_t> props) : opts_(OptionsFromProps(props)) {}

  void Decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    opts_.ext_flags = 0;
    opts_.ext_size_low = static_cast<std::uint32_t>(out.size());
    opts_.ext_size_high = static_cast<std::uint32_t>(static_cast<std::uint64_t>(out.size()) >> 32);
    const lzma_filter filters[] = {{LZMA_FILTER_LZMA1EXT, &opts_}, {LZMA_VLI_UNKNOWN, nullptr}};
    if (lzma_ret ret = lzma_raw_decoder(strm_.get(), filters); ret != LZMA_OK)
      throw LzmaError(XzError("decoder init", ret));
    lzma_stream* s = strm_.get();
    s->next_in = in.data();
    s->avail_in = in.size();
    s->next_out = out.data();
    s->avail_out = out.size();
    lzma_ret ret = CodeToEnd(s);
    if (ret != LZMA_STREAM_END) throw LzmaError(XzError("decompress", ret));
    if (s->avail_out != 0)
      throw LzmaError("liblzma decompress: stream ended " + std::to_string(s->avail_out) +
                      " bytes early (truncated input)");
  }

 private:
  lzma_options_lzma opts_;
  Stream strm_;
};

}  // namespace

std::unique_ptr<Encoder> MakeXzEncoder(const EncoderSettings& s) {
  return std::make_unique<XzEncoder>(s);
}
std::unique_ptr<Decoder> MakeXzDecoder(std::span<const std::uint8_t> props) {
  return std::make_unique<XzDecoder>(props);
}
std::string XzVersion() { return lzma_version_string(); }

}  // namespace ocibench::lzma
