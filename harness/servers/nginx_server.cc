#include "harness/servers/nginx_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace ocibench::servers {

NginxServer::NginxServer(NginxServerOptions options)
    : options_(std::move(options)), dir_("ocibench-nginx") {
  if (options_.files.empty()) throw std::invalid_argument("NginxServer: no files to serve");
  const std::string d = dir_.path();
  std::filesystem::create_directories(d + "/htdocs");
  std::filesystem::create_directories(d + "/tmp");
  WriteHttpFiles(d + "/htdocs", options_.files);
  const auto smallest =
      std::min_element(options_.files.begin(), options_.files.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  std::string last_error;
  for (int attempt = 0; attempt < 3; attempt++) {  // a free port can be taken meanwhile
    port_ = process::FreeLoopbackPort();
    std::ofstream(d + "/nginx.conf", std::ios::trunc) << NginxConfig(
        {"127.0.0.1:" + std::to_string(port_), d + "/htdocs", d + "/tmp", d + "/error.log"});
    process_ = std::make_unique<process::ChildProcess>(
        std::vector<std::string>{options_.binary, "-p", d, "-c", d + "/nginx.conf", "-e",
                                 d + "/error.log"},
        d + "/stdout.log");
    const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!process_->Running()) break;
      if (HttpServes(host(), port_, smallest->first)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const bool exited = !process_->Running();
    std::string why = process::LastLine(error_log());
    if (why.empty()) why = process::LastLine(d + "/stdout.log", 2);
    const std::string name = options_.binary + " did not start on " + address();
    last_error = exited
                     ? process_->ExitDescription(name, why)
                     : name + " (no answer within the timeout)" + (why.empty() ? "" : ": " + why);
    process_.reset();
    if (!exited || why.find("Address already in use") == std::string::npos) break;
  }
  throw std::runtime_error(last_error);
}

NginxServer::~NginxServer() { Stop(); }

void NginxServer::Kill() {
  if (process_) process_->Kill();
}

void NginxServer::Stop() {
  if (process_) process_->Stop();
}

}  // namespace ocibench::servers
