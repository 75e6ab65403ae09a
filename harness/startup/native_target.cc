// The native baseline: fork+exec of the same program the containers run (ocibench-bench
// --ocibench_stamp, or redis-server on loopback), no container around it.
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/startup/kinds.h"

namespace ocibench::startup {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class NativeKept : public Kept {
 public:
  NativeKept(std::unique_ptr<process::ChildProcess> p, double ms, fs::path log)
      : p_(std::move(p)), ms_(ms), log_(std::move(log)) {}
  ~NativeKept() override {
    p_.reset();
    std::error_code ec;
    fs::remove(log_, ec);
  }
  std::vector<pid_t> RuntimePids() const override { return {}; }  // no runtime at all
  double StartedMs() const override { return ms_; }

 private:
  std::unique_ptr<process::ChildProcess> p_;  // stopped by its destructor
  double ms_;
  fs::path log_;
};

class NativeTarget : public StartupTarget {
 public:
  NativeTarget(Workload w, TargetContext ctx) : workload_(w), ctx_(std::move(ctx)) {
    if (workload_ == Workload::kRedis && process::FindOnPath("redis-server").empty())
      throw std::runtime_error("native: redis-server not found (install redis-server)");
  }

  StartupSample Once(const std::string& id) override {
    StartupSample s;
    const auto t0 = Clock::now();
    const std::int64_t t0_real = RealtimeNs();
    if (workload_ == Workload::kBench) {
      const auto r = process::RunCommand({ctx_.bench.string(), "--ocibench_stamp"},
                                         process::WithTimeout(ctx_.command_timeout));
      s.exit_ms = s.total_ms = MsSince(t0);
      s.workload_ms = StampMs(r.out, t0_real);
      if (!r.ok())
        s.error = "native: " + ctx_.bench.string() + " --ocibench_stamp failed: " + r.LastLine();
      else if (s.workload_ms < 0)
        s.error = "native: ocibench-bench printed no stamp (is it older than --ocibench_stamp?)";
      return s;
    }
    const int port = process::FreeLoopbackPort();
    const fs::path log = ctx_.work / (id + ".log");
    try {
      process::ChildProcess p({"redis-server", "--port", std::to_string(port), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no"},
                              log.string());
      s.workload_ms = WaitForPong(port, t0, kReadyTimeout, [&p] { return !p.Running(); });
      if (s.workload_ms < 0)
        s.error = fmt::format("native: redis-server did not answer PING within {} s: {}",
                              kReadyTimeout.count(), process::LastLine(log.string()));
      s.exit_ms = MsSince(t0);
      p.Stop();
    } catch (const std::exception& e) {
      s.error = e.what();
    }
    s.total_ms = MsSince(t0);
    std::error_code ec;
    fs::remove(log, ec);
    return s;
  }

  std::unique_ptr<Kept> StartIdle(const std::string& id) override {
    const fs::path log = ctx_.work / (id + ".log");
    const auto t0 = Clock::now();
    const std::int64_t t0_real = RealtimeNs();
    auto p = std::make_unique<process::ChildProcess>(
        std::vector<std::string>{ctx_.bench.string(), "--ocibench_idle"}, log.string());
    double ms = -1;
    while (ms < 0 && MsSince(t0) < 30000) {
      ms = StampMs(ReadAll(log), t0_real);
      if (ms < 0) {
        if (!p->Running())
          throw std::runtime_error(p->ExitDescription("native ocibench-bench --ocibench_idle"));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    if (ms < 0) throw std::runtime_error("native: ocibench-bench --ocibench_idle printed no stamp");
    return std::make_unique<NativeKept>(std::move(p), ms, log);
  }

 private:
  Workload workload_;
  TargetContext ctx_;
};

}  // namespace

std::unique_ptr<StartupTarget> MakeNativeTarget(Workload workload, const TargetContext& ctx) {
  return std::make_unique<NativeTarget>(workload, ctx);
}

}  // namespace ocibench::startup
