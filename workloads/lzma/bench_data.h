// 7-Zip's benchmark test data: compressible synthetic data of a fixed statistical shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ocibench::lzma {

// Size of the buffer 7-Zip compresses for a dictionary of 2^dict_log bytes: the dictionary
// plus 64 KiB (kAdditionalSize, added for dictionaries of 2^18 and up).
std::size_t BenchBufferSize(unsigned dict_log);

// The salt 7-Zip gives encoder thread `index` (CBenchRandomGenerator): thread 0 gets 0.
std::uint32_t BenchSalt(unsigned index);

// Fills `size` bytes the way 7-Zip's CBenchRandomGenerator::GenerateLz(dictBits=32, salt)
// does: a multiply-with-carry generator choosing between literals and back-references.
// Deterministic: the same salt gives the same bytes.
std::vector<std::uint8_t> GenerateBenchData(std::size_t size, std::uint32_t salt);

}  // namespace ocibench::lzma
