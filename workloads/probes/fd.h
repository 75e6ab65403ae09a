// A file descriptor closed on scope exit, and whole-buffer read/write loops.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cstddef>

namespace ocibench::probes {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Ignores SIGPIPE while alive, so a write to a pipe or socket whose peer died fails with EPIPE
// (and the probe reports it) instead of killing the whole benchmark binary.
class ScopedIgnoreSigpipe {
 public:
  ScopedIgnoreSigpipe() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old_);
  }
  ~ScopedIgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  ScopedIgnoreSigpipe(const ScopedIgnoreSigpipe&) = delete;
  ScopedIgnoreSigpipe& operator=(const ScopedIgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

// Write all `n` bytes (retrying short writes and EINTR). False with errno set on error.
bool WriteFull(int fd, const void* buf, std::size_t n);
// Read exactly `n` bytes. False on error (errno set) or on end of file first (errno = 0).
bool ReadFull(int fd, void* buf, std::size_t n);

}  // namespace ocibench::probes
