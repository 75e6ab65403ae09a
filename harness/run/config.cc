// RunConfig: built-in groups, TOML loading with strict keys and types.
#include "harness/run/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "harness/containerd/private_containerd.h"
#include "harness/oci/bundle.h"
#include "harness/oci/seccomp_profile.h"

namespace ocibench::run {
namespace {

const std::set<std::string> kTopKeys = {
    "runtimes", "groups",  "repetitions", "seed",   "cpus",  "memory",  "timeout", "warmup",
    "preset",   "scratch", "results",     "images", "bench", "runtime", "group",   "placement"};
const std::set<std::string> kRuntimeKeys = {"binary",  "args",   "shim",
                                            "seccomp", "engine", "runtime"};
const std::set<std::string> kGroupKeys = {"filter", "args", "server"};

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& k : s) out += (out.empty() ? "" : ", ") + k;
  return out;
}

std::string TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time";
  }
}

struct Reader {
  std::string file;

  [[noreturn]] void Reject(const std::string& key, const std::string& what) const {
    throw ConfigError(fmt::format("config {}: '{}' {}", file, key, what));
  }
  void CheckKeys(const toml::table& t, const std::set<std::string>& known,
                 const std::string& where) const {
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      if (!known.count(key)) {
        throw ConfigError(fmt::format("config {}: unknown key '{}{}' (known: {})", file, where, key,
                                      Join(known)));
      }
    }
  }
  std::string String(const toml::node& n, const std::string& key) const {
    if (auto v = n.value_exact<std::string>()) return *v;
    Reject(key, "must be a string, not " + TypeName(n));
  }
  std::int64_t Int(const toml::node& n, const std::string& key, std::int64_t lo,
                   std::int64_t hi) const {
    auto v = n.value_exact<std::int64_t>();
    if (!v) Reject(key, "must be an integer, not " + TypeName(n));
    if (*v < lo || *v > hi) Reject(key, fmt::format("must be in {}..{}, not {}", lo, hi, *v));
    return *v;
  }
  double Number(const toml::node& n, const std::string& key) const {
    if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
    if (auto d = n.value_exact<double>()) return *d;
    Reject(key, "must be a number, not " + TypeName(n));
  }
  template <class E>
  E Word(const toml::node& n, const std::string& key) const {
    const std::string text = String(n, key);
    try {
      return ParseWord<E>(key, text);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("config {}: {}", file, e.what()));
    }
  }
  std::vector<std::string> Strings(const toml::node& n, const std::string& key) const {
    const toml::array* a = n.as_array();
    if (!a) Reject(key, "must be an array of strings, not " + TypeName(n));
    std::vector<std::string> out;
    for (const auto& e : *a) out.push_back(String(e, key + "[]"));
    return out;
  }
};

}  // namespace

bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > 64 || n[0] == '.' || n[0] == '-') return false;
  return std::all_of(n.begin(), n.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '.' || ch == '_' || ch == '-';
  });
}

