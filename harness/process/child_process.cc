#include "harness/process/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "harness/process/exit_description.h"
#include "harness/process/spawn.h"

namespace ocibench::process {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + log_path + ": " + strerror(errno));
  SpawnOptions o;
  o.argv = argv;
  o.stdout_fd = log;
  o.stderr_fd = log;
  o.own_process_group = true;
  o.death_signal = SIGKILL;
  const Spawned child = Spawn(o);
  close(log);
  if (!child.ok()) {
    ProcessEnd end;
    end.started = false;
    end.start_error = child.message +
                      (child.error == ENOENT ? " (is it installed? see scripts/install-deps)" : "");
    throw std::runtime_error(DescribeEnd(argv[0], end));
  }
  pid_ = child.pid;
}

ChildProcess::~ChildProcess() { Stop(); }

void ChildProcess::Reap(bool block) {
  if (exited_ || pid_ <= 0) return;
  int status = 0;
  pid_t r;
  do r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exited_ = true;
    status_ = status;
  }
}

bool ChildProcess::Running() {
  Reap(false);
  return !exited_;
}

std::string ChildProcess::ExitDescription(const std::string& name,
                                          const std::string& detail) const {
  if (!exited_) return name + ": still running";
  ProcessEnd end = FromWaitStatus(status_);
  end.detail = detail;
  const std::string d = DescribeEnd(name, end);
  return d.empty() ? name + ": exited with code 0" : d;
}

void ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return;
  if (!exited_) {
    kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (Running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(-pid_, SIGKILL);  // the group: anything the server forked
  Reap(true);
}

void ChildProcess::Kill() {
  if (pid_ <= 0 || exited_) return;
  kill(-pid_, SIGKILL);
  Reap(true);
}

TempDir::TempDir(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("cannot create a directory " + templ + ": " + strerror(errno));
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int e = errno;
    close(fd);
    throw std::runtime_error(std::string("cannot find a free port on 127.0.0.1: ") + strerror(e));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string LastLine(const std::string& path, int n) {
  std::ifstream in(path);
  std::vector<std::string> last;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    last.push_back(line);
    if (static_cast<int>(last.size()) > n) last.erase(last.begin());
  }
  std::string out;
  for (const auto& l : last) out += (out.empty() ? "" : " | ") + l;
  return out;
}

}  // namespace ocibench::process
