// Predict and ExplainedFraction (attribution.h).
#include "harness/profile/attribution.h"

#include <algorithm>
#include <cmath>

namespace ocibench::profile {

std::map<std::string, double> CallsPer(const std::map<std::string, SyscallCount>& counts,
                                       double units) {
  std::map<std::string, double> out;
  for (const auto& [name, c] : counts) out[name] = static_cast<double>(c.calls) / units;
  return out;
}

Prediction Predict(const std::map<std::string, double>& calls, double native_s,
                   const RuntimeCosts& costs) {
  if (!(native_s > 0)) throw ProfileError("attribution: the native time must be positive");
  Prediction p{costs.runtime, native_s, native_s, {}, {}};
  for (const auto& [name, n] : calls) {
    const auto cost = costs.For(name);
    if (!cost) {
      p.uncosted.push_back(name);
      continue;
    }
    const double added = n * cost->added_ns * 1e-9;
    p.contributions.push_back({name, n, added, cost->probe, cost->fallback});
    p.predicted_s += added;
  }
  std::sort(p.contributions.begin(), p.contributions.end(),
            [](const Contribution& a, const Contribution& b) {
              return std::abs(a.added_s) > std::abs(b.added_s);
            });
  return p;
}

std::optional<double> ExplainedFraction(double predicted_slowdown, double measured_slowdown) {
  if (std::abs(measured_slowdown - 1) < 0.01) return std::nullopt;
  return (predicted_slowdown - 1) / (measured_slowdown - 1);
}

}  // namespace ocibench::profile
