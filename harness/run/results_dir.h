// The results directory (docs/results-format.md). Every file is replaced atomically (NAME.tmp,
// fsync, rename) whenever a cell ends, so an interrupt or a crash loses nothing measured.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace ocibench::run {

// JSON as ocibench writes it (indent 2, a final newline). A runtime's or a workload's words are
// untrusted bytes: invalid UTF-8 in a string is replaced (U+FFFD), never fatal.
inline std::string JsonText(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Takes a file a container left in its /results (untrusted input) into `to` (atomically, by
// copying its bytes, never by renaming): opened without following a link and without blocking
// (a FIFO), taken only when it is a regular file of at most max_bytes. Returns "" when taken,
// else why not, naming the file; a file that is not there at all: "FILE was not written".
std::string TakeUntrustedFile(const std::filesystem::path& from, const std::filesystem::path& to,
                              std::uintmax_t max_bytes);

inline constexpr const char* kMemoryHeader =
    "runtime,group,repetition,t_s,host_used_bytes,cgroup_bytes,runtime_pss_bytes\n";
inline constexpr const char* kLifecycleHeader =
    "runtime,group,repetition,create_ms,start_ms,first_output_ms,total_ms,delete_ms\n";

class ResultsDir {
 public:
  // Creates `dir` with empty CSVs (new run), or opens an existing one (resume: its files are
  // read back, and appended to).
  ResultsDir(ResultsDir&& o) noexcept
      : dir_(std::move(o.dir_)),
        run_(std::move(o.run_)),
        memory_(std::move(o.memory_)),
        lifecycle_(std::move(o.lifecycle_)),
        log_(std::move(o.log_)) {}
  static ResultsDir Create(const std::filesystem::path& dir, nlohmann::json run);
  static ResultsDir Open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  // run.json, guarded: update the in-memory document with Update() and it is saved.
  nlohmann::json Run() const;
  void Update(const std::function<void(nlohmann::json&)>& change);
  void AppendMemory(const std::string& rows);
  void AppendLifecycle(const std::string& row);
  // Drops the memory and lifecycle rows of one cell (prefix "runtime,group,repetition,"): a
  // cell that runs again after an abort between its rows and its run.json entry.
  void ForgetRows(const std::string& prefix);
  void Log(const std::string& text);  // each line is kept; a trailing newline is added

 private:
  ResultsDir() = default;
  std::filesystem::path dir_;
  mutable std::mutex mu_;
  nlohmann::json run_;
  std::string memory_, lifecycle_, log_;
};

}  // namespace ocibench::run
