// Writing and reading profile/<group>/<benchmark>.json (profile_file.h).
#include "harness/profile/profile_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/benchjson/benchjson.h"
#include "harness/profile/strace_summary.h"

namespace ocibench::profile {
namespace fs = std::filesystem;

fs::path ProfilePath(const fs::path& results_dir, const std::string& group,
                     const std::string& benchmark) {
  std::string file = benchmark;
  for (char& c : file)
    if (c == '/') c = '_';
  return results_dir / "profile" / group / (file + ".json");
}

void WriteProfile(const fs::path& results_dir, const BenchmarkProfile& p) {
  const fs::path path = ProfilePath(results_dir, p.group, p.benchmark);
  const nlohmann::json j = {{"benchmark", p.benchmark}, {"group", p.group},
                            {"unit", p.unit},           {"fd_kind", FdKindName(p.fd_kind)},
                            {"calls", p.calls},         {"tracer", p.tracer},
                            {"command", p.command},     {"method", p.method}};
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) throw ProfileError("profile: cannot write " + tmp.string());
  }
  fs::rename(tmp, path, ec);
  if (ec) throw ProfileError("profile: cannot write " + path.string() + ": " + ec.message());
}

std::vector<BenchmarkProfile> ReadProfiles(const fs::path& results_dir,
                                           std::vector<std::string>* bad) {
  std::vector<BenchmarkProfile> out;
  const fs::path root = results_dir / "profile";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& group : fs::directory_iterator(root)) {
    if (!group.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(group.path())) {
      if (file.path().extension() != ".json") continue;
      try {
        std::ifstream in(file.path());
        std::stringstream s;
        s << in.rdbuf();
        const auto j = nlohmann::json::parse(s.str());
        BenchmarkProfile p;
        p.benchmark = j.at("benchmark").get<std::string>();
        p.group = j.value("group", group.path().filename().string());
        p.unit = j.value("unit", "iteration");
        const auto kind = ParseFdKind(j.value("fd_kind", "file"));
        if (!kind) throw std::runtime_error("fd_kind is neither file, socket nor host-socket");
        p.fd_kind = *kind;
        p.calls = j.at("calls").get<std::map<std::string, double>>();
        p.tracer = j.value("tracer", "");
        p.command = j.value("command", std::vector<std::string>{});
        p.method = j.value("method", "");
        out.push_back(std::move(p));
      } catch (const std::exception& e) {
        if (bad) bad->push_back(file.path().string() + ": " + e.what());
      }
    }
  }
  return out;
}

std::string GroupOf(const fs::path& results_dir, const std::string& benchmark) {
  const fs::path native = results_dir / "bench" / "native";
  std::error_code ec;
  if (!fs::is_directory(native, ec)) return "";
  for (const auto& group : fs::directory_iterator(native)) {
    if (!group.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(group.path())) {
      if (file.path().extension() != ".json") continue;
      try {
        const auto doc = benchjson::ReadFile(file.path());
        for (const nlohmann::json* e : benchjson::Iterations(doc))
          if (benchjson::BaseName(e->value("name", "")) == benchmark)
            return group.path().filename().string();
      } catch (const std::exception&) {
        continue;
      }
    }
  }
  return "";
}

}  // namespace ocibench::profile
