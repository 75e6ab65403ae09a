// Runs a shell command line and returns its exit code and standard output, for tests that
// drive the built binaries as a user would.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace ocibench::testing {

struct CommandOutput {
  int exit_code;  // -1 when the command did not exit normally
  std::string out;
};

inline CommandOutput RunCommand(const std::string& command_line) {
  FILE* p = popen(command_line.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace ocibench::testing
