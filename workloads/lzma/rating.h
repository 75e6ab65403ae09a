// 7-Zip's benchmark rating formulas (CPP/7zip/UI/Common/Bench.cpp, 7-Zip 25.01: GetLogSize,
// SetLzmaCompexity / EncComplex, CBenchInfoCalc::GetCompressRating / GetDecompressRating,
// GetUsage, GetRatingPerUsage). Ratings are "instructions per second"; 7-Zip prints them in
// MIPS as (rating + 500000) / 1000000.
#pragma once

#include <cstdint>

namespace ocibench::lzma {

// (floor(log2 x) << 8) + the next 8 bits below the top bit: a fixed-point log2.
std::uint32_t LogSize(std::uint64_t x);

// Instructions per input byte the compression rating assumes for a dictionary:
// 870 + 5*(k-18)^2 for a dictionary of 2^k bytes (k >= 18).
std::uint64_t EncodeComplexity(std::uint64_t dict_size);

// Per-byte costs the decompression rating assumes: 190 per packed byte, 4 per unpacked byte.
inline constexpr std::uint64_t kDecComplexCompr = 190;
inline constexpr std::uint64_t kDecComplexUnc = 4;

// Ratings in instructions per second, from bytes processed and wall seconds.
double CompressRating(std::uint64_t dict_size, std::uint64_t unpacked_bytes, double seconds);
double DecompressRating(std::uint64_t packed_bytes, std::uint64_t unpacked_bytes, double seconds);

// 7-Zip's MIPS figure as printed: rounded to the nearest million.
std::uint64_t ToMips(double rating);

// Passes 7-Zip makes over one buffer per benchmark row (kComplexInCommands = 2^34):
// compression max(1, 2^34 / (buf*1200)), decompression max(1, 2^34 / (packed*190 + buf*4)).
std::uint64_t CompressPasses(std::uint64_t buffer_size);
std::uint64_t DecompressPasses(std::uint64_t packed_size, std::uint64_t buffer_size);

}  // namespace ocibench::lzma
