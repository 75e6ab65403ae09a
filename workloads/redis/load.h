// The redis-benchmark load loop on hiredis' async API and libevent (research notes 2.3, 2.5).
//
// `clients` connections each send a batch of `pipeline` copies of one command, wait for all
// replies, and send the next batch, until `requests` requests were issued. One event loop
// drives all clients (threads <= 1) or clients are dealt round-robin to `threads` loops.
// Latency of a batch = first readable event - the write of the batch, recorded once per reply,
// as redis-benchmark does. Connects happen before the clock starts.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "workloads/latency/histogram.h"
#include "workloads/redis/endpoint.h"

namespace ocibench::redis {

// A failure of the server or the connection; what() is one line naming the address.
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  Endpoint server;
  int clients = 50;                // redis-benchmark -c
  std::int64_t requests = 100000;  // -n (total over all clients)
  int pipeline = 1;                // -P
  std::int64_t keyspace = 0;       // -r: 0 sends the literal key "__rand_int__"
  int threads = 0;                 // --threads: 0 or 1 = one loop in the calling thread
  double connect_timeout_s = 5;    // all clients connected within this
  double request_timeout_s = 10;   // no batch may wait longer for its replies
};

struct LoadResult {
  std::int64_t requests = 0;      // replies received (can pass `requests` by up to pipeline-1)
  double seconds = 0;             // first batch sent .. last reply received
  latency::Histogram latency_ns;  // one value per reply, nanoseconds
  std::int64_t error_replies =
      0;  // replies of type error (counted as requests, like redis-benchmark)
  std::string first_error_reply;
  double rps() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// Throws std::invalid_argument for bad options, RedisError when the server cannot be reached,
// stops answering (request_timeout_s) or closes a connection.
LoadResult RunLoad(const LoadOptions& options, const std::string& command);

// Versions of the client libraries, for the result context: "0.14.1", "2.1.12-stable".
std::string HiredisVersion();
std::string LibeventVersion();

}  // namespace ocibench::redis
