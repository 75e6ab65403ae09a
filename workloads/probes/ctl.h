// CPU-only controls: no syscalls, no page faults in the loop. In any runtime they should come
// out at ~1x of bare metal, so their ratio is the noise floor of a comparison.
#pragma once

#include <cstdint>
#include <string>

namespace ocibench::probes {

// `steps` rounds of xorshift64 from `seed`; returns the final state.
std::uint64_t IntLoop(std::uint64_t seed, int steps);

// A text of `count` decimal numbers 0..count-1 separated by ',' and, every 10th, '\n'.
std::string MakeParseInput(int count);

// Parses the numbers of such a text (std::from_chars) and returns their sum; -1 on a byte
// that is not a digit, ',' or '\n'.
long long ParseSum(const std::string& text);

}  // namespace ocibench::probes
