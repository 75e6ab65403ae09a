// Run(): one container, create → start → wait → delete, failures as one line; ListContainers.
#include <fstream>
#include <sstream>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/oci/runtime_quirks.h"
#include "harness/process/command.h"
#include "harness/process/exit_description.h"

namespace ocibench::oci {
namespace {

std::string BundleArch(const std::filesystem::path& bundle) {
  std::ifstream in(bundle / "config.json");
  try {
    return nlohmann::json::parse(in)
        .value("annotations", nlohmann::json::object())
        .value("io.ocibench.image.arch", "");
  } catch (const std::exception&) {
    return "";
  }
}

// A foreign-architecture binary without a binfmt_misc handler fails in execve with ENOEXEC;
// runtimes report it in their own words, all containing the errno text.
std::string ExplainExecFormat(const RuntimeSpec& runtime, const std::filesystem::path& bundle,
                              const std::string& text) {
  if (text.find("exec format error") == std::string::npos) return "";
  const std::string arch = BundleArch(bundle);
  const std::string host = HostArch();
  if (arch.empty() || arch == host) {
    return runtime.name + ": exec format error (the entrypoint is not a binary for this " + host +
           " host)";
  }
  return runtime.name + ": exec format error: the " + arch + " image cannot run on this " + host +
         " host: no binfmt_misc handler for it (install Debian's qemu-user-static and register "
         "it: containers/binfmt-qemu enable)";
}

}  // namespace

RunResult Run(const RuntimeSpec& runtime, const std::string& id,
              const std::filesystem::path& bundle, const RunOptions& options) {
  RunResult result;
  std::string failure;
  try {
    Container c(runtime, id, bundle, options.io);
    result.global_args = c.GlobalArgs();
    try {
      c.Create();
      result.pid = c.Pid();
      c.Start();
      if (options.on_started) options.on_started(c);
      result.status = c.Wait(options.timeout);
      c.Delete();
    } catch (const RuntimeError& e) {
      failure = e.what();
      result.runtime_error = failure;
      result.runtime_words = e.runtime_words;
    }
    result.timings = c.timings();
    result.stdout_text = c.Stdout();
    result.stderr_text = c.Stderr();
  } catch (const RuntimeError& e) {  // the Container could not even be set up
    failure = e.what();
    result.runtime_error = failure;
  }
  process::ProcessEnd end;
  end.exit_code = result.status.code;
  end.signal = result.status.signal;
  if (result.status.timed_out)
    end.timed_out_after_s = static_cast<int>(options.timeout.count() / 1000);
  if (!result.status.timed_out && result.status.signal == 0 && result.status.code != 0) {
    process::CommandResult tail;
    tail.err = result.stderr_text;
    end.detail = tail.LastLine();
  }
  const std::string ended =
      process::DescribeEnd(options.name.empty() ? runtime.name + " " + id : options.name, end);
  if (failure.empty() && ended.empty()) return result;
  const std::string exec_format =
      ExplainExecFormat(runtime, bundle, failure + "\n" + result.stderr_text);
  result.error = !exec_format.empty() ? exec_format : !failure.empty() ? failure : ended;
  return result;
}

std::vector<std::string> ListContainers(const RuntimeSpec& runtime) {
  if (!std::filesystem::exists(internal::RootDir(runtime))) return {};
  process::CommandOptions opt;
  opt.timeout = std::chrono::seconds(30);
  if (internal::NeedsCgroup2Namespace(runtime)) opt.before_exec = internal::EnterCgroup2Namespace;
  std::vector<std::string> argv = {runtime.binary.string()};
  for (const auto& a : internal::GlobalArgs(runtime, nullptr)) argv.push_back(a);
  argv.push_back("list");
  argv.push_back(internal::RuntimeKind(runtime) == "runsc" ? "-quiet" : "--quiet");
  const process::CommandResult r = process::RunCommand(argv, opt);
  if (!r.ok()) throw RuntimeError(runtime.name + " list: " + r.LastLine());
  std::vector<std::string> ids;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line != "ID") ids.push_back(line);
  }
  return ids;
}

}  // namespace ocibench::oci
