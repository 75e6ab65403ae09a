// Paired-round statistics of --verify (rounds.h).
#include "harness/verify/rounds.h"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace ocibench::verify {

std::optional<Measured> Summarise(const std::vector<double>& ratios, double confidence) {
  if (ratios.empty()) return std::nullopt;
  std::vector<double> logs;
  double mean = 0;
  for (double r : ratios) {
    logs.push_back(std::log(r));
    mean += logs.back();
  }
  const double n = static_cast<double>(logs.size());
  mean /= n;
  Measured m;
  m.rounds = static_cast<int>(logs.size());
  m.geomean = std::exp(mean);
  m.low = m.high = m.geomean;
  if (logs.size() < 2) return m;
  double ss = 0;
  for (double l : logs) ss += (l - mean) * (l - mean);
  const double sd = std::sqrt(ss / (n - 1));
  const boost::math::students_t t(n - 1);
  const double half = boost::math::quantile(t, 0.5 + confidence / 2) * sd / std::sqrt(n);
  m.low = std::exp(mean - half);
  m.high = std::exp(mean + half);
  return m;
}

std::string ToString(Verdict v, double band) {
  switch (v) {
    case Verdict::kWithin:
      return fmt::format("within ±{:.0f}%", band * 100);
    case Verdict::kOutside:
      return fmt::format("outside ±{:.0f}%", band * 100);
    case Verdict::kCannotTell:
      break;
  }
  return "cannot tell on this host";
}

Verdict Judge(double predicted, const Measured& m, double band) {
  if (m.rounds < 2) return Verdict::kCannotTell;
  const double lo = predicted / m.high, hi = predicted / m.low;  // predicted ÷ measured
  if (lo >= 1 - band && hi <= 1 + band) return Verdict::kWithin;
  if (hi < 1 - band || lo > 1 + band) return Verdict::kOutside;
  return Verdict::kCannotTell;
}

std::optional<double> RoundSlowdown(double native_small, double native_big, double runtime_small,
                                    double runtime_big) {
  const double n = native_big - native_small, r = runtime_big - runtime_small;
  if (!(n > 0) || !(r > 0)) return std::nullopt;
  return r / n;
}

}  // namespace ocibench::verify
