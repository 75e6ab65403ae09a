// Where the Redis server is: "HOST:PORT" (TCP) or a path with a '/' (unix socket).
#pragma once

#include <string>

namespace ocibench::redis {

struct Endpoint {
  std::string host;  // numeric address preferred: a static binary has no NSS for names
  int port = 0;
  std::string unix_path;  // set for a unix socket; host/port unused then
  std::string password;   // sent with AUTH on every connection when not empty

  bool is_unix() const { return !unix_path.empty(); }
  std::string ToString() const;  // "127.0.0.1:6379" or the socket path
};

// Throws std::invalid_argument with a one-line message naming the bad text.
Endpoint ParseEndpoint(const std::string& text);

}  // namespace ocibench::redis
