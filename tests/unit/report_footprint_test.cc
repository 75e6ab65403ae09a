// The report's footprint and portability section: read from footprint.json/portability.json in
// a results directory. portability.json is made by the footprint library's own PortabilityJson
// (so producer and reader cannot drift apart); footprint.json has the shape `ocibench footprint
// --json` prints (checked on this machine's output).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/footprint/portability.h"
#include "harness/report/report.h"

namespace ocibench::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Dir {
  Dir() {
    char t[] = "/tmp/ocibench-report-footprint-XXXXXX";
    path = mkdtemp(t);
    json run = {{"format", 1},
                {"runtimes", {{{"name", "native"}, {"kind", "native"}}}},
                {"groups", {"lzma"}},
                {"cells", json::array()}};
    std::ofstream(path / "run.json") << run.dump();
  }
  ~Dir() { fs::remove_all(path); }
  fs::path path;
};

json Footprint() {
  return json::parse(R"({
    "base_system": {"kind": "required", "definition": "Essential and Priority: required"},
    "runtimes": [
      {"name": "crun", "version": "crun version 1.8.1", "package": "crun",
       "package_version": "1.8.1-1", "binary_bytes": 490184,
       "closure": {"dependencies": 12, "installed_kib": 19140,
                   "beyond_base": {"dependencies": 1, "installed_kib": 1660},
                   "study_method": {"dependencies": 5, "installed_kib": 15820}},
       "ldd": {"static": false, "bytes": 5800000, "objects": [{}, {}, {}]},
       "features": [{"feature": "cgroups", "required": true, "host_has": true},
                    {"feature": "/dev/kvm", "required": true, "host_has": false}]},
      {"name": "runsc", "version": "runsc version 0.0~20221219.0", "package": "runsc",
       "package_version": "0.0~20221219.0-2", "binary_bytes": 24000000,
       "closure": {"dependencies": 0, "installed_kib": 23437},
       "ldd": {"static": true, "bytes": 0, "objects": []}, "features": []}]})");
}

footprint::PortabilityReport Portability() {
  footprint::PortabilityReport p;
  p.host_arch = "amd64";
  p.foreign_arch = "arm64";
  p.qemu = "qemu-aarch64 version 7.2";
  p.repetitions = 3;
  p.binfmt_before = "binfmt_misc not mounted";
  p.binfmt_restored = true;
  footprint::RuntimePortability rt;
  rt.runtime = "runc";
  rt.no_emulation.attempted = true;
  rt.no_emulation.error_text = "exec /ocibench-bench: exec format error";
  rt.emulation = "binfmt_misc";
  rt.workloads.push_back({"LZMA_Compress/sdk/dict:22", 722, 1923, 2.66});
  p.runtimes.push_back(rt);
  footprint::RuntimePortability gone;
  gone.runtime = "youki";
  gone.unusable = "youki: not found on PATH";
  p.runtimes.push_back(gone);
  return p;
}

TEST(ReportFootprint, AbsentFilesSaySoAndHowToAddThem) {
  Dir d;
  const Section s = FootprintSection(LoadResults(d.path));
  EXPECT_TRUE(s.tables.empty());
  ASSERT_EQ(s.paragraphs.size(), 1u);
  EXPECT_NE(s.paragraphs[0].find("ocibench footprint --out"), std::string::npos);
}

TEST(ReportFootprint, TablesFromBothFiles) {
  Dir d;
  std::ofstream(d.path / "footprint.json") << Footprint().dump();
  std::ofstream(d.path / "portability.json") << footprint::PortabilityJson(Portability()).dump();
  const Section s = FootprintSection(LoadResults(d.path));
  ASSERT_EQ(s.tables.size(), 3u);

  const Table& f = s.tables[0];
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0][0].text, "crun");
  EXPECT_EQ(f.rows[0][4].text, "12 / 19.6");  // 19140 KiB = 19.6 MB
  EXPECT_EQ(f.rows[0][5].text, "1 / 1.7");
  EXPECT_EQ(f.rows[0][6].text, "5 / 16.2");
  EXPECT_EQ(f.rows[0][7].text, "3 / 5.8");
  EXPECT_EQ(f.rows[0][8].text, "/dev/kvm");
  EXPECT_EQ(f.rows[1][7].text, "static");
  EXPECT_EQ(f.rows[1][5].text, "–");  // no beyond_base in that entry: not invented

  const Table& errors = s.tables[1];
  ASSERT_EQ(errors.rows.size(), 2u);
  EXPECT_EQ(errors.rows[0][2].text, "exec /ocibench-bench: exec format error");
  EXPECT_EQ(errors.rows[0][3].text, "binfmt_misc");
  EXPECT_NE(errors.rows[1][2].text.find("not found on PATH"), std::string::npos);

  const Table& slow = s.tables[2];
  ASSERT_EQ(slow.rows.size(), 1u);
  EXPECT_EQ(slow.rows[0][2].text, "LZMA_Compress/sdk/dict:22");
  EXPECT_EQ(slow.rows[0][5].value.get<double>(), 2.66);
  ASSERT_FALSE(slow.notes.empty());
  EXPECT_NE(slow.notes[0].find("restored afterwards: yes"), std::string::npos);
}

TEST(ReportFootprint, ACorruptFileIsOneErrorNamingIt) {
  Dir d;
  std::ofstream(d.path / "footprint.json") << "{\"runtimes\": 3}";
  try {
    LoadResults(d.path);
    FAIL() << "a footprint.json without a runtimes array was accepted";
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find((d.path / "footprint.json").string()), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("ocibench footprint"), std::string::npos) << e.what();
  }
  std::ofstream(d.path / "footprint.json", std::ios::trunc) << "{";
  EXPECT_THROW(LoadResults(d.path), ResultsError);
}

}  // namespace
}  // namespace ocibench::report
