#include "harness/footprint/portability.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "harness/footprint/bench_results.h"
#include "harness/footprint/binfmt_guard.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/process/command.h"

namespace ocibench::footprint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kQemuInContainer = "/ocibench-qemu";  // where the interpreter is copied

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
  }
  return out;
}

std::string Tail(const std::string& text, std::size_t lines) {
  const auto all = Lines(text);
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += all[i] + "\n";
  }
  return out;
}

bool IsExecFormat(const std::string& text) {
  return Lower(text).find("exec format error") != std::string::npos;
}

// "LZMA_Compress/sdk/dict:22/iterations:1/process_time/real_time" → "LZMA_Compress/sdk/dict:22"
std::string ShortName(const std::string& name) {
  std::string out;
  std::istringstream in(name);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.rfind("iterations:", 0) == 0 || part == "process_time" || part == "real_time" ||
        part == "manual_time") {
      continue;
    }
    out += (out.empty() ? "" : "/") + part;
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string UniqueId(const std::string& prefix) {
  static std::atomic<int> n{0};
  return "ocibench-port-" + prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

struct RunRequest {
  const PortabilityOptions* options = nullptr;
  oci::RuntimeSpec runtime;
  std::string arch;
  std::string method;
  std::vector<std::string> args;  // after the entrypoint
  fs::path qemu;                  // non-empty: copy it into the rootfs and run the entrypoint
                                  // through it (the runtime ignores binfmt_misc)
};

// One container: bundle, create/start/wait/delete, results parsed; never throws for a runtime
// failure (it lands in the Attempt), and leaves no bundle or container behind.
Attempt RunOne(const RunRequest& req) {
  const PortabilityOptions& o = *req.options;
  Attempt a;
  a.attempted = true;
  a.arch = req.arch;
  a.method = req.method;
  if (o.stop_requested && o.stop_requested()) {
    a.message = "interrupted: not run";
    return a;
  }
  const std::string id = UniqueId(req.runtime.name + "-" + req.arch);
  const fs::path dir = o.work_dir / id;
  const fs::path results = dir / "results";
  std::error_code ec;
  fs::create_directories(results, ec);
  if (ec) {
    a.message = "cannot create " + results.string() + ": " + ec.message();
    return a;
  }
  try {
    oci::BundleSpec spec;
    spec.image_layout = o.image_layout;
    spec.image_ref = o.image_ref;
    spec.arch = req.arch;
    spec.args = req.args;
    spec.results_dir = results;
    spec.cpus = o.cpus;
    spec.memory_bytes = 1ull << 30;
    // Its own cgroup, so that the limits apply under every runtime (crun on a hybrid host
    // gets them only through cgroupsPath); removed with the container.
    spec.cgroups_path = std::string(kCgroupParent) + "/" + id;
    oci::Bundle bundle = oci::MakeBundle(spec, dir / "bundle");
    if (!req.qemu.empty()) {
      // qemu-user-static is static: it runs from the container's own root filesystem, no host
      // handler involved. Its argv: qemu <program> <args…>.
      const fs::path dst = bundle.dir / "rootfs" / fs::path(kQemuInContainer).relative_path();
      fs::copy_file(req.qemu, dst, fs::copy_options::overwrite_existing);
      fs::permissions(dst, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
      json& args = bundle.config["process"]["args"];
      args.insert(args.begin(), kQemuInContainer);
      std::ofstream(bundle.dir / "config.json") << bundle.config.dump(2);
    }
    {  // the container is deleted (destructor) before its bundle is removed
      oci::Container c(req.runtime, id, bundle.dir);
      std::string failure;
      oci::ExitStatus status;
      try {
        c.Create();
        c.Start();
        status = c.Wait(std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout));
        c.Delete();
      } catch (const oci::RuntimeError& e) {
        failure = e.what();
      }
      a.wall_ms = c.timings().total_ms > 0 ? c.timings().total_ms : c.timings().create_ms;
      const std::string out = c.Stderr() + "\n" + c.Stdout();
      a.stderr_tail = Tail(c.Stderr(), 6);
      if (!failure.empty() || status.timed_out || status.signal != 0 || status.code != 0) {
        // The runtime's own words: its failing command's message, or what the container's
        // process (runc init, the Sentry) wrote.
        // ocibench's RuntimeError says "<runtime> <command> <id>: <runtime's last line>".
        std::string own = failure;
        if (const auto at = own.find(id + ": "); at != std::string::npos) {
          own = own.substr(at + id.size() + 2);
        }
        const std::string text = out + "\n" + own;
        a.error_text = ErrorLine(IsExecFormat(out) ? out : text);
        if (!failure.empty()) {
          a.message = failure;
        } else if (status.timed_out) {
          a.message = req.runtime.name + ": timed out after " + std::to_string(o.timeout.count()) +
                      " s (killed)";
        } else if (status.signal != 0) {
          a.message = req.runtime.name + ": killed by signal " + std::to_string(status.signal);
        } else {
          a.message = req.runtime.name + ": exited with code " + std::to_string(status.code);
        }
        if (IsExecFormat(text)) {
          a.message = req.runtime.name + ": exec format error: the " + req.arch +
                      " entrypoint cannot run on this " + oci::HostArch() + " host (" +
                      (req.method == "none" ? "no binfmt_misc handler" : req.method) + ")";
        }
      } else {
        a.ok = true;
        try {
          a.benchmark_ms = ReadBenchmarkMillis(results / "out.json");
          if (a.benchmark_ms.empty()) throw std::runtime_error("no benchmark matched the filter");
        } catch (const std::exception& e) {
          a.ok = false;
          a.message = req.runtime.name + " " + req.arch + ": " + e.what();
        }
      }
    }
    oci::RemoveBundle(bundle.dir);
  } catch (const std::exception& e) {  // BundleError, filesystem errors
    a.message = e.what();
  }
  fs::remove_all(dir, ec);
  return a;
}

std::vector<std::string> BenchArgs(const PortabilityOptions& o) {
  return {"--benchmark_filter=" + o.benchmark_filter,
          "--lzma_passes=" + std::to_string(o.lzma_passes), "--benchmark_out=/results/out.json",
          "--benchmark_out_format=json"};
}

void Log(const PortabilityOptions& o, const std::string& line) {
  if (o.log) o.log(line);
}

std::string Ms(double ms) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(ms < 100 ? 1 : 0);
  s << ms;
  return s.str();
}

