// The seam between `ocibench profile --verify` and the code that runs the command in each
// runtime (harness/verify/, above run/ and oci/, which profile/ may not include): verify/
// registers its Verifier here when the binary starts; profile_command.cc only calls it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ocibench::profile {

struct VerifyRequest {
  std::vector<std::string> command;            // may hold {n} (with units)
  std::optional<std::pair<long, long>> units;  // --units A:B; none = the whole command
  int rounds = 3;                              // ABBA rounds (--rounds)
  std::chrono::seconds timeout{600};           // each run of the command
  std::vector<std::string> runtimes;           // --runtimes; empty = every runtime predicted
  std::map<std::string, double> predicted;     // runtime → predicted slowdown
  std::string costs_from;                      // the --results DIR or --costs FILE (messages)
};

// Prints the measured beside the predicted slowdowns; returns the exit code.
using Verifier = std::function<int(const VerifyRequest&)>;

inline Verifier& VerifierSlot() {
  static Verifier v;
  return v;
}

// Called from a static initializer of harness/verify/.
inline bool RegisterVerifier(Verifier v) {
  VerifierSlot() = std::move(v);
  return true;
}

}  // namespace ocibench::profile
