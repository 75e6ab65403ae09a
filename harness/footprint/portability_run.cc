// One container of `ocibench portability`: the bundle (with qemu copied in when asked),
// oci::Run, the runtime's own error words, the benchmark results.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "harness/footprint/bench_results.h"
#include "harness/footprint/portability_attempt.h"
#include "harness/oci/bundle.h"

namespace ocibench::footprint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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

std::string UniqueId(const std::string& prefix) {
  static std::atomic<int> n{0};
  return "ocibench-port-" + prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

}  // namespace

namespace internal {

bool IsExecFormat(const std::string& text) {
  return Lower(text).find("exec format error") != std::string::npos;
}

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
    oci::RunOptions run;
    run.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(o.timeout);
    run.name = req.runtime.name;
    const oci::RunResult rr = oci::Run(req.runtime, id, bundle.dir, run);  // deletes it
    a.wall_ms = rr.timings.total_ms > 0 ? rr.timings.total_ms : rr.timings.create_ms;
    const std::string out = rr.stderr_text + "\n" + rr.stdout_text;
    a.stderr_tail = Tail(rr.stderr_text, 6);
    if (!rr.ok()) {
      // The runtime's own words: its failing command's last line, or what the container's
      // process (runc init, the Sentry) wrote. A RuntimeError without them says
      // "<runtime> <command> <id>: <what happened>".
      std::string own = rr.runtime_words;
      if (own.empty()) {
        own = rr.runtime_error;
        if (const auto at = own.find(id + ": "); at != std::string::npos) {
          own = own.substr(at + id.size() + 2);
        }
      }
      const std::string text = out + "\n" + own;
      a.error_text = ErrorLine(IsExecFormat(out) ? out : text);
      a.message = rr.runtime_error.empty() ? rr.error : rr.runtime_error;
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
    oci::RemoveBundle(bundle.dir);
  } catch (const std::exception& e) {  // BundleError, filesystem errors
    a.message = e.what();
  }
  fs::remove_all(dir, ec);
  return a;
}

}  // namespace internal

std::string ErrorLine(const std::string& text) {
  const auto lines = Lines(text);
  for (const auto& l : lines) {
    if (internal::IsExecFormat(l)) return l;
  }
  return lines.empty() ? "" : lines.back();
}

}  // namespace ocibench::footprint
