#include "harness/process/command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "harness/process/exit_description.h"
#include "harness/process/spawn.h"

namespace ocibench::process {
namespace {

using Clock = std::chrono::steady_clock;

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is available; returns false at EOF or error.
bool Drain(int fd, std::string& into) {
  char buf[16384];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;
  }
}

}  // namespace

std::string CommandResult::LastLine() const {
  for (const std::string* s : {&err, &out}) {
    std::istringstream in(*s);
    std::string line, last;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
    }
    if (!last.empty()) return last;
  }
  return "";
}

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO"
                                         "PQRSTUVWXYZ0123456789-_=./:,@+%") == std::string::npos;
    if (plain) {
      s += a;
    } else {
      s += '\'';
      for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
      s += '\'';
    }
  }
  return s;
}

std::string FindOnPath(const std::string& name) {
  namespace fs = std::filesystem;
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) {
    return ::access(name.c_str(), X_OK) == 0 ? fs::absolute(name).string() : "";
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  // Runtimes live in sbin (runc); a non-root PATH may lack it.
  dirs += ":/usr/local/sbin:/usr/sbin:/sbin";
  std::istringstream in(dirs);
  std::string dir;
  while (std::getline(in, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path p = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult r;
  const std::string name = argv.empty() ? std::string("(empty command)") : argv[0];
  if (argv.empty() || FindOnPath(argv[0]).empty()) {
    r.started = false;
    r.start_error = "not found on PATH";
    r.err = name + ": not found on PATH";
    return r;
  }
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]);
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  }
  SpawnOptions so;
  so.argv = argv;
  so.stdout_fd = out[1];
  so.stderr_fd = err[1];
  so.before_exec = options.before_exec;
  // Its own process group, so a timeout kills what it started too (a runtime's child, a
  // wrapper's `sleep`), not only the command; what it leaves when it exits is not touched.
  so.own_process_group = true;
  const Spawned child = Spawn(so);
  ::close(out[1]);
  ::close(err[1]);
  if (!child.ok()) {
    ::close(out[0]);
    ::close(err[0]);
    r.started = false;
    r.start_error = child.message;
    ProcessEnd end;
    end.started = false;
    end.start_error = child.message;
    r.err = DescribeEnd(name, end);
    return r;
  }
  const pid_t pid = child.pid;

  int fds[2] = {out[0], err[0]};
  for (int fd : fds) ::fcntl(fd, F_SETFL, O_NONBLOCK);
  const auto deadline = Clock::now() + options.timeout;
  Clock::time_point exited_at{};
  bool exited = false;
  int wstatus = 0;
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd p[2];
    nfds_t n = 0;
    for (int fd : fds) {
      if (fd >= 0) p[n++] = {fd, POLLIN, 0};
    }
    ::poll(p, n, 50);
    for (int i = 0; i < 2; ++i) {
      if (fds[i] >= 0 && !Drain(fds[i], i == 0 ? r.out : r.err)) CloseFd(fds[i]);
    }
    if (!exited && ::waitpid(pid, &wstatus, WNOHANG) == pid) {
      exited = true;
      exited_at = Clock::now();
    }
    // A daemon the command left behind may hold the pipes open: do not wait for it.
    if (exited && Clock::now() - exited_at > std::chrono::milliseconds(500)) break;
    if (!exited && Clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);  // in case setpgid had not happened yet
      r.timed_out = true;
      break;
    }
  }
  for (int& fd : fds) CloseFd(fd);
  if (!exited) {
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }
  if (WIFEXITED(wstatus)) r.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) r.signal = WTERMSIG(wstatus);
  return r;
}

}  // namespace ocibench::process
