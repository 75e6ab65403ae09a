// One benchmark stream as `7z b` runs it: a generated buffer, one encoder and one decoder
// reused across passes, and a CRC-32 check of every decoded pass.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "workloads/lzma/codec.h"

namespace ocibench::lzma {

class BenchJob {
 public:
  // Generates the data for dictionary 2^dict_log with thread `stream_index`'s salt.
  BenchJob(CodecKind kind, unsigned dict_log, unsigned stream_index = 0);

  // Compresses the buffer once; returns the packed size.
  std::size_t CompressPass();
  // Decodes the packed stream once and checks the CRC-32 of the result against the input's.
  // Compresses first if no packed stream exists yet. Throws LzmaError on any mismatch.
  void DecompressPass();
  // Makes the packed stream and the decoder now and decodes once, so that DecompressPass's
  // timing includes neither them nor the decoder's first allocation.
  void PreparePacked();

  std::size_t unpacked_size() const { return input_.size(); }
  std::size_t packed_size() const { return packed_.size(); }
  std::uint64_t dict_size() const { return std::uint64_t{1} << settings_.dict_log; }
  // Test access: the packed stream, to corrupt or truncate it.
  std::vector<std::uint8_t>& packed() { return packed_; }

 private:
  void Decode();  // one pass, CRC-checked

  CodecKind kind_;
  EncoderSettings settings_;
  std::vector<std::uint8_t> input_;
  std::uint32_t input_crc_;
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<std::uint8_t> packed_;
  std::vector<std::uint8_t> output_;
};

}  // namespace ocibench::lzma
