// What an nginx for the HTTP benchmarks serves and how: the standard files, the config (one
// process, no root-only path), and a readiness check. Used for the native NginxServer and for
// the nginx image run by `ocibench run` (its config and files are mounted into the container).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ocibench::servers {

// The files the HTTP benchmarks download, served at /<name>: 1KB, 1MB, 16MB, 256MB
// (binary units: 1MB = 1048576 bytes).
std::vector<std::pair<std::string, std::uint64_t>> StandardHttpFiles();

// Fills `path` with `size` bytes of a fixed non-zero pattern (not sparse).
void WriteFile(const std::string& path, std::uint64_t size);

// Writes each file into `dir` (which must exist).
void WriteHttpFiles(const std::string& dir,
                    const std::vector<std::pair<std::string, std::uint64_t>>& files);

struct NginxConfigOptions {
  std::string listen;                // nginx's listen: "127.0.0.1:8080", "80", …
  std::string root;                  // the directory served at /
  std::string temp_dir;              // writable: the temp paths and the pid file
  std::string error_log = "stderr";  // a file or stderr
};

// The nginx.conf text (the same settings as containers/nginx/nginx.conf).
std::string NginxConfig(const NginxConfigOptions& options);

// One HTTP/1.0 GET of /path at ip:port (200 ms timeouts); true when the answer is 200.
bool HttpServes(const std::string& ip, int port, const std::string& path);

}  // namespace ocibench::servers
