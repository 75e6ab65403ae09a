// ResultsDir: run.json, memory.csv, lifecycle.csv and log.txt, each replaced atomically.
#include "harness/run/results_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/process/atomic_file.h"

namespace ocibench::run {
namespace fs = std::filesystem;
namespace {

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ResultsDir ResultsDir::Create(const fs::path& dir, nlohmann::json run) {
  if (fs::exists(dir / "run.json"))
    throw std::runtime_error(dir.string() + " already holds a run (use --resume to finish it)");
  fs::create_directories(dir);
  ResultsDir r;
  // Absolute: cells hand paths below it to runtimes (bind-mount sources), and a relative source
  // means nothing to containerd's shim, whose working directory is its own state directory.
  r.dir_ = fs::absolute(dir);
  r.run_ = std::move(run);
  r.memory_ = kMemoryHeader;
  r.lifecycle_ = kLifecycleHeader;
  process::WriteFileAtomic(dir / "memory.csv", r.memory_);
  process::WriteFileAtomic(dir / "lifecycle.csv", r.lifecycle_);
  process::WriteFileAtomic(dir / "log.txt", r.log_);
  process::WriteFileAtomic(dir / "run.json", JsonText(r.run_));
  return r;
}

ResultsDir ResultsDir::Open(const fs::path& dir) {
  ResultsDir r;
  r.dir_ = fs::absolute(dir);  // as in Create
  std::ifstream in(dir / "run.json");
  if (!in)
    throw std::runtime_error("no run.json in " + dir.string() + " (not a results directory)");
  try {
    r.run_ = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(dir.string() + "/run.json: not valid JSON (" + e.what() + ")");
  }
  r.memory_ = ReadAll(dir / "memory.csv");
  r.lifecycle_ = ReadAll(dir / "lifecycle.csv");
  r.log_ = ReadAll(dir / "log.txt");
  if (r.memory_.empty()) r.memory_ = kMemoryHeader;
  if (r.lifecycle_.empty()) r.lifecycle_ = kLifecycleHeader;
  return r;
}

nlohmann::json ResultsDir::Run() const {
  std::lock_guard lock(mu_);
  return run_;
}

void ResultsDir::Update(const std::function<void(nlohmann::json&)>& change) {
  std::lock_guard lock(mu_);
  change(run_);
  process::WriteFileAtomic(dir_ / "run.json", JsonText(run_));
}

void ResultsDir::AppendMemory(const std::string& rows) {
  std::lock_guard lock(mu_);
  memory_ += rows;
  process::WriteFileAtomic(dir_ / "memory.csv", memory_);
}

void ResultsDir::AppendLifecycle(const std::string& row) {
  std::lock_guard lock(mu_);
  lifecycle_ += row;
  process::WriteFileAtomic(dir_ / "lifecycle.csv", lifecycle_);
}

namespace {
// `text` without its lines that start with `prefix` (the header never does).
bool DropLines(std::string& text, const std::string& prefix) {
  std::string kept;
  bool dropped = false;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    if (text.compare(at, prefix.size(), prefix) == 0)
      dropped = true;
    else
      kept.append(text, at, end - at);
    at = end;
  }
  if (dropped) text = std::move(kept);
  return dropped;
}
}  // namespace

void ResultsDir::ForgetRows(const std::string& prefix) {
  std::lock_guard lock(mu_);
  if (DropLines(memory_, prefix)) process::WriteFileAtomic(dir_ / "memory.csv", memory_);
  if (DropLines(lifecycle_, prefix)) process::WriteFileAtomic(dir_ / "lifecycle.csv", lifecycle_);
}

std::string TakeUntrustedFile(const fs::path& from, const fs::path& to, std::uintmax_t max_bytes) {
  const std::string name = from.filename().string();
  const int fd = ::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return name + " was not written";
    if (errno == ELOOP) return name + " is a symbolic link: not taken";
    return name + ": " + std::strerror(errno);
  }
  struct stat st {};
  std::string content, why;
  if (::fstat(fd, &st) != 0) {
    why = name + ": " + std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    why = name + " is not a regular file: not taken";
  } else if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    why = fmt::format("{} has {} bytes, more than the {} taken: not taken", name, st.st_size,
                      max_bytes);
  } else {
    char buf[65536];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
      if (n < 0) {
        if (errno == EINTR) continue;
        why = name + ": " + std::strerror(errno);
        break;
      }
      content.append(buf, static_cast<std::size_t>(n));
      if (content.size() > max_bytes) {
        why = fmt::format("{} grew past {} bytes: not taken", name, max_bytes);
        break;
      }
    }
  }
  ::close(fd);
  if (!why.empty()) return why;
  fs::create_directories(to.parent_path());
  process::WriteFileAtomic(to, content);
  return "";
}

void ResultsDir::Log(const std::string& text) {
  std::lock_guard lock(mu_);
  log_ += text;
  if (!text.empty() && text.back() != '\n') log_ += '\n';
  process::WriteFileAtomic(dir_ / "log.txt", log_);
}

}  // namespace ocibench::run
