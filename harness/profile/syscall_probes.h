// The one table mapping each system call to the probe that measures its cost (docs/profile.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ocibench::profile {

struct SyscallProbe {
  std::string syscall;  // as strace names it, e.g. "newfstatat"
  std::string
      probe;  // benchmark base name (benchjson::BaseName), e.g. "Probe_fs_stat_depth/depth:1"
  // System calls the probe makes per iteration, all kinds together (strace -f -c of the probe
  // alone ÷ its iterations, docs/profile.md): the probe's added time per iteration divided by
  // this is the added cost of one of its system calls.
  double calls_per_iteration = 1;
};

// Every mapped system call; a call with several rows is costed by the first whose probe the
// results have (CostsFromResults). A row "NAME@socket" is NAME on a socket (kSocketSuffix).

const std::vector<SyscallProbe>& SyscallProbeTable();

// The probe whose added cost stands for any system call the table does not map: the bare trap
// and return of a system call that does nothing (getpid, without the vDSO).
inline constexpr const char* kFallbackProbe = "Probe_sys_getpid_raw";

// strace -c names a call, not its descriptor's kind: a profile whose reads and writes are on
// sockets (a traced server, --fd-kind socket) is costed by the "NAME@socket" rows.
inline constexpr const char* kSocketSuffix = "@socket";
// ... and on a socket of the host's network stack (a server cell on the host network): the
// "NAME@hostnet" rows, whose socket work is the host kernel's (syscall_probes.cc says why).
inline constexpr const char* kHostSocketSuffix = "@hostnet";
enum class FdKind { kFile, kSocket, kHostSocket };
// "file" | "socket" | "host-socket" (nullopt for anything else).
std::optional<FdKind> ParseFdKind(const std::string& text);
const char* FdKindName(FdKind k);
// `calls` with each system call that has a socket row renamed to NAME@socket (kSocket; for
// kHostSocket NAME@hostnet where that row exists, else NAME@socket), or unchanged (kFile).
std::map<std::string, double> WithFdKind(const std::map<std::string, double>& calls, FdKind k);

}  // namespace ocibench::profile
