// Formatted log lines to a file (log_writer.h).
#include "workloads/apps/log_writer.h"

#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

namespace ocibench::apps {
namespace {

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

LogWriter::LogWriter(const std::string& path, bool flush_each, Level threshold,
                     std::uint64_t rotate_bytes)
    : path_(path), flush_each_(flush_each), threshold_(threshold), rotate_bytes_(rotate_bytes) {
  f_ = std::fopen(path.c_str(), "w");
  if (!f_) throw std::system_error(errno, std::generic_category(), "fopen " + path);
}

LogWriter::~LogWriter() {
  if (f_) std::fclose(f_);
}

bool LogWriter::Log(Level level, const char* logger, std::int64_t request, std::int64_t user,
                    double ms) {
  if (level < threshold_) return false;
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  const int n = std::fprintf(f_, "%s.%06ldZ %-5s %s request %lld of user %lld took %.1f ms\n",
                             stamp, ts.tv_nsec / 1000, Name(level), logger,
                             static_cast<long long>(request), static_cast<long long>(user), ms);
  if (n < 0) throw std::system_error(errno, std::generic_category(), "fprintf " + path_);
  if (flush_each_) Flush();
  lines_++;
  bytes_ += static_cast<std::uint64_t>(n);
  since_rotate_ += static_cast<std::uint64_t>(n);
  if (since_rotate_ >= rotate_bytes_) {
    Flush();
    if (ftruncate(fileno(f_), 0) != 0)
      throw std::system_error(errno, std::generic_category(), "ftruncate " + path_);
    std::rewind(f_);
    since_rotate_ = 0;
    rotations_++;
  }
  return true;
}

void LogWriter::Flush() {
  if (std::fflush(f_) != 0)
    throw std::system_error(errno, std::generic_category(), "fflush " + path_);
}

}  // namespace ocibench::apps
