// The container's stdout/stderr: pipes read by a thread that keeps the first-output time, up to
// max_kept bytes in memory per stream, and everything in the ContainerIo files.
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "harness/oci/container_impl.h"

namespace ocibench::oci {

Container::Impl::~Impl() {
  StopReader();
  for (int* fd : {&status_fd, &out_fd, &err_fd}) {
    if (*fd >= 0) ::close(*fd);
  }
}

void Container::Impl::StartReader(int out, int err) {
  out_fd = out;
  err_fd = err;
  reader = std::thread([this] { ReadLoop(); });
}

void Container::Impl::StopReader() {
  stop_reader = true;
  if (reader.joinable()) reader.join();
}

void Container::Impl::ReadLoop() {
  int fds[2] = {out_fd, err_fd};
  char buf[16384];
  while ((fds[0] >= 0 || fds[1] >= 0)) {
    pollfd p[2];
    nfds_t n = 0;
    for (int fd : fds) {
      if (fd >= 0) p[n++] = {fd, POLLIN, 0};
    }
    const int ready = ::poll(p, n, 100);
    if (ready <= 0) {
      if (stop_reader) break;
      continue;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const bool is_out = p[i].fd == fds[0];
      const ssize_t got = ::read(p[i].fd, buf, sizeof buf);
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        (is_out ? fds[0] : fds[1]) = -1;
        continue;
      }
      std::lock_guard lock(mu);
      if (first_output_ms < 0 && started) first_output_ms = internal::MsSince(t0);
      std::string& text = is_out ? out_text : err_text;
      text.append(buf, std::min<size_t>(static_cast<size_t>(got),
                                        max_kept - std::min(max_kept, text.size())));
      std::ofstream& file = is_out ? out_file : err_file;
      if (file.is_open()) file.write(buf, got).flush();
    }
  }
  {
    std::lock_guard lock(mu);
    reader_done = true;
  }
  reader_cv.notify_all();
}

std::string Container::Stdout() const {
  std::lock_guard lock(impl_->mu);
  return impl_->out_text;
}

std::string Container::Stderr() const {
  std::lock_guard lock(impl_->mu);
  return impl_->err_text;
}

}  // namespace ocibench::oci
