// RunPortability: the two steps of `ocibench portability` (no emulation; qemu-user-static in
// binfmt_misc, with qemu in the container as the fallback), binfmt_misc put back afterwards.
#include "harness/footprint/portability.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "harness/footprint/binfmt_guard.h"
#include "harness/footprint/portability_attempt.h"
#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/process/command.h"

namespace ocibench::footprint {
namespace {

namespace fs = std::filesystem;
using internal::IsExecFormat;
using internal::RunOne;
using internal::RunRequest;

// "LZMA_Compress/sdk/dict:22/iterations:1/process_time/real_time" → "LZMA_Compress/sdk/dict:22"
std::string ShortName(const std::string& name) {
  std::string out;
  std::istringstream in(name);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.starts_with("iterations:") || part == "process_time" || part == "real_time" ||
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

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::vector<std::string> BenchArgs(const PortabilityOptions& o) {
  return {"--benchmark_filter=" + o.benchmark_filter,
          "--lzma_passes=" + std::to_string(o.lzma_passes), "--benchmark_out=/results/out.json",
          "--benchmark_out_format=json"};
}

void Log(const PortabilityOptions& o, const std::string& line) {
  if (o.log) o.log(line);
}

}  // namespace

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

}  // namespace ocibench::footprint