std::map<std::string, GroupDef> BuiltinGroups(const std::string& preset) {
  const bool quick = preset != "full";
  std::map<std::string, GroupDef> g;
  // quick: the 7-Zip-style rating at dict 2^22 with one pass, both codecs (~3 s natively).
  g["lzma"] = {"lzma", quick ? "^LZMA_(Compress|Decompress)/(sdk|xz)/dict:22/" : "^LZMA_",
               quick ? std::vector<std::string>{"--lzma_passes=1"} : std::vector<std::string>{},
               Server::kNone};
  // quick: 20 ms a probe (~5 s for all natively, against ~33 s at their own defaults).
  g["probes"] = {
      "probes", "^Probe_",
      quick ? std::vector<std::string>{"--probes_min_time=0.02"} : std::vector<std::string>{},
      Server::kNone};
  g["redis"] = {"redis", "^Redis_",
                quick ? std::vector<std::string>{"--redis_tests=ping_inline,set,get",
                                                 "--redis_requests=20000", "--redis_clients=50"}
                      : std::vector<std::string>{"--redis_requests=100000", "--redis_clients=50"},
                Server::kRedis};
  // quick: 1 MB and 16 MB downloads and the 1 KB requests, 0.1 s each (~1 s natively).
  g["http"] = {
      "http", quick ? "^HTTP_(Download/(1MB|16MB)|Request1KB/)" : "^HTTP_",
      quick ? std::vector<std::string>{"--benchmark_min_time=0.1"} : std::vector<std::string>{},
      Server::kHttp};
  // Application-like workloads (docs/apps.md) in the `apps` image: the bench binary with the
  // start-up program, its libraries and files, which the bench image stays without.
  // quick: 50 ms each (~3 s natively).
  g["apps"] = {
      "apps", "^Apps_",
      quick ? std::vector<std::string>{"--apps_min_time=0.05"} : std::vector<std::string>{},
      Server::kNone, "apps"};
  return g;
}

std::uint64_t ParseBytes(const std::string& text) {
  std::size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw ConfigError("memory '" + text + "': not a size (e.g. 4GiB, 512MiB, 1073741824)");
  }
  const std::string unit = text.substr(pos);
  double mult = 1;
  if (unit == "" || unit == "B")
    mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k")
    mult = 1024.0;
  else if (unit == "M" || unit == "MiB")
    mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB")
    mult = 1024.0 * 1024 * 1024;
  else
    throw ConfigError("memory '" + text + "': unknown unit '" + unit + "' (use KiB, MiB, GiB)");
  if (v <= 0) throw ConfigError("memory '" + text + "' must be positive");
  return static_cast<std::uint64_t>(v * mult);
}

