// The harness's words as types: runtime kind, placement, cell status, scratch and server. Each
// enum has one table (its name in flags, TOML and results files, a help text, and for a
// placement the sentence the report prints); Name/Parse/Choices read that table and nothing
// else spells the words. Bottom of the harness: includes nothing of ocibench.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ocibench {

// How a runtime is driven.
enum class RuntimeKind { kNative, kOci, kShim, kEngine };
// Where a group's server and client run (native cells always record kNative).
enum class Placement { kNative, kServerOnly, kClientOnly, kBoth, kBothHost };
// A matrix cell's state in run.json.
enum class CellStatus { kOk, kFailed, kTimeout, kSkipped, kPending };
// Where the probes' scratch directory lives inside a container.
enum class ScratchKind { kRootfs, kTmpfs, kBind };
// A group's server.
enum class Server { kNone, kRedis, kHttp };

template <class E>
struct Term {
  E value;
  std::string_view name;
  std::string_view help;
};

inline constexpr std::array<Term<RuntimeKind>, 4> kRuntimeKindTerms{{
    {RuntimeKind::kNative, "native", "the bench binary on the host, in a cgroup with the limits"},
    {RuntimeKind::kOci, "oci", "an OCI command-line runtime (runc, crun, runsc, youki, binary =)"},
    {RuntimeKind::kShim, "shim", "a containerd shim v2 runtime through ctr (shim =)"},
    {RuntimeKind::kEngine, "engine",
     "an OCI runtime through an engine: podman run --runtime (engine =, runtime =)"},
}};

inline constexpr std::array<Term<CellStatus>, 5> kCellStatusTerms{{
    {CellStatus::kOk, "ok", "ran; its benchmark JSON is valid"},
    {CellStatus::kFailed, "failed", "the runtime or the workload failed (error says why)"},
    {CellStatus::kTimeout, "timeout", "killed after the cell timeout"},
    {CellStatus::kSkipped, "skipped", "not run (no benchmark of the bench binary matches)"},
    {CellStatus::kPending, "pending", "not run yet, or interrupted: --resume runs it"},
}};

inline constexpr std::array<Term<ScratchKind>, 3> kScratchKindTerms{{
    {ScratchKind::kRootfs, "rootfs", "/tmp on the container's root filesystem"},
    {ScratchKind::kTmpfs, "tmpfs", "a tmpfs at /scratch"},
    {ScratchKind::kBind, "bind", "a host directory bind-mounted at /scratch"},
}};

inline constexpr std::array<Term<Server>, 3> kServerTerms{{
    {Server::kNone, "", "no server"},
    {Server::kRedis, "redis", "redis-server (the redis image), --redis_server= passed"},
    {Server::kHttp, "http", "nginx (the nginx image), --http_server= passed"},
}};

// Where one side of a placement runs, and the network between the two.
enum class Side { kNative, kRuntime };
enum class Network { kLoopback, kHost, kBridge };

struct PlacementTerm {
  Placement value;
  std::string_view name;
  std::string_view help;      // --help and errors
  std::string_view sentence;  // the report's words
  Side server;
  Side client;
  Network network;
};

inline constexpr std::array<PlacementTerm, 5> kPlacementTerms{{
    {Placement::kNative, "native", "native runs: server and client on the host",
     "the server and the client native, on loopback", Side::kNative, Side::kNative,
     Network::kLoopback},
    {Placement::kServerOnly, "server-only", "server in the runtime, client native (default)",
     "the server in the runtime on the host network, the client native", Side::kRuntime,
     Side::kNative, Network::kHost},
    {Placement::kClientOnly, "client-only", "server native, client in the runtime",
     "the server native, the client in the runtime on the host network", Side::kNative,
     Side::kRuntime, Network::kHost},
    {Placement::kBoth, "both", "each in a container on a CNI bridge",
     "the server and the client each in a container of the runtime, on a CNI bridge",
     Side::kRuntime, Side::kRuntime, Network::kBridge},
    {Placement::kBothHost, "both-host", "each in a container on the host network",
     "the server and the client each in a container of the runtime, on the host network",
     Side::kRuntime, Side::kRuntime, Network::kHost},
}};

// The table of an enum (overloads chosen by the tag argument).
constexpr const auto& Terms(RuntimeKind) { return kRuntimeKindTerms; }
constexpr const auto& Terms(CellStatus) { return kCellStatusTerms; }
constexpr const auto& Terms(ScratchKind) { return kScratchKindTerms; }
constexpr const auto& Terms(Server) { return kServerTerms; }
constexpr const auto& Terms(Placement) { return kPlacementTerms; }

template <class E>
constexpr const auto& TermOf(E e) {
  for (const auto& t : Terms(E{}))
    if (t.value == e) return t;
  return Terms(E{})[0];  // unreachable: every enumerator has a row
}

template <class E>
constexpr std::string_view Name(E e) {
  return TermOf(e).name;
}
template <class E>
std::string ToString(E e) {
  return std::string(Name(e));
}

template <class E>
constexpr std::optional<E> Parse(std::string_view s) {
  for (const auto& t : Terms(E{}))
    if (t.name == s) return t.value;
  return std::nullopt;
}

// "a, b or c": the names a user may give (not the empty server, not the native placement).
template <class E>
std::string Choices() {
  std::vector<std::string_view> names;
  for (const auto& t : Terms(E{})) {
    if (t.name.empty()) continue;
    if constexpr (std::is_same_v<E, Placement>)
      if (t.value == Placement::kNative) continue;
    names.push_back(t.name);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  return out;
}

// The image (tag in the OCI layout) that runs a server in a container; "" for none.
constexpr std::string_view ServerImage(Server s) {
  return s == Server::kRedis ? "redis" : s == Server::kHttp ? "nginx" : "";
}

}  // namespace ocibench
