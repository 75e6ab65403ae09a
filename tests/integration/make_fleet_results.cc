// Builds a fleet directory (docs/results-format.md "Fleet directories") from ONE real results
// directory, for the fleet report's tests: COPIES of it as two hosts, the second with its host
// facts relabelled (hostname, CPU model, kernel, memory, cgroup mode) and a new run id, plus a
// host whose run.json is corrupt and a host listed as failed without a directory. These are
// copies, not two machines: the between-host ratios of the copies are 1 by construction.
//
//   make_fleet_results SOURCE_RUN_DIR OUT_FLEET_DIR [--skew]
//
// --skew: the second host also says it is another ocibench version and ran the redis group
// with other arguments (the report must name both and leave redis out between hosts).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json Read(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

void Write(const fs::path& p, const json& j) { std::ofstream(p) << j.dump(1) << "\n"; }

// A copy of the run as host `name`; the fleet's shared config file name recorded in it.
fs::path CopyHost(const fs::path& src, const fs::path& out, const std::string& name) {
  const fs::path dst = out / name;
  fs::copy(src, dst, fs::copy_options::recursive);
  for (const char* generated : {"report.md", "report.html", "report.json"})
    fs::remove(dst / generated);
  json run = Read(dst / "run.json");
  run["config"]["config_file"] = "/etc/ocibench/fleet.toml";
  run["fixture"] = "copy of " + fs::absolute(src).string() + " (make_fleet_results), not a run";
  Write(dst / "run.json", run);
  return dst;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_fleet_results SOURCE_RUN_DIR OUT_FLEET_DIR [--skew]\n");
    return 2;
  }
  const fs::path src = argv[1], out = argv[2];
  const bool skew = argc > 3 && std::string(argv[3]) == "--skew";
  if (!fs::is_regular_file(src / "run.json")) {
    std::fprintf(stderr, "make_fleet_results: %s has no run.json\n", src.c_str());
    return 2;
  }
  fs::remove_all(out);
  fs::create_directories(out);
  const json orig = Read(src / "run.json");
  const std::string a = orig["host"].value("hostname", "host") + "-a";
  const std::string b = orig["host"].value("hostname", "host") + "-b";
  const fs::path ha = CopyHost(src, out, a);
  json run_a = Read(ha / "run.json");
  run_a["host"]["hostname"] = a;
  Write(ha / "run.json", run_a);

  const fs::path hb = CopyHost(src, out, b);
  json run = Read(hb / "run.json");
  run["id"] = "b" + run.value("id", std::string("00000000000")).substr(1);
  run["host"]["hostname"] = b;
  run["host"]["cpu_model"] = run["host"].value("cpu_model", "") + " (relabelled copy)";
  run["host"]["kernel"] = "6.1.0-relabelled";
  run["host"]["mem_bytes"] = run["host"].value("mem_bytes", std::uint64_t{0}) / 2;
  run["host"]["cgroup_mode"] = "v2";
  if (skew) {
    run["ocibench_version"] = "0.0.9-fixture";
    run["config"]["group"]["redis"]["args"].push_back("--redis_pipeline=4");
  }
  Write(hb / "run.json", run);

  const fs::path broken = CopyHost(src, out, "broken");
  std::string text;
  {
    std::ifstream f(broken / "run.json");
    std::stringstream s;
    s << f.rdbuf();
    text = s.str();
  }
  std::ofstream(broken / "run.json") << text.substr(0, text.size() / 2);  // cut mid-object

  const json fleet = {
      {"kind", "ocibench-fleet"},
      {"created_utc", "2026-12-01T19:00:00Z"},
      {"config", "fleet.toml"},
      {"fixture", "made by make_fleet_results from copies of one run; not several machines"},
      {"hosts",
       {{{"name", a}, {"status", "ok"}, {"reason", nullptr}, {"dir", a}},
        {{"name", b}, {"status", "ok"}, {"reason", nullptr}, {"dir", b}},
        {{"name", "broken"}, {"status", "ok"}, {"reason", nullptr}, {"dir", "broken"}},
        {{"name", "down"},
         {"status", "failed"},
         {"reason", "fixture: listed as failed, no directory"},
         {"dir", "down"}}}}};
  Write(out / "fleet.json", fleet);
  std::printf("%s\n", out.c_str());
  return 0;
}
