// One `ocibench startup` or `ocibench density` invocation: the runtimes resolved, a results
// directory (run.json, log.txt and this command's CSVs, docs/results-format.md) held by a run
// lease (so `ocibench gc` leaves a live session alone), the private containerd for shim
// runtimes, Ctrl-C/SIGTERM turned into a stop flag, and everything removed at the end.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/run/config.h"
#include "harness/run/discovery.h"
#include "harness/startup/target.h"

namespace ocibench::containerd {
class PrivateContainerd;
}
namespace ocibench::run {
class ResultsDir;
class RunLease;
}  // namespace ocibench::run

namespace ocibench::startup {

struct SessionOptions {
  std::string command;        // "startup" | "density": run.json's "command"
  run::RunConfig config;      // runtimes, cpus, memory, images, bench, results, out
  std::filesystem::path out;  // exact results directory ("" = RESULTS/<UTC>-<host>)
  std::vector<std::string> images = {"bench"};  // tags the session needs in the layout
  nlohmann::json settings;                      // the command's own options, recorded in run.json
  bool quiet = false;
};

class Session {
 public:
  // Throws run::ConfigError (usage: exit 2) for a bad runtime, path or directory.
  explicit Session(SessionOptions options);
  ~Session();  // stops containerd, removes bundles and scratch files; never throws
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::filesystem::path& dir() const;
  const std::vector<run::RuntimeEntry>& runtimes() const { return runtimes_; }
  const TargetContext& context() const { return ctx_; }
  void SetGivenBundle(const std::filesystem::path& b) { ctx_.given_bundle = b; }
  // True once SIGINT or SIGTERM arrived (the handlers are installed for the session's life).
  static bool Stopped();
  static const std::atomic<bool>& StopFlag();

  // Appends a CSV row to `name` (header written first) and replaces the file atomically.
  void AppendCsv(const std::string& name, const std::string& header, const std::string& rows);
  void Log(const std::string& line);       // log.txt, and stderr unless quiet
  void Progress(const std::string& line);  // stderr unless quiet
  // run.json: "finished" (only when complete) and the outcome.
  void Finish(bool complete, const nlohmann::json& outcome);

 private:
  SessionOptions options_;
  std::vector<run::RuntimeEntry> runtimes_;
  TargetContext ctx_;
  std::unique_ptr<run::ResultsDir> results_;
  std::unique_ptr<run::RunLease> lease_;
  std::unique_ptr<containerd::PrivateContainerd> containerd_;
  std::mutex mu_;
  std::map<std::string, std::string> csv_;
};

// "ocibench-<run>-<runtime>-<tag>": a container of the session (`ocibench gc` knows the run id
// in it); tag tells it from the runtime's others ("s12", "c4-1-7", "d99").
std::string ContainerId(const TargetContext& ctx, const std::string& runtime,
                        const std::string& tag);

}  // namespace ocibench::startup
