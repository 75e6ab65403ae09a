#include "harness/report/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace ocibench::report {

const SeriesStats* Analysis::Find(const std::string& group, const std::string& name,
                                  const std::string& runtime) const {
  for (const auto& r : rows)
    if (r.series.group == group && r.series.name == name && r.series.runtime == runtime) return &r;
  return nullptr;
}

std::uint64_t SeriesSeed(std::uint64_t seed, const std::string& a, const std::string& b,
                         const std::string& c) {
  // FNV-1a over the names, mixed with the seed: independent of std::hash's implementation.
  std::uint64_t h = 1469598103934665603ull ^ seed;
  for (const std::string* s : {&a, &b, &c}) {
    for (unsigned char ch : *s) h = (h ^ ch) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
  return h;
}

void ApplyGates(VsBaseline& v, const SeriesStats& base, const SeriesStats& cand, double cv_max) {
  v.multimodal = cand.multimodal;
  v.base_multimodal = base.multimodal;
  v.too_noisy = cand.cv > cv_max || base.cv > cv_max;
  v.significant = v.significant_before_gates && !v.AnyMultimodal() && !v.too_noisy;
}

VsBaseline CompareSeries(const std::vector<double>& base, const std::vector<double>& cand,
                         Direction d, std::uint64_t seed, int resamples, double alpha) {
  VsBaseline v;
  v.speed = SpeedRatio(Median(cand), Median(base), d);
  // Speed = cand/base (higher is better) or base/cand (lower is better): bootstrap that ratio.
  v.speed_ci = d == Direction::kHigherIsBetter
                   ? BootstrapRatioOfMediansCi(cand, base, seed, resamples)
                   : BootstrapRatioOfMediansCi(base, cand, seed, resamples);
  v.p = MannWhitneyU(cand, base).p;
  v.significant_before_gates = v.p < alpha && !v.speed_ci.Contains(1.0);
  v.significant = v.significant_before_gates;
  return v;
}

std::string MdeText(double mde) {
  if (!std::isfinite(mde)) return "any";
  return fmt::format("±{:.1f}%", (std::exp(mde) - 1) * 100);
}

std::string VerdictText(const VsBaseline& v) {
  std::string gate;
  if (v.AnyMultimodal())
    gate = "multimodal: ";
  else if (v.too_noisy)
    gate = "too noisy: ";
  if (v.significant)
    return std::string(v.speed < 1 ? "slower" : "faster") +
           (v.BelowResolution() ? std::string(", ") + kBelowResolution : "");
  const double band_low = std::exp(-v.mde), band_high = std::exp(v.mde);
  if (gate.empty() && std::isfinite(v.mde) && v.speed_ci.low >= band_low &&
      v.speed_ci.high <= band_high)
    return "no difference this run can resolve";
  return gate + "cannot tell on this host";
}

Analysis Analyze(const Results& results, const AnalysisOptions& options) {
  Analysis a;
  a.options = options;
  bool have_baseline = false;
  for (const auto& rt : results.run.runtimes) {
    if (rt.name == options.baseline) have_baseline = true;
  }
  if (have_baseline) a.runtimes.push_back(options.baseline);
  for (const auto& rt : results.run.runtimes)
    if (rt.name != options.baseline) a.runtimes.push_back(rt.name);
  // Runtimes found in files but missing from run.json's list still get reported.
  for (const auto& e : results.entries)
    if (std::find(a.runtimes.begin(), a.runtimes.end(), e.runtime) == a.runtimes.end())
      a.runtimes.push_back(e.runtime);
  a.groups = results.run.groups;
  for (const auto& e : results.entries)
    if (std::find(a.groups.begin(), a.groups.end(), e.group) == a.groups.end())
      a.groups.push_back(e.group);

  auto order = [&](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) - v.begin();
  };
  // Series keyed by (group order, first appearance of the name, runtime order).
  std::map<std::tuple<long, long, long>, Series> series;
  std::map<std::pair<std::string, std::string>, long> name_order;
  for (const auto& e : results.entries) {
    auto key_name = std::make_pair(e.group, e.name);
    if (!name_order.count(key_name)) name_order[key_name] = static_cast<long>(name_order.size());
    auto key = std::make_tuple(order(a.groups, e.group), name_order[key_name],
                               order(a.runtimes, e.runtime));
    Series& s = series[key];
    if (s.values.empty()) {
      s.group = e.group;
      s.name = e.name;
      s.runtime = e.runtime;
      s.metric = e.metric;
      s.unit = e.unit;
      s.direction = e.direction;
    }
    s.values.push_back(e.value);
    for (const auto& [k, v] : e.counters) s.counters[k].push_back(v);
  }
  for (auto& [key, s] : series) {
    SeriesStats st;
    st.median = Median(s.values);
    st.q1 = Quantile(s.values, 0.25);
    st.q3 = Quantile(s.values, 0.75);
    st.min = *std::min_element(s.values.begin(), s.values.end());
    st.max = *std::max_element(s.values.begin(), s.values.end());
    st.cv = Cv(s.values);
    st.multimodal = IsMultimodal(s.values, options.modality);
    st.series = std::move(s);
    a.rows.push_back(std::move(st));
  }
  for (auto& r : a.rows) {
    if (r.series.runtime == options.baseline) continue;
    const SeriesStats* base = a.Find(r.series.group, r.series.name, options.baseline);
    if (!base || base->median <= 0 || r.median <= 0) continue;
    r.vs_baseline =
        CompareSeries(base->series.values, r.series.values, r.series.direction,
                      SeriesSeed(options.seed, r.series.group, r.series.name, r.series.runtime),
                      options.resamples, options.alpha);
    VsBaseline& v = *r.vs_baseline;
    ApplyGates(v, *base, r, options.cv_max);
    v.mde = MinDetectableLogRatio(base->cv, base->series.values.size(), r.cv,
                                  r.series.values.size(), options.alpha, options.power);
  }
  return a;
}

}  // namespace ocibench::report