void LoadToml(const std::filesystem::path& file, RunConfig& c) {
  Reader r{file.string()};
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("config {}:{}:{}: {}", file.string(), e.source().begin.line,
                                  e.source().begin.column, std::string(e.description())));
  }
  r.CheckKeys(t, kTopKeys, "");
  c.config_file = file.string();
  for (const auto& [k, n] : t) {
    const std::string key(k.str());
    if (key == "runtimes")
      c.runtimes = r.Strings(n, key);
    else if (key == "groups")
      c.groups = r.Strings(n, key);
    else if (key == "repetitions")
      c.repetitions = static_cast<int>(r.Int(n, key, 1, 1000));
    else if (key == "seed")
      c.seed = static_cast<std::uint64_t>(r.Int(n, key, 0, INT64_MAX));
    else if (key == "cpus")
      c.cpus = r.Number(n, key);
    else if (key == "memory") {
      if (auto i = n.value_exact<std::int64_t>())
        c.memory_bytes = static_cast<std::uint64_t>(*i);
      else
        c.memory_bytes = ParseBytes(r.String(n, key));
    } else if (key == "timeout")
      c.timeout_s = static_cast<int>(r.Int(n, key, 1, 86400));
    else if (key == "warmup")
      c.warmup = static_cast<int>(r.Int(n, key, 0, 100));
    else if (key == "preset")
      c.preset = r.String(n, key);
    else if (key == "scratch")
      c.scratch = r.Word<ScratchKind>(n, key);
    else if (key == "placement")
      c.placement = r.Word<Placement>(n, key);
    else if (key == "results")
      c.results_root = r.String(n, key);
    else if (key == "images")
      c.images = r.String(n, key);
    else if (key == "bench")
      c.bench = r.String(n, key);
    else if (key == "runtime" || key == "group") {
      const toml::table* defs = n.as_table();
      if (!defs) r.Reject(key, "must be a table of tables ([" + key + ".NAME])");
      for (const auto& [dk, dn] : *defs) {
        const std::string name(dk.str());
        const std::string where = key + "." + name;
        // Names become file and directory names (bench/<runtime>/<group>/, --root, cgroups)
        // and container ids.
        if (!ValidName(name))
          r.Reject(where,
                   "is not a valid name (letters, digits, '.', '_', '-'; at most 64; not "
                   "starting with '.' or '-')");
        const toml::table* d = dn.as_table();
        if (!d) r.Reject(where, "must be a table");
        if (key == "runtime") {
          r.CheckKeys(*d, kRuntimeKeys, where + ".");
          RuntimeDef def;
          def.name = name;
          if (auto en = d->get("engine")) {
            def.engine = r.String(*en, where + ".engine");
            if (def.engine != "podman")
              r.Reject(
                  where + ".engine",
                  "must be \"podman\" (the one engine ocibench drives), not '" + def.engine + "'");
            if (d->get("binary") || d->get("args") || d->get("shim") || d->get("seccomp"))
              r.Reject(where + ".engine",
                       "cannot be combined with binary, args, shim or seccomp (podman applies "
                       "its own default profile)");
            const toml::node* rt = d->get("runtime");
            if (!rt)
              r.Reject(
                  where + ".runtime",
                  "is missing (the OCI runtime podman runs, e.g. \"runc\" or \"runsc-ptrace\")");
            def.runtime = r.String(*rt, where + ".runtime");
            c.runtime_defs[name] = def;
            continue;
          }
          if (d->get("runtime")) r.Reject(where + ".runtime", "needs engine = \"podman\"");
          if (auto sh = d->get("shim")) {
            def.shim = r.String(*sh, where + ".shim");
            if (containerd::ShimBinaryName(def.shim).empty())
              r.Reject(where + ".shim",
                       "must name a containerd shim v2 runtime like \"io.containerd.kata.v2\", "
                       "not '" +
                           def.shim + "'");
            if (d->get("binary") || d->get("args"))
              r.Reject(where + ".shim", "cannot be combined with binary or args");
          } else if (auto b = d->get("binary")) {
            def.binary = r.String(*b, where + ".binary");
          } else {
            r.Reject(where + ".binary",
                     "is missing (the runtime's path or name, or shim = \"io.containerd.X.vN\")");
          }
          if (auto a = d->get("args")) def.args = r.Strings(*a, where + ".args");
          if (auto sc = d->get("seccomp")) {
            def.seccomp = r.String(*sc, where + ".seccomp");
            if (!def.shim.empty())
              r.Reject(where + ".seccomp",
                       "is for OCI runtimes (binary = …); a containerd shim entry runs with "
                       "ctr's default profile");
            try {
              oci::ResolveSeccomp(def.seccomp);
            } catch (const oci::BundleError& e) {
              r.Reject(where + ".seccomp", e.what());
            }
          }
          c.runtime_defs[name] = def;
        } else {
          r.CheckKeys(*d, kGroupKeys, where + ".");
          GroupDef def{name, "", {}, Server::kNone};
          if (auto f = d->get("filter")) def.filter = r.String(*f, where + ".filter");
          if (auto a = d->get("args")) def.args = r.Strings(*a, where + ".args");
          if (auto s = d->get("server")) {
            const std::string server = r.String(*s, where + ".server");
            if (!Parse<Server>(server))
              r.Reject(where + ".server",
                       "must be \"redis\", \"http\" or empty, not '" + server + "'");
            def.server = *Parse<Server>(server);
          }
          c.group_defs[name] = def;
        }
      }
    }
  }
}

