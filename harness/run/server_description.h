// A group's server as a launcher starts it: which image, program and arguments, where it
// listens, what it needs mounted, and how to tell that it answers (Redis PING, or GET of the
// first file nginx serves).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/oci/bundle.h"
#include "harness/vocabulary/vocabulary.h"

namespace ocibench::run {

struct NetworkChoice;

struct ServerDescription {
  Server server = Server::kNone;
  std::string image;  // tag in the image layout
  std::string what;   // for messages: "Redis server", "nginx"
  std::string ip;
  int port = 0;
  std::vector<std::string> entrypoint;  // the image's (ctr run takes a whole argv)
  std::vector<std::string> args;        // after the entrypoint
  std::vector<oci::BindMount> binds;    // read-only
  std::string probe;                    // nginx: the file fetched to see it is ready
  std::string password;                 // Redis: what clients must AUTH with ("" = none)
  std::filesystem::path auth_conf;      // Redis: the host file holding `requirepass`
  std::string address() const { return ip + ":" + std::to_string(port); }
  bool Ready() const;
  std::string NotReady(int seconds) const;
};

// What a server container may write (nginx's temp paths and pid), a tmpfs at /scratch.
inline constexpr const char* kServerTmpfsSize = "64m";

// The files the http group's nginx serves: the 256 MB file only with the full preset (writing
// it costs seconds and only the full preset downloads it).
std::vector<std::pair<std::string, std::uint64_t>> HttpFiles(const std::string& preset);

// The server as a container: on the host network 127.0.0.1 and a free port, in a CNI
// namespace its address and the usual port. nginx gets its config and files in work/site,
// mounted read-only at /srv/ocibench.
// Gives a Redis server a fresh random password (issue 20: a local user, or anything else on
// the bridge, cannot use the server). It is only in files of the cell's work directory (root's,
// mode 0700), never on a command line, which every local user can read in /proc: the server
// reads `requirepass` through `--include` (a container's from a read-only bind), the client
// reads work/kRedisPasswordFile (given to `client_user`) with --redis_password_file.
void GiveRedisAPassword(ServerDescription& d, const std::filesystem::path& work, bool in_container,
                        const oci::ImageUser& client_user);

ServerDescription DescribeServerContainer(Server server, const NetworkChoice& network,
                                          const std::filesystem::path& work,
                                          const std::string& preset);

}  // namespace ocibench::run
