#include "workloads/redis/load.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace ocibench::redis {
namespace {

std::int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string Seconds(double s) {
  char buf[32];
  snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

// State all loops share.
struct Shared {
  Shared(const LoadOptions& o, std::string a) : opt(o), address(std::move(a)) {}
  const LoadOptions& opt;
  std::string address;
  std::atomic<std::int64_t> issued{0};
  std::atomic<std::int64_t> finished{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::string error;

  void Fail(const std::string& message) {
    std::lock_guard lock(mu);
    if (error.empty()) error = message;
    failed.store(true);
  }
};

struct Loop;

struct Client {
  Loop* loop = nullptr;
  redisAsyncContext* ac = nullptr;  // nullptr once hiredis freed it (connect failure, EOF)
  std::string obuf;                 // `pipeline` copies of the command
  std::size_t cmd_len = 0;
  bool inline_cmd = false;            // not RESP (PING_INLINE): see ReadInlineReplies
  std::vector<std::size_t> rand_off;  // offsets of "__rand_int__" in obuf
  int pending = 0;
  bool busy = false;        // a batch is out
  bool ready = false;       // connected (and authenticated): replies are the batches' now
  redisReply reply{};       // the top-level reply being delivered (see LightReplies)
  std::string reply_error;  // its text when it is an error
  std::int64_t queued_ns = 0, start_ns = -1, latency_ns = -1;
};

struct Loop {
  Shared* shared = nullptr;
  event_base* base = nullptr;
  event* watchdog = nullptr;
  std::vector<std::unique_ptr<Client>> clients;
  latency::Histogram hist;
  std::mt19937_64 rng;
  int connected = 0;
  int done = 0;
  bool connecting = true;
  bool shutting_down = false;
  std::int64_t phase_start_ns = 0;
  std::int64_t error_replies = 0;
  std::string first_error_reply;

  void Stop() { event_base_loopbreak(base); }
  void Fail(const std::string& message) {
    shared->Fail(message);
    Stop();
  }
};

void StartBatch(Client* c);

// Reply objects: hiredis' reader parses every byte of every reply, but a benchmark client needs
// only the top-level type. Building hiredis' reply tree costs a malloc per element (LRANGE_600:
// 601) and made the client, not the server, the bottleneck (client at 100% CPU, -30% rps).
// The top-level object is the client's own redisReply (so hiredis may read ->type); nested
// elements all map to one dummy object; nothing is allocated or freed.
char g_nested_element;

void* LightObject(const redisReadTask* task, const char* str, std::size_t len) {
  if (task->parent != nullptr) return &g_nested_element;
  auto* c = static_cast<Client*>(task->privdata);
  c->reply = redisReply{};
  c->reply.type = task->type;
  if (task->type == REDIS_REPLY_ERROR && str != nullptr) {
    c->reply_error.assign(str, len);
    c->reply.str = c->reply_error.data();
    c->reply.len = c->reply_error.size();
  }
  return &c->reply;
}
void* LightString(const redisReadTask* t, char* s, std::size_t n) { return LightObject(t, s, n); }
void* LightArray(const redisReadTask* t, int) { return LightObject(t, nullptr, 0); }
void* LightInteger(const redisReadTask* t, long long) { return LightObject(t, nullptr, 0); }
void* LightNil(const redisReadTask* t) { return LightObject(t, nullptr, 0); }
void LightFree(void*) {}

redisReplyObjectFunctions g_light_replies = [] {
  redisReplyObjectFunctions f{};
  f.createString = LightString;
  f.createArray = LightArray;
  f.createInteger = LightInteger;
  f.createNil = LightNil;
  f.freeObject = LightFree;
  return f;
}();

// One reply of the client's batch (redis-benchmark's readHandler, per reply).
void HandleReply(Client* c, const redisReply* reply) {
  Loop* loop = c->loop;
  if (reply->type == REDIS_REPLY_ERROR) {
    if (loop->error_replies++ == 0) loop->first_error_reply.assign(reply->str, reply->len);
  }
  const std::int64_t lat = c->latency_ns >= 0
                               ? c->latency_ns
                               : NowNs() - (c->start_ns >= 0 ? c->start_ns : c->queued_ns);
  if (loop->shared->finished.fetch_add(1, std::memory_order_relaxed) < loop->shared->opt.requests)
    loop->hist.Record(static_cast<std::uint64_t>(lat));
  if (--c->pending == 0) {
    c->busy = false;
    StartBatch(c);
  }
}

void OnReply(redisAsyncContext* ac, void* r, void* /*privdata*/) {
  auto* c = static_cast<Client*>(ac->data);
  if (r == nullptr) {  // the context is going away with this request unanswered
    if (!c->loop->shutting_down)
      c->loop->Fail("lost the connection to Redis at " + c->loop->shared->address +
                    (ac->errstr[0] ? std::string(": ") + ac->errstr : std::string()));
    return;
  }
  HandleReply(c, static_cast<const redisReply*>(r));
}

void StartBatch(Client* c) {
  Loop* loop = c->loop;
  Shared* sh = loop->shared;
  const int p = sh->opt.pipeline;
  if (sh->failed.load(std::memory_order_relaxed) ||
      sh->issued.fetch_add(p, std::memory_order_relaxed) >= sh->opt.requests) {
    if (++loop->done == static_cast<int>(loop->clients.size())) loop->Stop();
    return;
  }
  if (sh->opt.keyspace > 0) {
    // redis-benchmark's randomizeClientKey: 12 zero-padded digits of random % keyspace.
    for (std::size_t off : c->rand_off) {
      auto v =
          static_cast<std::uint64_t>(loop->rng() % static_cast<std::uint64_t>(sh->opt.keyspace));
      for (int j = 11; j >= 0; j--, v /= 10) c->obuf[off + j] = static_cast<char>('0' + v % 10);
    }
  }
  c->busy = true;
  c->pending = p;
  c->queued_ns = NowNs();
  c->start_ns = -1;
  c->latency_ns = -1;
  for (int j = 0; j < p; j++) {
    const char* cmd = c->obuf.data() + static_cast<std::size_t>(j) * c->cmd_len;
    const int rc = c->inline_cmd
                       ? redisAppendFormattedCommand(&c->ac->c, cmd, c->cmd_len)
                       : redisAsyncFormattedCommand(c->ac, OnReply, nullptr, cmd, c->cmd_len);
    if (rc != REDIS_OK) {
      loop->Fail("cannot send to Redis at " + sh->address + ": " + c->ac->errstr);
      return;
    }
  }
  if (c->inline_cmd) c->ac->ev.addWrite(c->ac->ev.data);  // what the async API does itself
}

// Inline commands (PING_INLINE's "PING\r\n") cannot go through hiredis' async API: it asserts
// that a command has RESP arguments. Such a client appends to the same context's output buffer
// (above; hiredis' write handler sends it) and reads replies here with the context's reader.
void ReadInlineReplies(Client* c) {
  redisContext* ctx = &c->ac->c;
  if (redisBufferRead(ctx) != REDIS_OK) {
    return c->loop->Fail("lost the connection to Redis at " + c->loop->shared->address + ": " +
                         ctx->errstr);
  }
  c->ac->ev.addRead(c->ac->ev.data);  // the adapter's read event fires once per add
  void* reply = nullptr;
  while (c->busy) {
    if (redisReaderGetReply(ctx->reader, &reply) != REDIS_OK) {
      return c->loop->Fail("bad reply from Redis at " + c->loop->shared->address + ": " +
                           ctx->reader->errstr);
    }
    if (reply == nullptr) break;
    HandleReply(c, static_cast<const redisReply*>(reply));
  }
}

// The adapter's read/write events, wrapped to take redis-benchmark's timestamps: the batch
// starts when it is written, its latency ends at the first readable event (parsing excluded).
void OnWritable(evutil_socket_t, short, void* arg) {
  auto* c = static_cast<Client*>(arg);
  if (c->busy && c->start_ns < 0) c->start_ns = NowNs();
  redisAsyncHandleWrite(c->ac);
}

void OnReadable(evutil_socket_t, short, void* arg) {
  auto* c = static_cast<Client*>(arg);
  if (c->busy && c->latency_ns < 0 && c->start_ns >= 0) c->latency_ns = NowNs() - c->start_ns;
  if (c->inline_cmd && c->ready) return ReadInlineReplies(c);
  redisAsyncHandleRead(c->ac);
}

void OnAuth(redisAsyncContext* ac, void* r, void* privdata);

void OnConnect(const redisAsyncContext* ac, int status) {
  auto* c = static_cast<Client*>(ac->data);
  Loop* loop = c->loop;
  if (status != REDIS_OK) {
    c->ac = nullptr;  // hiredis frees the context after this callback
    loop->Fail("cannot connect to Redis at " + loop->shared->address + ": " + ac->errstr);
    return;
  }
  const std::string& password = loop->shared->opt.server.password;
  if (!password.empty()) {  // AUTH before the first batch, in the connection phase (untimed)
    redisAsyncCommand(const_cast<redisAsyncContext*>(ac), OnAuth, nullptr, "AUTH %b",
                      password.data(), password.size());
    return;
  }
  c->ready = true;
  if (++loop->connected == static_cast<int>(loop->clients.size())) loop->Stop();
}

void OnAuth(redisAsyncContext* ac, void* r, void* /*privdata*/) {
  auto* c = static_cast<Client*>(ac->data);
  Loop* loop = c->loop;
  if (r == nullptr) return;  // the context is going away: OnDisconnect says why
  if (static_cast<const redisReply*>(r)->type == REDIS_REPLY_ERROR)
    return loop->Fail("Redis at " + loop->shared->address + " refused AUTH: " + c->reply_error);
  c->ready = true;
  if (++loop->connected == static_cast<int>(loop->clients.size())) loop->Stop();
}

void OnDisconnect(const redisAsyncContext* ac, int status) {
  auto* c = static_cast<Client*>(ac->data);
  Loop* loop = c->loop;
  c->ac = nullptr;
  if (!loop->shutting_down)
    loop->Fail(
        "Redis at " + loop->shared->address + " closed the connection" +
        (status != REDIS_OK && ac->errstr[0] ? std::string(": ") + ac->errstr : std::string()));
}

// Periodic check: connect and reply deadlines, and another loop's failure.
void OnWatchdog(evutil_socket_t, short, void* arg) {
  auto* loop = static_cast<Loop*>(arg);
  Shared* sh = loop->shared;
  if (sh->failed.load()) return loop->Stop();
  const std::int64_t now = NowNs();
  if (loop->connecting) {
    if (now - loop->phase_start_ns > static_cast<std::int64_t>(sh->opt.connect_timeout_s * 1e9))
      loop->Fail("cannot connect to Redis at " + sh->address + ": no connection within " +
                 Seconds(sh->opt.connect_timeout_s));
    return;
  }
  const auto limit = static_cast<std::int64_t>(sh->opt.request_timeout_s * 1e9);
  for (const auto& c : loop->clients) {
    if (c->busy && now - c->queued_ns > limit) {
      return loop->Fail("Redis at " + sh->address + " sent no reply within " +
                        Seconds(sh->opt.request_timeout_s) + " (" +
                        std::to_string(sh->finished.load()) + " of " +
                        std::to_string(sh->opt.requests) + " requests answered)");
    }
  }
}

void Validate(const LoadOptions& o) {
  auto bad = [](const std::string& what) { throw std::invalid_argument("Redis load: " + what); };
  if (o.clients < 1 || o.clients > 100000) bad("clients must be in 1..100000");
  if (o.requests < 1) bad("requests must be >= 1");
  if (o.pipeline < 1 || o.pipeline > 100000) bad("pipeline must be in 1..100000");
  if (o.keyspace < 0) bad("keyspace must be >= 0");
  if (o.threads < 0 || o.threads > 500) bad("threads must be in 0..500");
  if (!(o.connect_timeout_s > 0) || !(o.request_timeout_s > 0)) bad("timeouts must be > 0");
  if (!o.server.is_unix() && o.server.host.empty()) bad("no server address");
}

// Owns the loops and their clients; frees every hiredis context and event base on exit.
class Runner {
 public:
  explicit Runner(const LoadOptions& opt) : shared_{opt, opt.server.ToString()} {}

  // Creates the loops and connects the clients (asynchronously). Not in the constructor, so the
  // destructor cleans up after a failure half-way.
  void Setup(const std::string& command) {
    const LoadOptions& opt = shared_.opt;
    const int nloops = std::max(1, opt.threads);
    std::random_device rd;
    for (int i = 0; i < nloops; i++) {
      auto loop = std::make_unique<Loop>();
      loop->shared = &shared_;
      loop->base = event_base_new();
      if (!loop->base) throw RedisError("event_base_new failed");
      loop->rng.seed((static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ static_cast<unsigned>(i));
      const timeval period = {0, 100000};  // 100 ms
      loop->watchdog = event_new(loop->base, -1, EV_PERSIST, OnWatchdog, loop.get());
      event_add(loop->watchdog, &period);
      loops_.push_back(std::move(loop));
    }
    std::string obuf;
    for (int j = 0; j < opt.pipeline; j++) obuf += command;
    std::vector<std::size_t> rand_off;
    for (auto p = obuf.find("__rand_int__"); p != std::string::npos;
         p = obuf.find("__rand_int__", p + 12))
      rand_off.push_back(p);
    for (int i = 0; i < opt.clients; i++) {
      Loop* loop = loops_[static_cast<std::size_t>(i) % loops_.size()].get();
      auto c = std::make_unique<Client>();
      c->loop = loop;
      c->obuf = obuf;
      c->cmd_len = command.size();
      c->inline_cmd = command[0] != '*';
      c->rand_off = rand_off;
      Client* cp = c.get();
      loop->clients.push_back(std::move(c));
      Connect(cp);
    }
  }

  ~Runner() {
    for (auto& loop : loops_) {
      loop->shutting_down = true;
      for (auto& c : loop->clients)
        if (c->ac) redisAsyncFree(std::exchange(c->ac, nullptr));
      if (loop->watchdog) event_free(loop->watchdog);
      if (loop->base) event_base_free(loop->base);
    }
  }

  LoadResult Run() {
    for (auto& loop : loops_) loop->phase_start_ns = NowNs();
    RunLoops([](Loop* loop) {
      if (loop->connected < static_cast<int>(loop->clients.size())) event_base_dispatch(loop->base);
    });
    ThrowIfFailed();
    const std::int64_t t0 = NowNs();
    RunLoops([](Loop* loop) {
      loop->connecting = false;
      for (auto& c : loop->clients) StartBatch(c.get());
      if (loop->done < static_cast<int>(loop->clients.size())) event_base_dispatch(loop->base);
    });
    const std::int64_t t1 = NowNs();
    ThrowIfFailed();
    LoadResult r;
    r.requests = shared_.finished.load();
    r.seconds = static_cast<double>(t1 - t0) * 1e-9;
    for (auto& loop : loops_) {
      r.latency_ns.Merge(loop->hist);
      if (loop->error_replies && r.first_error_reply.empty())
        r.first_error_reply = loop->first_error_reply;
      r.error_replies += loop->error_replies;
    }
    return r;
  }

 private:
  void Connect(Client* c) {
    const Endpoint& ep = shared_.opt.server;
    redisAsyncContext* ac = ep.is_unix() ? redisAsyncConnectUnix(ep.unix_path.c_str())
                                         : redisAsyncConnect(ep.host.c_str(), ep.port);
    if (ac == nullptr)
      throw RedisError("cannot connect to Redis at " + shared_.address + ": out of memory");
    if (ac->err) {
      const std::string why = ac->errstr;
      redisAsyncFree(ac);
      throw RedisError("cannot connect to Redis at " + shared_.address + ": " + why);
    }
    c->ac = ac;
    ac->data = c;
    ac->c.reader->maxbuf = 0;  // as redis-benchmark: never shrink the read buffer
    ac->c.reader->fn = &g_light_replies;
    ac->c.reader->privdata = c;
    redisLibeventAttach(ac, c->loop->base);
    // Replace the adapter's two events by the timestamping wrappers (same fd, same flags).
    auto* ev = static_cast<redisLibeventEvents*>(ac->ev.data);
    event_free(ev->rev);
    event_free(ev->wev);
    ev->rev = event_new(c->loop->base, ac->c.fd, EV_READ, OnReadable, c);
    ev->wev = event_new(c->loop->base, ac->c.fd, EV_WRITE, OnWritable, c);
    event_add(ev->rev, nullptr);
    event_add(ev->wev, nullptr);
    redisAsyncSetConnectCallback(ac, OnConnect);
    redisAsyncSetDisconnectCallback(ac, OnDisconnect);
  }

  template <typename F>
  void RunLoops(F body) {
    if (loops_.size() == 1) return body(loops_[0].get());
    std::vector<std::thread> threads;
    for (auto& loop : loops_) threads.emplace_back(body, loop.get());
    for (auto& t : threads) t.join();
  }

  void ThrowIfFailed() {
    if (!shared_.failed.load()) return;
    std::lock_guard lock(shared_.mu);
    throw RedisError(shared_.error);
  }

  Shared shared_;
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace

std::string HiredisVersion() {
  return std::to_string(HIREDIS_MAJOR) + "." + std::to_string(HIREDIS_MINOR) + "." +
         std::to_string(HIREDIS_PATCH);
}

std::string LibeventVersion() { return event_get_version(); }

LoadResult RunLoad(const LoadOptions& options, const std::string& command) {
  Validate(options);
  if (command.empty()) throw std::invalid_argument("Redis load: empty command");
  // hiredis writes with write(): a server that died must give EPIPE, not kill the process.
  struct sigaction old {};
  if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
  Runner runner(options);
  runner.Setup(command);
  return runner.Run();
}

}  // namespace ocibench::redis
