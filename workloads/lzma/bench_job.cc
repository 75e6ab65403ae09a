#include "workloads/lzma/bench_job.h"

#include <string>

#include "workloads/lzma/bench_data.h"

namespace ocibench::lzma {

BenchJob::BenchJob(CodecKind kind, unsigned dict_log, unsigned stream_index)
    : kind_(kind),
      settings_{.dict_log = dict_log},
      input_(GenerateBenchData(BenchBufferSize(dict_log), BenchSalt(stream_index))),
      input_crc_(Crc32(input_)),
      encoder_(MakeEncoder(kind, settings_)) {}

std::size_t BenchJob::CompressPass() {
  encoder_->Compress(input_, packed_);
  return packed_.size();
}

void BenchJob::PreparePacked() {
  if (packed_.empty()) CompressPass();
  if (!decoder_) decoder_ = MakeDecoder(kind_, encoder_->Properties());
  output_.resize(input_.size());
}

void BenchJob::DecompressPass() {
  PreparePacked();
  decoder_->Decompress(packed_, output_);
  const std::uint32_t crc = Crc32(output_);
  if (crc != input_crc_)
    throw LzmaError(std::string(CodecName(kind_)) + " decompress: CRC-32 mismatch (got " +
                    std::to_string(crc) + ", want " + std::to_string(input_crc_) + ")");
}

}  // namespace ocibench::lzma