json AttemptJson(const Attempt& a) {
  if (!a.attempted) return nullptr;
  json j = {{"ok", a.ok}, {"arch", a.arch}, {"method", a.method}, {"wall_ms", a.wall_ms}};
  if (!a.ok) {
    j["error_text"] = a.error_text;
    j["message"] = a.message;
    j["stderr_tail"] = a.stderr_tail;
  }
  if (!a.benchmark_ms.empty()) j["benchmark_ms"] = a.benchmark_ms;  // median of the runs
  if (!a.runs_ms.empty()) j["runs_ms"] = a.runs_ms;
  return j;
}

}  // namespace

std::string ErrorLine(const std::string& text) {
  const auto lines = Lines(text);
  for (const auto& l : lines) {
    if (IsExecFormat(l)) return l;
  }
  return lines.empty() ? "" : lines.back();
}

PortabilityReport RunPortability(const PortabilityOptions& o) {
  PortabilityReport r;
  r.host_arch = oci::HostArch();
  r.foreign_arch = !o.foreign_arch.empty()  ? o.foreign_arch
                   : r.host_arch == "amd64" ? "arm64"
                                            : "amd64";
  r.image = o.image_layout.string() + ":" + o.image_ref;
  r.benchmark_filter = o.benchmark_filter;
  r.cpus = o.cpus;
  r.repetitions = std::max(1, o.repetitions);
  if (::geteuid() != 0) {
    throw std::runtime_error(
        "portability must run as root (it runs containers and changes "
        "binfmt_misc)");
  }
  if (!fs::exists(o.image_layout / "index.json")) {
    throw std::runtime_error("no OCI image layout at " + o.image_layout.string() +
                             ": build it with `cmake --build build --target images` or give "
                             "--image-layout");
  }
  for (const std::string& arch : {r.host_arch, r.foreign_arch}) {
    try {
      oci::ReadImageConfig(o.image_layout, o.image_ref, arch);
    } catch (const std::exception& e) {
      throw std::runtime_error("no " + arch + " variant of " + r.image + " (" + e.what() +
                               "): containers/build-images builds amd64 and arm64");
    }
  }
  const std::string qemu_name = QemuArch(r.foreign_arch);
  const fs::path qemu = process::FindOnPath("qemu-" + qemu_name + "-static");
  if (!qemu.empty()) {
    r.qemu = FirstLine(process::RunCommand({qemu.string(), "--version"},
                                           process::WithTimeout(std::chrono::seconds(10)))
                           .out);
  }
  const BinfmtState before = ReadBinfmtState();
  r.binfmt_before = before.Describe();
  {
    BinfmtGuard guard;
    std::vector<std::pair<oci::RuntimeSpec, RuntimePortability>> runtimes;
    for (const auto& name : o.runtimes) {
      RuntimePortability p;
      p.runtime = name;
      oci::RuntimeSpec spec = oci::FindRuntime(name);
      if (spec.binary.empty()) {
        p.unusable = name + " is not installed (not on PATH)";
      } else {
        const oci::RuntimeInfo info = oci::Probe(spec);
        p.version = info.version;
        p.unusable = info.unusable;
      }
      runtimes.emplace_back(spec, p);
    }

    // 1. No emulation.
    if (const std::string why = guard.DisableHandlers(r.foreign_arch); !why.empty()) {
      throw std::runtime_error(why);
    }
    Log(o, "binfmt_misc: no handler for " + r.foreign_arch + " while step 1 runs" +
               (guard.changes().empty() ? " (there was none)" : ""));
    for (auto& [spec, p] : runtimes) {
      if (!p.unusable.empty()) continue;
      Log(o, p.runtime + ": " + r.foreign_arch + " image without emulation");
      p.no_emulation = RunOne({&o, spec, r.foreign_arch, "none", {"--benchmark_list_tests"}, {}});
    }

    // 2. qemu-user-static in binfmt_misc; the native image under the same runtime for the ratio.
    if (o.emulate) {
      const std::string why = guard.EnableQemu(r.foreign_arch);
      if (!why.empty()) {
        for (auto& [spec, p] : runtimes) {
          if (!p.unusable.empty()) continue;
          p.binfmt.attempted = true;
          p.binfmt.method = "binfmt_misc";
          p.binfmt.message = "binfmt_misc: " + why;
        }
      }
      for (const auto& c : guard.changes()) Log(o, "binfmt_misc: " + c);
      for (auto& [spec, p] : runtimes) {
        if (!p.unusable.empty() || !why.empty()) continue;
        // Native and emulated alternate, so a change in the machine's load hits both.
        Attempt* emulated = nullptr;
        RunRequest emulated_req;
        for (int rep = 0; rep < std::max(1, o.repetitions); ++rep) {
          Log(o, p.runtime + ": " + r.host_arch + " image (native baseline), run " +
                     std::to_string(rep + 1));
          Attempt n = RunOne({&o, spec, r.host_arch, "native", BenchArgs(o), {}});
          if (rep == 0) {
            Log(o, p.runtime + ": " + r.foreign_arch + " image through binfmt_misc");
            emulated_req = {&o, spec, r.foreign_arch, "binfmt_misc", BenchArgs(o), {}};
            p.binfmt = RunOne(emulated_req);
            emulated = &p.binfmt;
            if (!p.binfmt.ok && IsExecFormat(p.binfmt.error_text) && o.explicit_qemu_fallback &&
                !qemu.empty()) {
              Log(o, p.runtime + ": ignores binfmt_misc; " + r.foreign_arch +
                         " image with qemu in the container as the interpreter");
              emulated_req = {&o, spec, r.foreign_arch, "qemu in container", BenchArgs(o), qemu};
              p.qemu_in_container = RunOne(emulated_req);
              emulated = &p.qemu_in_container;
            }
            p.native = n;
            if (!n.ok || !emulated->ok) break;
            for (Attempt* a : {&p.native, emulated}) {
              for (const auto& [name, ms] : a->benchmark_ms) a->runs_ms[name].push_back(ms);
            }
            continue;
          }
          Log(o, p.runtime + ": " + r.foreign_arch + " image (" + emulated_req.method + "), run " +
                     std::to_string(rep + 1));
          Attempt e = RunOne(emulated_req);
          bool ok = true;
          for (auto [total, one] : {std::pair{&p.native, &n}, std::pair{emulated, &e}}) {
            if (!one->ok) {
              total->ok = false;
              total->message = "run " + std::to_string(rep + 1) + ": " + one->message;
              total->error_text = one->error_text;
              ok = false;
            }
            for (const auto& [name, ms] : one->benchmark_ms) total->runs_ms[name].push_back(ms);
          }
          if (!ok) break;
        }
        if (emulated && emulated->ok && p.native.ok) {
          p.emulation = emulated->method;
          for (Attempt* a : {&p.native, emulated}) {
            for (auto& [name, runs] : a->runs_ms) a->benchmark_ms[name] = Median(runs);
          }
          for (const auto& [name, ms] : emulated->benchmark_ms) {
            const auto n = p.native.benchmark_ms.find(name);
            if (n == p.native.benchmark_ms.end() || n->second <= 0) continue;
            p.workloads.push_back({ShortName(name), n->second, ms, ms / n->second});
          }
        }
      }
    }
    r.binfmt_changes = guard.changes();
    for (auto& [spec, p] : runtimes) r.runtimes.push_back(std::move(p));
  }  // the guard restores binfmt_misc here
  const BinfmtState after = ReadBinfmtState();
  r.binfmt_after = after.Describe();
  r.binfmt_restored = after == before;
  return r;
}

