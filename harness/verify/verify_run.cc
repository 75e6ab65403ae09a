// `ocibench profile --verify` (verify_run.h): which runtimes, the session (id, bundles, lease,
// private containerd, Ctrl-C), the ABBA rounds and the table.
#include "harness/verify/verify_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include "harness/containerd/private_containerd.h"
#include "harness/profile/per_unit.h"
#include "harness/profile/strace_summary.h"
#include "harness/run/cell.h"
#include "harness/run/limit_cgroup.h"
#include "harness/run/run_lease.h"
#include "harness/run/shared_state.h"
#include "harness/verify/rounds.h"
#include "harness/verify/target.h"

extern char** environ;

namespace ocibench::verify {
namespace {
namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

void Say(const std::string& line) { std::fprintf(stderr, "verify: %s\n", line.c_str()); }

struct Runtime {
  std::unique_ptr<Target> target;
  double predicted = 0;
  std::vector<double> ratios;
  int dropped = 0;     // rounds whose difference was not positive
  std::string failed;  // "" = ran every round
};

// The runtimes asked for that can be verified here; one line for each that cannot.
std::vector<run::RuntimeEntry> Select(const profile::VerifyRequest& req) {
  std::vector<std::string> names = req.runtimes;
  if (names.empty())
    for (const auto& [name, slowdown] : req.predicted)
      if (name != "native") names.push_back(name);
  const std::vector<run::RuntimeEntry> known = run::DiscoverRuntimes(run::RunConfig{});
  std::vector<run::RuntimeEntry> out;
  for (const auto& name : names) {
    if (name == "native") continue;  // the baseline of every round
    if (!req.predicted.contains(name)) {
      Say(fmt::format("{}: {} has no costs for it (nothing predicted): skipped", name,
                      req.costs_from));
      continue;
    }
    const auto e =
        std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.name == name; });
    if (e == known.end()) {
      Say(name + ": not a runtime ocibench knows here (`ocibench runtimes` lists them): skipped");
    } else if (!e->unusable.empty()) {
      Say(name + ": not usable here: " + e->unusable + ": skipped");
    } else if (e->kind == RuntimeKind::kEngine || e->kind == RuntimeKind::kNative) {
      Say(name +
          ": an engine runtime is not verified (podman cannot run the host's root "
          "filesystem on this host: docs/profile.md): skipped");
    } else {
      out.push_back(*e);
    }
  }
  return out;
}

std::vector<std::string> Quiet(const std::vector<std::string>& argv) {
  std::vector<std::string> q = {"/bin/sh", "-c", "exec \"$@\" >/dev/null", "sh"};
  q.insert(q.end(), argv.begin(), argv.end());
  return q;
}

std::vector<std::string> HostEnv() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return env;
}

// Times `small` then `big` on one target; false (with `error`) when a run failed.
bool TimePair(Target& t, const std::vector<std::string>& small, const std::vector<std::string>& big,
              const std::string& program, double* s, double* b, std::string* error) {
  for (auto [argv, out] : {std::pair{&small, s}, std::pair{&big, b}}) {
    const TimedRun r = t.Run(*argv, program);
    if (!r.error.empty()) {
      *error = r.error;
      return false;
    }
    *out = r.seconds;
  }
  return true;
}

std::string Times(double x) {
  return x >= 10 ? fmt::format("{:.1f}x", x) : fmt::format("{:.2f}x", x);
}

void PrintTable(const profile::VerifyRequest& req, const std::vector<Runtime>& rts,
                const std::string& what) {
  std::printf("verify: %s; %d ABBA rounds (native and the runtime back to back)\n", what.c_str(),
              req.rounds);
  std::printf("%-18s %10s  %-26s %10s  %s\n", "runtime", "predicted", "measured [95% CI]",
              "pred/meas", "verdict");
  for (const auto& r : rts) {
    const std::string& name = r.target->name();
    const auto m = Summarise(r.ratios);
    if (!r.failed.empty() && !m) {
      std::printf("%-18s %10s  failed: %s\n", name.c_str(), Times(r.predicted).c_str(),
                  r.failed.c_str());
      continue;
    }
    if (!m) {
      std::printf(
          "%-18s %10s  %-26s %10s  cannot tell on this host (no round's difference was "
          "positive)\n",
          name.c_str(), Times(r.predicted).c_str(), "-", "-");
      continue;
    }
    const std::string meas =
        m->rounds > 1 ? fmt::format("{} [{:.2f}, {:.2f}]", Times(m->geomean), m->low, m->high)
                      : Times(m->geomean) + " (1 round)";
    std::string verdict = ToString(Judge(r.predicted, *m), 0.2);
    if (r.dropped)
      verdict += fmt::format(" ({} round(s) dropped: no positive difference)", r.dropped);
    if (!r.failed.empty()) verdict += "; then failed: " + r.failed;
    std::printf("%-18s %10s  %-26s %10.2f  %s\n", name.c_str(), Times(r.predicted).c_str(),
                meas.c_str(), r.predicted / m->geomean, verdict.c_str());
  }
}

