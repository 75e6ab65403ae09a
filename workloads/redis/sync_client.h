// A blocking one-shot Redis command with a timeout: the untimed set-up and checks around a load
// (LRANGE needs a long enough list, the server's version for the result context, tests).
#pragma once

#include <string>
#include <vector>

#include "workloads/redis/endpoint.h"

namespace ocibench::redis {

struct Reply {
  enum class Type { kString, kInteger, kArray, kNil, kStatus, kError } type = Type::kNil;
  std::string str;  // string, status or error text
  long long integer = 0;
  std::vector<Reply> elements;
};

// Sends one command and returns its reply. Throws RedisError (load.h) naming the address when
// the server cannot be reached or does not answer within timeout_s.
Reply Query(const Endpoint& server, const std::vector<std::string>& argv, double timeout_s = 5);

// A field of INFO (e.g. "redis_version"); "" when absent.
std::string InfoField(const Endpoint& server, const std::string& field, double timeout_s = 5);

}  // namespace ocibench::redis
