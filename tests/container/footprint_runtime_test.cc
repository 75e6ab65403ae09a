// `ocibench footprint` on this host's runtimes: each has a version, an owning package, a
// dependency closure with sizes that covers the libraries its binary loads, and the host
// features it needs checked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "harness/footprint/runtime_footprint.h"
#include "harness/process/command.h"

namespace ocibench::footprint {
namespace {

class FootprintTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (process::FindOnPath(GetParam()).empty()) {
      GTEST_SKIP() << GetParam() << " is not installed (scripts/install-deps)";
    }
  }
};

TEST_P(FootprintTest, ClosureWithSizesCoversTheLoadedLibraries) {
  const auto runs = MeasureFootprints({GetParam()}, {});
  ASSERT_EQ(runs.size(), 1u);
  const RuntimeFootprint& f = runs[0];
  ASSERT_EQ(f.error, "");
  EXPECT_NE(f.version.find("version"), std::string::npos) << f.version;
  EXPECT_FALSE(f.package.empty()) << f.binary << " is not from a Debian package";
  EXPECT_GT(f.binary_bytes, 100000u);  // crun 1.8 is 0.5 MB
  ASSERT_FALSE(f.closure.entries.empty());
  EXPECT_EQ(f.closure.entries[0].package->name, f.package);
  EXPECT_TRUE(f.closure.unsatisfied.empty());
  std::set<std::string> in_closure;
  for (const auto& e : f.closure.entries) {
    EXPECT_GT(e.package->installed_kib, 0u) << e.package->Id();
    in_closure.insert(e.package->Id());
  }
  EXPECT_GE(f.closure.TotalKib(), f.closure.ExtraKib());
  EXPECT_GE(f.closure.TotalKib(), f.closure.DirectKib());
  if (f.ldd.is_static) {
    EXPECT_TRUE(f.ldd.objects.empty());
  } else {
    ASSERT_FALSE(f.ldd.objects.empty());
    EXPECT_GT(f.closure.entries.size(), 1u) << "a dynamic binary depends on its libraries";
    EXPECT_GT(f.ldd.Bytes(), 0u);
    for (const auto& o : f.ldd.objects) {
      EXPECT_GT(o.bytes, 0u) << o.real;
      // Every library the loader maps belongs to a package of the dependency closure.
      EXPECT_TRUE(in_closure.count(o.package) ||
                  in_closure.count(o.package + ":" + f.closure.entries[0].package->arch))
          << o.soname << " from " << o.package << " is not in the package closure";
    }
  }
  bool cgroups = false;
  for (const auto& c : f.features) cgroups |= c.need.feature == "cgroups" && c.host_has;
  EXPECT_TRUE(cgroups);
}

TEST_P(FootprintTest, CommandPrintsJson) {
  const process::CommandResult r =
      process::RunCommand({OCIBENCH_CLI, "footprint", "--json", GetParam()});
  ASSERT_TRUE(r.ok()) << r.LastLine();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["base_system"]["kind"], "required");
  ASSERT_EQ(j["runtimes"].size(), 1u);
  const auto& rt = j["runtimes"][0];
  EXPECT_EQ(rt["name"], GetParam());
  std::uint64_t sum = 0;
  for (const auto& p : rt["closure"]["packages"]) sum += p["installed_kib"].get<std::uint64_t>();
  EXPECT_GT(sum, 0u);
  EXPECT_EQ(rt["closure"]["installed_kib"].get<std::uint64_t>(), sum);
}

INSTANTIATE_TEST_SUITE_P(Runtimes, FootprintTest, ::testing::Values("runc", "crun", "runsc"),
                         [](const auto& info) { return info.param; });

TEST(FootprintCommandTest, MissingRuntimeIsOneClearError) {
  const process::CommandResult r =
      process::RunCommand({OCIBENCH_CLI, "footprint", "no-such-runtime-xyz"});
  EXPECT_EQ(r.exit_code, 2);  // a bad argument: named on stderr (the table row stays on stdout)
  EXPECT_NE(r.err.find("ocibench footprint: no-such-runtime-xyz is not installed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("no-such-runtime-xyz is not installed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ocibench::footprint
