// TraceCommand and TimeCommand (tracer.h): strace for the counts, plain runs for the time, so
// no figure is both traced and timed.
#include "harness/profile/tracer.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/process/child_process.h"
#include "harness/process/command.h"
#include "harness/process/exit_description.h"

namespace ocibench::profile {
namespace fs = std::filesystem;
namespace {

// strace -c's summary file → counts per call and their total.
TracedRun ReadSummary(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  TracedRun t{ParseStraceSummary(text.str()), 0};
  for (const auto& [name, c] : t.counts) t.total_calls += c.calls;
  return t;
}

std::string Ended(const std::string& name, const process::CommandResult& r,
                  std::chrono::seconds timeout) {
  process::ProcessEnd end;
  end.started = r.started;
  end.start_error = r.start_error;
  end.exit_code = r.exit_code;
  end.signal = r.signal;
  if (r.timed_out) end.timed_out_after_s = static_cast<int>(timeout.count());
  end.detail = r.LastLine();
  return process::DescribeEnd(name, end);
}

// A temporary file removed when it goes.
struct TempFile {
  fs::path path;
  TempFile() {
    std::string tmpl = (fs::temp_directory_path() / "ocibench-strace-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw ProfileError("profile: cannot make a temporary file in " + tmpl);
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

}  // namespace

TracedRun TraceCommand(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  const std::string strace = process::FindOnPath("strace");
  if (strace.empty())
    throw MissingTracer(
        "profile: strace not found; install Debian's strace (apt-get install strace)");
  TempFile out;
  std::vector<std::string> cmd = {
      strace, "-f", "-c", "-U", "name,calls,errors", "-S", "calls", "-o", out.path.string(), "--"};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  const process::CommandResult r = process::RunCommand(cmd, process::WithTimeout(timeout));
  // strace exits with the traced command's status: a failed command leaves no profile.
  if (!r.ok())
    throw ProfileError(
        "profile: " + Ended(process::ShellQuote(argv) + " (under strace -f -c)", r, timeout) +
        "; no profile");
  return ReadSummary(out.path);
}

TracedRun TraceAttached(pid_t pid, const std::function<void()>& during) {
  const std::string strace = process::FindOnPath("strace");
  if (strace.empty())
    throw MissingTracer(
        "profile: strace not found; install Debian's strace (apt-get install strace)");
  TempFile out, log;
  {
    process::ChildProcess st({strace, "-f", "-c", "-U", "name,calls,errors", "-S", "calls", "-o",
                              out.path.string(), "-p", std::to_string(pid)},
                             log.path.string());
    // strace says "Process N attached" on stderr once it traces N; nothing is counted before.
    for (int i = 0;; ++i) {
      std::ifstream in(log.path);
      std::stringstream text;
      text << in.rdbuf();
      if (text.str().find("attached") != std::string::npos) break;
      if (!st.Running() || i >= 100)
        throw ProfileError("profile: strace -p " + std::to_string(pid) +
                           " did not attach: " + process::LastLine(log.path.string()));
      ::usleep(50000);
    }
    during();   // an exception leaves through st's destructor: strace is stopped first
    st.Stop();  // SIGTERM: strace detaches and writes its summary
  }
  return ReadSummary(out.path);
}

std::vector<double> TimeCommand(const std::vector<std::string>& argv, int runs,
                                std::chrono::seconds timeout) {
  std::vector<double> out;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const process::CommandResult r = process::RunCommand(argv, process::WithTimeout(timeout));
    const auto t1 = std::chrono::steady_clock::now();
    if (!r.ok()) throw ProfileError("profile: " + Ended(process::ShellQuote(argv), r, timeout));
    out.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  return out;
}

}  // namespace ocibench::profile
