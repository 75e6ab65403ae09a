// The seam between --verify's rounds and where the command runs: natively (native_target.cc)
// or in one runtime (oci_target.cc: runc, crun, runsc over the host bundle; shim_target.cc:
// containerd's runc shim through `ctr run --rootfs`), one timed run at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/process/timed_run.h"
#include "harness/run/discovery.h"
#include "harness/verify/host_bundle.h"

namespace ocibench::containerd {
class PrivateContainerd;
}

namespace ocibench::verify {

struct TimedRun {
  double seconds = 0;  // native: fork to exit; container: `start` to its exit (create, the
                       // sandbox's boot and delete are outside)
  std::string error;   // "" = exited 0; else one line (process/'s wording)
  bool stopped = false;
};

// What every target of one --verify shares.
struct TargetContext {
  std::string id;                 // run id: names containers, bundles and cgroups
  std::filesystem::path bundles;  // run/'s kBundleRoot/<id> (`ocibench gc` removes it)
  std::chrono::seconds timeout{600};
  const std::atomic<bool>* stop = nullptr;
  std::vector<std::string> env;  // the host's environment
  std::filesystem::path cwd;
  HostTree tree;
  containerd::PrivateContainerd* containerd = nullptr;  // shim kind
};

class Target {
 public:
  virtual ~Target() = default;
  virtual const std::string& name() const = 0;
  // `program` names the command in an error line (argv may start with a wrapper).
  virtual TimedRun Run(const std::vector<std::string>& argv, const std::string& program) = 0;
  // From the signal watcher's thread: kill what runs now (the run then returns stopped).
  virtual void Interrupt() {}
};

// The last non-empty line of a stream (what a one-line error quotes).
std::string LastLineOf(std::string text);
// process/'s one wording for a RunTimed that did not exit 0 ("" when it did).
std::string DescribeTimedRun(const std::string& who, const process::TimedRunResult& r,
                             std::chrono::seconds timeout, const std::string& detail = "");

std::unique_ptr<Target> MakeNativeTarget(const TargetContext& ctx);
std::unique_ptr<Target> MakeOciTarget(const run::RuntimeEntry& entry, const TargetContext& ctx);
std::unique_ptr<Target> MakeShimTarget(const run::RuntimeEntry& entry, const TargetContext& ctx);

}  // namespace ocibench::verify
