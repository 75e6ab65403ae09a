#include "workloads/redis/endpoint.h"

#include <charconv>
#include <stdexcept>

namespace ocibench::redis {

std::string Endpoint::ToString() const {
  if (is_unix()) return unix_path;
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint ParseEndpoint(const std::string& text) {
  Endpoint e;
  if (text.find('/') != std::string::npos) {
    e.unix_path = text;
    return e;
  }
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::invalid_argument("Redis server '" + text +
                                "' is neither HOST:PORT nor a unix socket path (with a '/')");
  e.host = text.substr(0, colon);
  if (e.host.size() >= 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), e.port);
  if (ec != std::errc() || end != port.data() + port.size() || e.port < 1 || e.port > 65535)
    throw std::invalid_argument("Redis server '" + text + "': port '" + port +
                                "' is not a number in 1..65535");
  return e;
}

}  // namespace ocibench::redis
