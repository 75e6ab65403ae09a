#include "workloads/redis/sync_client.h"

#include <hiredis/hiredis.h>

#include <cmath>
#include <memory>
#include <sstream>

#include "workloads/redis/load.h"

namespace ocibench::redis {
namespace {

Reply Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  if (r->str) out.str.assign(r->str, r->len);
  out.integer = r->integer;
  for (std::size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
    out.elements.push_back(Convert(r->element[i]));
  return out;
}

}  // namespace

Reply Query(const Endpoint& server, const std::vector<std::string>& argv, double timeout_s) {
  const std::string address = server.ToString();
  timeval tv;
  tv.tv_sec = static_cast<time_t>(timeout_s);
  tv.tv_usec = static_cast<suseconds_t>((timeout_s - std::floor(timeout_s)) * 1e6);
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      server.is_unix() ? redisConnectUnixWithTimeout(server.unix_path.c_str(), tv)
                       : redisConnectWithTimeout(server.host.c_str(), server.port, tv),
      redisFree);
  if (!c) throw RedisError("cannot connect to Redis at " + address + ": out of memory");
  if (c->err) throw RedisError("cannot connect to Redis at " + address + ": " + c->errstr);
  redisSetTimeout(c.get(), tv);
  if (!server.password.empty()) {
    auto* a = static_cast<redisReply*>(
        redisCommand(c.get(), "AUTH %b", server.password.data(), server.password.size()));
    const bool ok = a != nullptr && a->type != REDIS_REPLY_ERROR;
    const std::string why = a == nullptr ? "no reply" : a->type == REDIS_REPLY_ERROR ? a->str : "";
    if (a) freeReplyObject(a);
    if (!ok) throw RedisError("Redis at " + address + " refused AUTH: " + why);
  }
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(c.get(), static_cast<int>(argv.size()), ptrs.data(), lens.data()));
  if (r == nullptr)
    throw RedisError("no reply from Redis at " + address + ": " +
                     (c->errstr[0] ? c->errstr : "connection lost"));
  Reply out = Convert(r);
  freeReplyObject(r);
  return out;
}

std::string InfoField(const Endpoint& server, const std::string& field, double timeout_s) {
  const Reply r = Query(server, {"INFO"}, timeout_s);
  std::istringstream in(r.str);
  std::string line;
  while (std::getline(in, line)) {
    if (line.ends_with('\r')) line.pop_back();
    if (line.starts_with(field + ":")) return line.substr(field.size() + 1);
  }
  return "";
}

}  // namespace ocibench::redis
