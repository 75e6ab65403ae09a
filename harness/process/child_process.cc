#include "harness/process/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
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

namespace ocibench::process {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + log_path + ": " + strerror(errno));
  int pipefd[2];  // carries exec's errno back; closed by a successful exec (O_CLOEXEC)
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    close(log);
    throw std::runtime_error(std::string("pipe2: ") + strerror(errno));
  }
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    const int e = errno;
    close(log);
    close(pipefd[0]);
    close(pipefd[1]);
    throw std::runtime_error("cannot start " + argv[0] + ": fork: " + strerror(e));
  }
  if (pid_ == 0) {  // child: async-signal-safe calls only
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    dup2(log, 1);
    dup2(log, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    const int e = errno;
    (void)!write(pipefd[1], &e, sizeof e);
    _exit(127);
  }
  close(log);
  close(pipefd[1]);
  int exec_errno = 0;
  ssize_t n;
  do n = read(pipefd[0], &exec_errno, sizeof exec_errno);
  while (n < 0 && errno == EINTR);
  close(pipefd[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    Reap(true);
    throw std::runtime_error(
        "cannot start " + argv[0] + ": " + strerror(exec_errno) +
        (exec_errno == ENOENT ? " (is it installed? see scripts/install-deps)" : ""));
  }
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

std::string ChildProcess::ExitDescription() const {
  if (!exited_) return "still running";
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) return std::string("killed by signal ") + strsignal(WTERMSIG(status_));
  return "ended";
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