std::vector<GroupDef> ResolveGroups(const RunConfig& c) {
  if (c.preset != "quick" && c.preset != "full")
    throw ConfigError("preset '" + c.preset + "': use quick or full");
  auto builtin = BuiltinGroups(c.preset);
  std::vector<GroupDef> out;
  for (const auto& name : c.groups) {
    GroupDef g;
    if (auto it = builtin.find(name); it != builtin.end()) g = it->second;
    if (auto it = c.group_defs.find(name); it != c.group_defs.end()) {
      if (g.name.empty()) g = it->second;
      if (!it->second.filter.empty()) g.filter = it->second.filter;
      if (!it->second.args.empty()) g.args = it->second.args;
      if (it->second.server != Server::kNone) g.server = it->second.server;
    }
    if (g.name.empty()) {
      std::string known;
      for (const auto& [k, v] : builtin) known += (known.empty() ? "" : ", ") + k;
      throw ConfigError("unknown group '" + name + "' (known: " + known +
                        "; or define it in [group." + name + "] with a filter)");
    }
    if (g.filter.empty()) throw ConfigError("group '" + name + "' has no filter");
    out.push_back(g);
  }
  if (out.empty()) throw ConfigError("no groups to run");
  return out;
}

nlohmann::json ToJson(const RunConfig& c) {
  nlohmann::json j;
  j["runtimes"] = c.runtimes;
  j["groups"] = c.groups;
  j["repetitions"] = c.repetitions;
  j["seed"] = c.seed;
  j["cpus"] = c.cpus;
  j["memory_bytes"] = c.memory_bytes;
  j["timeout_s"] = c.timeout_s;
  j["warmup"] = c.warmup;
  j["preset"] = c.preset;
  j["scratch"] = ToString(c.scratch);
  j["placement"] = ToString(c.placement);
  j["results"] = c.results_root.string();
  j["images"] = c.images.string();
  j["bench"] = c.bench.string();
  j["config_file"] = c.config_file;
  for (const auto& [k, d] : c.runtime_defs)
    j["runtime"][k] = {{"binary", d.binary},   {"args", d.args},     {"shim", d.shim},
                       {"seccomp", d.seccomp}, {"engine", d.engine}, {"runtime", d.runtime}};
  for (const auto& g : ResolveGroups(c))
    j["group"][g.name] = {{"filter", g.filter}, {"args", g.args}, {"server", ToString(g.server)}};
  return j;
}

}  // namespace ocibench::run

namespace ocibench::run {
RunConfig FromJson(const nlohmann::json& j) {
  RunConfig c;
  c.runtimes = j.value("runtimes", c.runtimes);
  c.groups = j.value("groups", c.groups);
  c.repetitions = j.value("repetitions", c.repetitions);
  c.seed = j.value("seed", c.seed);
  c.cpus = j.value("cpus", c.cpus);
  c.memory_bytes = j.value("memory_bytes", c.memory_bytes);
  c.timeout_s = j.value("timeout_s", c.timeout_s);
  c.warmup = j.value("warmup", c.warmup);
  c.preset = j.value("preset", c.preset);
  c.scratch = ParseWord<ScratchKind>("scratch", j.value("scratch", ToString(c.scratch)));
  c.placement = ParseWord<Placement>("placement", j.value("placement", ToString(c.placement)));
  c.results_root = j.value("results", c.results_root.string());
  c.images = j.value("images", std::string());
  c.bench = j.value("bench", std::string());
  c.config_file = j.value("config_file", std::string());
  const nlohmann::json runtimes = j.value("runtime", nlohmann::json::object());
  const nlohmann::json groups = j.value("group", nlohmann::json::object());
  for (const auto& [k, d] : runtimes.items()) {
    RuntimeDef def;
    def.name = k;
    def.binary = d.value("binary", "");
    def.args = d.value("args", std::vector<std::string>{});
    def.shim = d.value("shim", "");
    def.seccomp = d.value("seccomp", "default");
    def.engine = d.value("engine", "");
    def.runtime = d.value("runtime", "");
    c.runtime_defs[k] = def;
  }
  for (const auto& [k, d] : groups.items())
    c.group_defs[k] = {k, d.value("filter", ""), d.value("args", std::vector<std::string>{}),
                       ParseWord<Server>("server", d.value("server", ""))};
  return c;
}
}  // namespace ocibench::run
