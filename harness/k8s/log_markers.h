// The two lines between which ocibench-bench --ocibench_print_json prints its Google Benchmark
// JSON on stdout (benchmarks/main.cc prints the same two), and finding that JSON in a pod's log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ocibench::k8s {

inline constexpr std::string_view kJsonBegin = "--- ocibench-json begin ---";
inline constexpr std::string_view kJsonEnd = "--- ocibench-json end ---";

struct ExtractedJson {
  std::optional<std::string> json;  // the text between the last begin marker and its end
  std::string error;                // why there is none: one line
};

// `log` is what `kubectl logs` printed (stdout and stderr of the bench container, interleaved).
ExtractedJson ExtractBenchJson(const std::string& log);

}  // namespace ocibench::k8s
