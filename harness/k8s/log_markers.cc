// Finding the bench's JSON between the markers in a pod's log.
#include "harness/k8s/log_markers.h"

namespace ocibench::k8s {

ExtractedJson ExtractBenchJson(const std::string& log) {
  const std::string begin = std::string(kJsonBegin) + "\n";
  const std::string end = "\n" + std::string(kJsonEnd);
  // The last begin: a container restarted by the kubelet would print an earlier, shorter log.
  const auto b = log.rfind(begin);
  if (b == std::string::npos)
    return {std::nullopt,
            "no '" + std::string(kJsonBegin) +
                "' line in the log: the bench did not finish (its last lines are in log.txt)"};
  const auto start = b + begin.size();
  const auto e = log.find(end, start);
  if (e == std::string::npos)
    return {std::nullopt, "the log ends before '" + std::string(kJsonEnd) +
                              "': cut short (log rotation or a killed container)"};
  return {log.substr(start, e - start), ""};
}

}  // namespace ocibench::k8s
