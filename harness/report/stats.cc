#include "harness/report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

namespace ocibench::report {

namespace {
void RequireNonEmpty(const std::vector<double>& v, const char* what) {
  if (v.empty()) throw std::invalid_argument(std::string(what) + " of an empty sample");
}
}  // namespace

double Quantile(std::vector<double> v, double q) {
  RequireNonEmpty(v, "quantile");
  if (q < 0 || q > 1) throw std::invalid_argument("quantile outside [0, 1]");
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double Median(const std::vector<double>& v) { return Quantile(v, 0.5); }
double Iqr(const std::vector<double>& v) { return Quantile(v, 0.75) - Quantile(v, 0.25); }

double Mean(const std::vector<double>& v) {
  RequireNonEmpty(v, "mean");
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double StdDev(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = Mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double Cv(const std::vector<double>& v) {
  const double m = Mean(v);
  return m == 0 ? 0 : StdDev(v) / std::fabs(m);
}

double GeoMean(const std::vector<double>& v) {
  RequireNonEmpty(v, "geometric mean");
  double log_sum = 0;
  for (double x : v) {
    if (!(x > 0)) throw std::invalid_argument("geometric mean of a value that is not positive");
    log_sum += std::log(x);
  }
  return std::exp(log_sum / static_cast<double>(v.size()));
}

double SpeedRatio(double value, double base, Direction d) {
  return d == Direction::kHigherIsBetter ? value / base : base / value;
}

Interval BootstrapRatioOfMediansCi(const std::vector<double>& num, const std::vector<double>& den,
                                   std::uint64_t seed, int resamples, double level) {
  RequireNonEmpty(num, "bootstrap");
  RequireNonEmpty(den, "bootstrap");
  if (resamples < 10) throw std::invalid_argument("bootstrap needs at least 10 resamples");
  std::mt19937_64 rng(seed);
  auto resampled_median = [&rng](const std::vector<double>& s, std::vector<double>& buf) {
    std::uniform_int_distribution<std::size_t> pick(0, s.size() - 1);
    buf.resize(s.size());
    for (auto& x : buf) x = s[pick(rng)];
    // Median of the resample (same definition as Median, without another copy).
    const std::size_t n = buf.size();
    std::nth_element(buf.begin(), buf.begin() + static_cast<long>(n / 2), buf.end());
    const double upper = buf[n / 2];
    if (n % 2 == 1) return upper;
    const double lower = *std::max_element(buf.begin(), buf.begin() + static_cast<long>(n / 2));
    return (lower + upper) / 2;
  };
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  std::vector<double> a, b;
  for (int i = 0; i < resamples; i++) {
    const double mn = resampled_median(num, a);
    const double md = resampled_median(den, b);
    ratios.push_back(mn / md);
  }
  return {Quantile(ratios, (1 - level) / 2), Quantile(ratios, (1 + level) / 2)};
}

namespace {

// Number of arrangements with U = u for sample sizes (m, n), for all u in [0, m·n]:
// f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u) (Mann & Whitney 1947).
std::vector<double> ExactUCounts(int m, int n) {
  // table[j][u] for the current m, j = 0..n.
  std::vector<std::vector<double>> prev(static_cast<std::size_t>(n) + 1);
  for (int j = 0; j <= n; j++) prev[static_cast<std::size_t>(j)] = {1.0};  // m = 0: U = 0 only
  for (int i = 1; i <= m; i++) {
    std::vector<std::vector<double>> cur(static_cast<std::size_t>(n) + 1);
    cur[0] = {1.0};  // n = 0: U = 0 only
    for (int j = 1; j <= n; j++) {
      std::vector<double> row(static_cast<std::size_t>(i * j) + 1, 0.0);
      const auto& a = prev[static_cast<std::size_t>(j)];  // f(i − 1, j, u − j)
      for (std::size_t u = 0; u < a.size(); u++) row[u + static_cast<std::size_t>(j)] += a[u];
      const auto& b = cur[static_cast<std::size_t>(j - 1)];  // f(i, j − 1, u)
      for (std::size_t u = 0; u < b.size(); u++) row[u] += b[u];
      cur[static_cast<std::size_t>(j)] = std::move(row);
    }
    prev = std::move(cur);
  }
  return prev[static_cast<std::size_t>(n)];
}

}  // namespace

MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y,
                               int exact_limit) {
  RequireNonEmpty(x, "Mann-Whitney U");
  RequireNonEmpty(y, "Mann-Whitney U");
  const double n1 = static_cast<double>(x.size());
  const double n2 = static_cast<double>(y.size());
  // Midranks of the pooled sample; tie groups for the variance correction.
  std::vector<std::pair<double, int>> pooled;
  for (double v : x) pooled.push_back({v, 0});
  for (double v : y) pooled.push_back({v, 1});
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) j++;
    const double t = static_cast<double>(j - i);
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; k++)
      if (pooled[k].second == 0) rank_sum_x += midrank;
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    i = j;
  }
  MannWhitneyResult r;
  r.u = rank_sum_x - n1 * (n1 + 1) / 2;
  const int m = static_cast<int>(x.size()), n = static_cast<int>(y.size());
  if (!ties && m <= exact_limit && n <= exact_limit) {
    const auto counts = ExactUCounts(m, n);
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const auto u = static_cast<std::size_t>(std::llround(r.u));
    double le = 0, ge = 0;
    for (std::size_t k = 0; k < counts.size(); k++) {
      if (k <= u) le += counts[k];
      if (k >= u) ge += counts[k];
    }
    r.p = std::min(1.0, 2 * std::min(le, ge) / total);
    r.exact = true;
    return r;
  }
  const double nn = n1 + n2;
  const double mu = n1 * n2 / 2;
  const double var = n1 * n2 / 12 * ((nn + 1) - tie_term / (nn * (nn - 1)));
  if (var <= 0) {
    r.p = 1;  // every value identical: no evidence of a difference
    return r;
  }
  const double u_big = std::max(r.u, n1 * n2 - r.u);
  const double z = (u_big - mu - 0.5) / std::sqrt(var);
  r.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return r;
}