json PortabilityJson(const PortabilityReport& r) {
  json j = {{"host_arch", r.host_arch},
            {"foreign_arch", r.foreign_arch},
            {"image", r.image},
            {"qemu", r.qemu},
            {"benchmark_filter", r.benchmark_filter},
            {"cpus", r.cpus},
            {"repetitions", r.repetitions},
            {"binfmt",
             {{"before", r.binfmt_before},
              {"changes", r.binfmt_changes},
              {"after", r.binfmt_after},
              {"restored", r.binfmt_restored}}}};
  j["runtimes"] = json::array();
  for (const auto& p : r.runtimes) {
    json rt = {{"runtime", p.runtime}, {"version", p.version}};
    if (!p.unusable.empty()) {
      rt["unusable"] = p.unusable;
      j["runtimes"].push_back(rt);
      continue;
    }
    rt["no_emulation"] = AttemptJson(p.no_emulation);
    rt["native"] = AttemptJson(p.native);
    rt["binfmt_misc"] = AttemptJson(p.binfmt);
    rt["qemu_in_container"] = AttemptJson(p.qemu_in_container);
    rt["emulation"] = p.emulation;
    rt["workloads"] = json::array();
    for (const auto& w : p.workloads) {
      rt["workloads"].push_back({{"benchmark", w.benchmark},
                                 {"native_ms", w.native_ms},
                                 {"emulated_ms", w.emulated_ms},
                                 {"slowdown", w.slowdown}});
    }
    j["runtimes"].push_back(rt);
  }
  return j;
}

