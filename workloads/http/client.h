// An HTTP/1.1 GET client on libcurl for the download and request-latency benchmarks. One easy
// handle: requests reuse its connection (keep-alive) unless asked for a new one each time.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace ocibench::http {

// A failed request; what() is one line naming the URL.
class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientOptions {
  double timeout_s = 60;  // whole request; also bounds connecting (connect_timeout_s)
  double connect_timeout_s = 5;
  long buffer_size = 0;  // receive buffer (CURLOPT_BUFFERSIZE); 0 = libcurl's default
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // GETs `url` and discards the body; returns the body size. Throws HttpError unless the
  // status is 200 and both libcurl's byte count and the bytes delivered equal
  // `expected_size`. new_connection: connect afresh and close afterwards (no keep-alive).
  std::uint64_t Get(const std::string& url, std::uint64_t expected_size,
                    bool new_connection = false);

  // Connections libcurl opened so far (CURLINFO_NUM_CONNECTS summed): shows keep-alive working.
  long connects() const { return connects_; }

 private:
  static std::size_t OnData(char* ptr, std::size_t size, std::size_t n, void* self);
  void* curl_ = nullptr;  // CURL*
  std::uint64_t received_ = 0;
  long connects_ = 0;
  char error_[256] = {};
};

std::string CurlVersion();  // e.g. "libcurl/7.88.1"

}  // namespace ocibench::http
