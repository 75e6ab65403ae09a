#include "workloads/lzma/bench_job.h"

#include <string>

#include "workloads/lzma/bench_data.h"

namespace ocibench::lzma {

BenchJob::BenchJob(CodecKind kind, unsigned dict_log, unsigned stream_index)
    : kind_(kind),
      settings_{.dict_log = dict_log},
      input_(GenerateBenchData(BenchBufferSize(dict_log), BenchSalt(stream_index))),
      input_crc_(Crc32(input_)),
      encoder_(MakeEncoder(kind, settings_)) {
  // Everything a pass writes is allocated and touched here, before any timing: the encoder's
  // match finder and the packed buffer. Without this, the first compression pass page-faults
  // 11.4K times at 2^22 and 90K times at 2^25 (the only pass timed by the quick preset and
  // above 2^22).
  encoder_->Prepare(input_);
  packed_.resize(PackedBound(input_.size()));
  packed_.clear();  // keeps the capacity (and its pages)
}

std::size_t BenchJob::CompressPass() {
  encoder_->Compress(input_, packed_);
  return packed_.size();
}

void BenchJob::PreparePacked() {
  if (packed_.empty()) CompressPass();
  if (decoder_) return;
  decoder_ = MakeDecoder(kind_, encoder_->Properties());
  output_.resize(input_.size());
  // One untimed pass: liblzma allocates its window (the dictionary size) at the first decode.
  Decode();
}

void BenchJob::DecompressPass() {
  PreparePacked();
  Decode();
}

void BenchJob::Decode() {
  decoder_->Decompress(packed_, output_);
  const std::uint32_t crc = Crc32(output_);
  if (crc != input_crc_)
    throw LzmaError(std::string(CodecName(kind_)) + " decompress: CRC-32 mismatch (got " +
                    std::to_string(crc) + ", want " + std::to_string(input_crc_) + ")");
}

}  // namespace ocibench::lzma
