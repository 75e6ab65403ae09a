// The logging workload: formatted log lines (time stamp, level, logger, message with
// arguments) written to a file through stdio, either buffered or flushed per line (one
// write(2) a line, as a logging handler that flushes does), and a level below the threshold
// that formats nothing (pyperformance's logging_silent). The file is truncated when it passes
// a size limit, so a long run does not fill the disk (a rotation without the rename).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace ocibench::apps {

enum class Level { kDebug, kInfo, kWarn, kError };

class LogWriter {
 public:
  // Opens (truncates) `path`. `flush_each`: fflush after every line. Throws
  // std::system_error naming the call and the path.
  LogWriter(const std::string& path, bool flush_each, Level threshold = Level::kInfo,
            std::uint64_t rotate_bytes = 64ull << 20);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // "2026-12-01T18:00:00.123456Z INFO  app.worker request 17 of user 4242 took 3.5 ms\n";
  // nothing (and false) when `level` is below the threshold.
  bool Log(Level level, const char* logger, std::int64_t request, std::int64_t user, double ms);
  void Flush();

  std::uint64_t lines() const { return lines_; }
  std::uint64_t bytes() const { return bytes_; }  // written since opening, rotations included
  std::uint64_t rotations() const { return rotations_; }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  bool flush_each_;
  Level threshold_;
  std::uint64_t rotate_bytes_;
  std::uint64_t lines_ = 0, bytes_ = 0, since_rotate_ = 0, rotations_ = 0;
};

}  // namespace ocibench::apps