bool IsMultimodal(const std::vector<double>& values, const ModalityRule& rule) {
  if (values.size() < 3) return false;
  std::vector<double> v = values;
  std::sort(v.begin(), v.end());
  if (!(v.front() > 0)) return false;  // the rule is on a log scale: positive metrics only
  const std::size_t n = v.size();
  for (std::size_t i = 1; i < n; i++) {
    const double gap_ratio = v[i] / v[i - 1];
    if (gap_ratio < rule.min_gap_ratio) continue;
    const double spread = std::max(std::log(v[i - 1] / v[0]), std::log(v[n - 1] / v[i]));
    if (std::log(gap_ratio) > rule.gap_vs_spread * spread) return true;
  }
  return false;
}

double MannWhitneyMinP(std::size_t m, std::size_t n) {
  // C(m + n, m) as a product, in doubles (no overflow for any repetition count used here).
  double c = 1;
  for (std::size_t k = 1; k <= m; k++) c = c * static_cast<double>(n + k) / static_cast<double>(k);
  return std::min(1.0, 2 / c);
}

double NormalUpperQuantile(double tail) {
  if (!(tail > 0 && tail < 1)) throw std::invalid_argument("normal quantile outside (0, 1)");
  // Bisection on P(Z > z) = erfc(z / √2) / 2, which decreases in z.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; i++) {
    const double mid = (lo + hi) / 2;
    if (std::erfc(mid / std::sqrt(2.0)) / 2 > tail)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

double MinDetectableLogRatio(double cv_a, std::size_t n_a, double cv_b, std::size_t n_b,
                             double alpha, double power) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (n_a < 2 || n_b < 2 || MannWhitneyMinP(n_a, n_b) >= alpha) return kInf;
  const double z = NormalUpperQuantile(alpha / 2) + NormalUpperQuantile(1 - power);
  const double var =
      M_PI / 2 * (cv_a * cv_a / static_cast<double>(n_a) + cv_b * cv_b / static_cast<double>(n_b));
  return z * std::sqrt(var);
}

}  // namespace ocibench::report
