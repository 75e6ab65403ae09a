// PortabilityJson and PortabilityTable: the report of `ocibench portability`.
#include <cstdio>
#include <sstream>

#include "harness/footprint/portability.h"

namespace ocibench::footprint {
namespace {

using nlohmann::json;

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