int Unguarded(const profile::VerifyRequest& req) {
  std::vector<run::RuntimeEntry> entries = Select(req);
  if (entries.empty()) {
    Say("no runtime to verify");
    return 1;
  }
  // The two commands each side times per round: the --units sizes, or /bin/true and the command
  // (the difference takes out the process's, and the container's, start-up).
  std::vector<std::string> small = {"/bin/true"}, big = req.command;
  std::string what =
      "measured: the command's time minus /bin/true's, each side (a container "
      "from `start` to its exit; containerd's shim: ctr run's whole life)";
  if (req.units) {
    small = profile::WithUnits(req.command, req.units->first);
    big = profile::WithUnits(req.command, req.units->second);
    what = fmt::format("measured per unit ({{n}} = {} and {}: the difference ÷ {})",
                       req.units->first, req.units->second, req.units->second - req.units->first);
  }

  // stdout to /dev/null on both sides, the same exec'ing sh in front of every command: a
  // container's stdout through oci/'s pipe and reader cost more than the program (`ls -R
  // /usr/share/doc`, 190 KB: 2–3x under runc, at parity with >/dev/null; busy host, not
  // explained yet). stderr is kept: a failure quotes its last line.
  const std::string program = req.command.at(0);
  small = Quiet(small);
  big = Quiet(big);

  TargetContext ctx;
  ctx.id = "verify-" + run::NewRunId();
  ctx.bundles = fs::path(run::kBundleRoot) / ctx.id;
  ctx.timeout = req.timeout;
  ctx.stop = &g_stop;
  ctx.env = HostEnv();
  ctx.cwd = fs::current_path();
  ctx.tree = ReadHostTree("/");
  std::error_code ec;
  fs::create_directories(ctx.bundles, ec);
  if (ec) {
    Say("cannot create " + ctx.bundles.string() + ": " + ec.message());
    return 1;
  }
  int code = 0;
  {
    run::RunLease lease(ctx.bundles, ctx.id);  // `ocibench gc` leaves a live --verify alone
    struct sigaction sa {
    }, old_int{}, old_term{};
    sa.sa_handler = OnSignal;
    ::sigaction(SIGINT, &sa, &old_int);
    ::sigaction(SIGTERM, &sa, &old_term);

    std::unique_ptr<containerd::PrivateContainerd> cd;
    std::vector<Runtime> rts;
    for (const auto& e : entries) {
      if (e.kind == RuntimeKind::kShim && !cd) {
        try {
          cd = std::make_unique<containerd::PrivateContainerd>(ctx.id);
          ctx.containerd = cd.get();
        } catch (const std::exception& x) {
          Say(e.name + ": " + x.what() + ": skipped");
          continue;
        }
      }
      Runtime r;
      r.target = e.kind == RuntimeKind::kShim ? MakeShimTarget(e, ctx) : MakeOciTarget(e, ctx);
      r.predicted = req.predicted.at(e.name);
      rts.push_back(std::move(r));
    }
    const std::unique_ptr<Target> native = MakeNativeTarget(ctx);

    // Ctrl-C: RunTimed sees the flag itself; a container's wait needs its kill.
    std::atomic<bool> done{false};
    std::thread watcher([&] {
      while (!done) {
        if (g_stop)
          for (auto& r : rts) r.target->Interrupt();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });

    std::string native_failed;
    // One untimed run of the small command in each runtime first: the first container of a
    // runtime pays for cold caches, and a runtime that cannot run the host bundle fails here.
    for (auto& r : rts) {
      if (g_stop) break;
      Say("warm-up: " + r.target->name());
      if (const TimedRun w = r.target->Run(small, program); !w.error.empty()) r.failed = w.error;
    }
    for (int round = 0; round < req.rounds && !g_stop && native_failed.empty(); ++round) {
      for (auto& r : rts) {
        if (!r.failed.empty() || g_stop) continue;
        double ns = 0, nb = 0, xs = 0, xb = 0;
        std::string err;
        const bool x_first = RuntimeFirst(round);
        bool ok = true;
        for (int side = 0; side < 2 && ok && !g_stop; ++side) {
          const bool is_x = (side == 0) == x_first;
          ok = is_x ? TimePair(*r.target, small, big, program, &xs, &xb, &err)
                    : TimePair(*native, small, big, program, &ns, &nb, &err);
          if (!ok && !g_stop) (is_x ? r.failed : native_failed) = err;
        }
        if (!ok || g_stop) continue;
        Say(fmt::format("round {}/{}: native {:.2f} − {:.2f} ms, {} {:.2f} − {:.2f} ms", round + 1,
                        req.rounds, nb * 1e3, ns * 1e3, r.target->name(), xb * 1e3, xs * 1e3));
        if (const auto s = RoundSlowdown(ns, nb, xs, xb))
          r.ratios.push_back(*s);
        else
          ++r.dropped;
      }
    }
    done = true;
    watcher.join();
    PrintTable(req, rts, what);
    if (!native_failed.empty()) {
      std::printf("verify: native failed, rounds stopped: %s\n", native_failed.c_str());
      code = 1;
    }
    for (const auto& r : rts)
      if (!r.failed.empty()) code = 1;
    if (g_stop) {
      std::printf("verify: interrupted: the rounds above are those that ended\n");
      code = 130;
    }
    rts.clear();  // the targets' files, before the bundle directory goes
    cd.reset();   // containerd and everything it started
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
  }
  fs::remove_all(ctx.bundles, ec);
  for (const auto& root : run::RunCgroupRoots()) ::rmdir((root / ctx.id).c_str());
  // The lease is gone: like `ocibench run`, the last one out removes the runtimes' empty state
  // directories and what else runs share.
  run::TidySharedState(false, run::LiveRuns(false));
  return code;
}

}  // namespace

int Verify(const profile::VerifyRequest& req) {
  try {
    return Unguarded(req);
  } catch (const std::exception& e) {  // the lease, the host's tree: nothing has run yet
    Say(e.what());
    return 1;
  }
}

}  // namespace ocibench::verify