std::string PortabilityTable(const PortabilityReport& r) {
  std::ostringstream s;
  s << "The " << r.foreign_arch << " bench image (" << r.image << ") on this " << r.host_arch
    << " host.\n";
  s << "binfmt_misc before: " << r.binfmt_before << "\n";
  if (r.binfmt_changes.empty()) {
    s << "ocibench changed nothing in binfmt_misc.\n";
  } else {
    s << "ocibench changed binfmt_misc for the run:";
    for (const auto& c : r.binfmt_changes) s << "\n  - " << c;
    s << "\nand put it back: " << (r.binfmt_restored ? "restored" : "NOT RESTORED") << " ("
      << r.binfmt_after << ")\n";
  }
  s << "\n1. Without emulation (no binfmt_misc handler for " << r.foreign_arch << ")\n";
  for (const auto& p : r.runtimes) {
    s << "  " << p.runtime << ": ";
    if (!p.unusable.empty()) {
      s << "skipped: " << p.unusable << "\n";
    } else if (p.no_emulation.ok) {
      s << "RAN (a handler for " << r.foreign_arch << " must be active elsewhere)\n";
    } else {
      s << "failed: " << p.no_emulation.error_text << "\n";
    }
  }
  bool any = false;
  for (const auto& p : r.runtimes) any |= p.binfmt.attempted;
  if (!any) return s.str();
  s << "\n2. With qemu-user-static (" << (r.qemu.empty() ? "not installed" : r.qemu) << "), "
    << r.cpus << " CPU limit, real time per benchmark (median of " << r.repetitions
    << (r.repetitions == 1 ? " run" : " runs, native and emulated alternating") << ")\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-8s %-18s %-30s %11s %12s %9s\n", "runtime", "emulation",
                "benchmark", "native ms", "emulated ms", "slowdown");
  s << line;
  for (const auto& p : r.runtimes) {
    if (!p.unusable.empty()) continue;
    if (!p.binfmt.ok) {
      s << "  " << p.runtime << ": through binfmt_misc failed: "
        << (p.binfmt.error_text.empty() ? p.binfmt.message : p.binfmt.error_text) << "\n";
    }
    if (p.qemu_in_container.attempted && !p.qemu_in_container.ok) {
      s << "  " << p.runtime << ": with qemu in the container failed: "
        << (p.qemu_in_container.error_text.empty() ? p.qemu_in_container.message
                                                   : p.qemu_in_container.error_text)
        << "\n";
    }
    if (p.native.attempted && !p.native.ok) {
      s << "  " << p.runtime << ": the native image failed: " << p.native.message << "\n";
    }
    for (const auto& w : p.workloads) {
      std::snprintf(line, sizeof line, "  %-8s %-18s %-30s %11s %12s %8.2fx\n", p.runtime.c_str(),
                    p.emulation.c_str(), w.benchmark.c_str(), Ms(w.native_ms).c_str(),
                    Ms(w.emulated_ms).c_str(), w.slowdown);
      s << line;
    }
  }
  return s.str();
}

}  // namespace ocibench::footprint
