// The statistics of `ocibench profile --verify`: each ABBA round gives one slowdown (the
// runtime's time ÷ native's, both measured back to back), summarised as benchmarks/paired-verdict
// does — the geometric mean of the rounds' ratios with a Student-t interval on their logarithms
// (exact for normal logs at any round count, no random numbers) — and the prediction judged
// against that interval.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ocibench::verify {

struct Measured {
  int rounds = 0;  // ratios summarised
  double geomean = 0;
  double low = 0, high = 0;  // confidence interval (= geomean with one round)
};

// nullopt for no ratio; every ratio must be > 0.
std::optional<Measured> Summarise(const std::vector<double>& ratios, double confidence = 0.95);

enum class Verdict { kWithin, kOutside, kCannotTell };
// "within ±20%", "outside ±20%", "cannot tell on this host".
std::string ToString(Verdict v, double band);

// predicted ÷ measured for every measured value in the interval: all within [1 − band,
// 1 + band] → kWithin; all outside → kOutside; else (or one round only) kCannotTell.
Verdict Judge(double predicted, const Measured& m, double band = 0.2);

// ABBA: round 0 runs native first, round 1 the runtime first, and so on.
inline bool RuntimeFirst(int round) { return round % 2 == 1; }

// One round's slowdown from its four times: (runtime_big − runtime_small) ÷ (native_big −
// native_small) (the two --units sizes, or the command and /bin/true). nullopt when a
// difference is not positive (noise larger than the work): the round says nothing.
std::optional<double> RoundSlowdown(double native_small, double native_big, double runtime_small,
                                    double runtime_big);

}  // namespace ocibench::verify
