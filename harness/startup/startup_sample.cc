// startup.csv rows and the workload's clock stamp.
#include "harness/startup/startup_sample.h"

#include <fmt/format.h>

#include <ctime>

namespace ocibench::startup {
namespace {

std::string Ms(double v) { return v < 0 ? "" : fmt::format("{:.3f}", v); }

}  // namespace

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string CsvRow(const StartupSample& s) {
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", CsvField(s.runtime),
                     CsvField(s.variant), CsvField(s.workload), s.mode, s.workers, s.index,
                     Ms(s.bundle_ms), Ms(s.create_ms), Ms(s.start_ms), Ms(s.workload_ms),
                     Ms(s.exit_ms), Ms(s.delete_ms), Ms(s.total_ms), s.ok() ? "ok" : "failed",
                     CsvField(s.error));
}

std::optional<std::int64_t> ParseStamp(const std::string& output) {
  constexpr std::string_view kWord = "ocibench-stamp ";
  const auto at = output.find(kWord);
  if (at == std::string::npos) return std::nullopt;
  std::int64_t v = 0;
  std::size_t i = at + kWord.size(), digits = 0;
  for (; i < output.size() && output[i] >= '0' && output[i] <= '9'; ++i, ++digits)
    v = v * 10 + (output[i] - '0');
  if (digits == 0 || digits > 19) return std::nullopt;
  return v;
}

std::int64_t RealtimeNs() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

}  // namespace ocibench::startup
