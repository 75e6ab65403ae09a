// Between-host statistics (fleet_stats.h).
#include "harness/report/fleet_stats.h"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace ocibench::report {

VsBaseline CompareAcrossHosts(const SeriesStats& ref, const SeriesStats& other,
                              const AnalysisOptions& o) {
  const Series& s = other.series;
  VsBaseline v = CompareSeries(ref.series.values, s.values, s.direction,
                               SeriesSeed(o.seed, s.group, s.name, s.runtime + "@hosts"),
                               o.resamples, o.alpha);
  v.multimodal = other.multimodal;
  v.base_multimodal = ref.multimodal;
  v.too_noisy = other.cv > o.cv_max || ref.cv > o.cv_max;
  v.significant = v.significant_before_gates && !v.AnyMultimodal() && !v.too_noisy;
  v.mde = MinDetectableLogRatio(ref.cv, ref.series.values.size(), other.cv, s.values.size(),
                                o.alpha, o.power);
  return v;
}

namespace {

double ResampledMedian(const std::vector<double>& s, std::mt19937_64& rng,
                       std::vector<double>& buf) {
  std::uniform_int_distribution<std::size_t> pick(0, s.size() - 1);
  buf.resize(s.size());
  for (auto& x : buf) x = s[pick(rng)];
  return Median(buf);
}

}  // namespace

OverheadDifference CompareOverheads(const std::vector<double>& native_a,
                                    const std::vector<double>& runtime_a,
                                    const std::vector<double>& native_b,
                                    const std::vector<double>& runtime_b, Direction d,
                                    std::uint64_t seed, int resamples, double level) {
  for (const auto* s : {&native_a, &runtime_a, &native_b, &runtime_b})
    if (s->empty()) throw std::invalid_argument("overhead difference: an empty sample");
  if (resamples < 10) throw std::invalid_argument("bootstrap needs at least 10 resamples");
  auto ratio = [d](double na, double ra, double nb, double rb) {
    return SpeedRatio(rb, nb, d) / SpeedRatio(ra, na, d);
  };
  OverheadDifference out;
  out.ratio = ratio(Median(native_a), Median(runtime_a), Median(native_b), Median(runtime_b));
  std::mt19937_64 rng(seed);
  std::vector<double> ratios, buf;
  ratios.reserve(static_cast<std::size_t>(resamples));
  for (int i = 0; i < resamples; i++) {
    const double na = ResampledMedian(native_a, rng, buf);
    const double ra = ResampledMedian(runtime_a, rng, buf);
    const double nb = ResampledMedian(native_b, rng, buf);
    const double rb = ResampledMedian(runtime_b, rng, buf);
    ratios.push_back(ratio(na, ra, nb, rb));
  }
  out.ci = {Quantile(ratios, (1 - level) / 2), Quantile(ratios, (1 + level) / 2)};
  out.differs = !out.ci.Contains(1.0);
  return out;
}

}  // namespace ocibench::report
