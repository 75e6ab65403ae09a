// Footprint and portability logic without a runtime: the dpkg status parser and dependency
// resolution, the closure and base-system split, ldd and Google Benchmark output parsing.
#include <gtest/gtest.h>

#include "harness/footprint/bench_results.h"
#include "harness/footprint/binfmt_guard.h"
#include "harness/footprint/dpkg_db.h"
#include "harness/footprint/ldd_closure.h"
#include "harness/footprint/package_closure.h"
#include "harness/footprint/portability.h"
#include "harness/oci/bundle.h"

namespace ocibench::footprint {
namespace {

// A small status file: "rt" depends on a virtual name, an alternative whose first choice is not
// installed, a multi-arch library; "base-files" is required and pulls in libc.
std::string Status() {
  const std::string a = oci::HostArch();
  return "Package: rt\nStatus: install ok installed\nPriority: optional\nArchitecture: " + a +
         "\nVersion: 1.0\nInstalled-Size: 1000\nDepends: libc (>= 2), mail-transport-agent, "
         "notinstalled | libalt (>= 1) [amd64 arm64], libma:any\nPre-Depends: libpre\n"
         "Description: a runtime\n continuation line: Depends: bogus\n\n"
         "Package: libc\nStatus: install ok installed\nPriority: optional\nArchitecture: " +
         a +
         "\nVersion: 2\nInstalled-Size: 10000\n\n"
         "Package: libc\nStatus: install ok installed\nPriority: optional\nArchitecture: other\n"
         "Version: 2\nInstalled-Size: 99999\n\n"
         "Package: mta\nStatus: install ok installed\nPriority: optional\nArchitecture: " +
         a +
         "\nVersion: 1\nInstalled-Size: 300\nProvides: mail-transport-agent\nDepends: libc\n\n"
         "Package: libalt\nStatus: install ok installed\nPriority: optional\nArchitecture: " +
         a +
         "\nVersion: 1\nInstalled-Size: 20\n\n"
         "Package: libma\nStatus: install ok installed\nPriority: optional\nArchitecture: all\n"
         "Multi-Arch: foreign\nVersion: 1\nInstalled-Size: 5\n\n"
         "Package: libpre\nStatus: install ok installed\nPriority: optional\nArchitecture: " +
         a +
         "\nVersion: 1\nInstalled-Size: 7\nDepends: libc\n\n"
         "Package: removed\nStatus: deinstall ok config-files\nPriority: required\n"
         "Architecture: " +
         a +
         "\nVersion: 1\nInstalled-Size: 1\n\n"
         "Package: base-files\nStatus: install ok installed\nPriority: required\nEssential: yes\n"
         "Architecture: " +
         a + "\nVersion: 1\nInstalled-Size: 400\nPre-Depends: libc\n";
}

TEST(DependsFieldTest, SplitsClausesAndDropsConstraints) {
  const auto c = ParseDependsField("a (>= 1) | b:any, c [amd64], d <!nocheck>");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], (std::vector<std::string>{"a", "b:any"}));
  EXPECT_EQ(c[1], (std::vector<std::string>{"c"}));
  EXPECT_EQ(c[2], (std::vector<std::string>{"d"}));
  EXPECT_TRUE(ParseDependsField("").empty());
}

TEST(DpkgDbTest, ParsesInstalledPackagesOnly) {
  const DpkgDb db = DpkgDb::Parse(Status());
  EXPECT_EQ(db.packages().size(), 8u);  // "removed" is not installed
  EXPECT_EQ(db.Find("removed"), nullptr);
  const DebPackage* rt = db.Find("rt");
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->installed_kib, 1000u);
  EXPECT_EQ(rt->depends.find("bogus"), std::string::npos);
  EXPECT_EQ(db.Find("libc")->installed_kib, 10000u);  // the native one
  EXPECT_EQ(db.Find("libc:other")->installed_kib, 99999u);
}

TEST(DpkgDbTest, ResolvesVirtualAlternativesAndArchitectures) {
  const DpkgDb db = DpkgDb::Parse(Status());
  const auto deps = db.Dependencies(*db.Find("rt"));
  ASSERT_EQ(deps.size(), 5u);
  EXPECT_TRUE(deps[0].pre_depends);
  EXPECT_EQ(deps[0].package->name, "libpre");
  EXPECT_EQ(deps[1].package->installed_kib, 10000u);  // libc of the dependent's architecture
  EXPECT_EQ(deps[2].package->name, "mta");            // provides mail-transport-agent
  EXPECT_EQ(deps[2].via, "mail-transport-agent");
  EXPECT_EQ(deps[3].package->name, "libalt");  // first installed alternative
  EXPECT_EQ(deps[3].via, "libalt");            // not the first alternative: recorded
  EXPECT_EQ(deps[4].package->name, "libma");
  EXPECT_EQ(deps[4].via, "");
}

TEST(PackageClosureTest, SumsAndSplitsByBaseSystem) {
  const DpkgDb db = DpkgDb::Parse(Status());
  const auto base = BaseSet(db, BaseSystem::kRequired);
  EXPECT_EQ(base.size(), 2u);  // base-files + the libc it pre-depends on
  EXPECT_TRUE(base.count(db.Find("libc")));
  const PackageClosure c = Closure(db, {db.Find("rt")}, base);
  ASSERT_EQ(c.entries.size(), 6u);  // rt libpre libc mta libalt libma
  EXPECT_TRUE(c.entries[0].root);
  EXPECT_TRUE(c.unsatisfied.empty());
  EXPECT_EQ(c.TotalKib(), 1000u + 7 + 10000 + 300 + 20 + 5);
  EXPECT_EQ(c.ExtraKib(), 1000u + 7 + 300 + 20 + 5);  // libc is in the base
  EXPECT_EQ(c.ExtraDependencies(), 4u);
  EXPECT_EQ(c.DirectDependencies(), 5u);
  EXPECT_EQ(c.DirectKib(), c.TotalKib());
  const PackageClosure none = Closure(db, {db.Find("rt")}, BaseSet(db, BaseSystem::kNone));
  EXPECT_EQ(none.ExtraKib(), none.TotalKib());
}

TEST(PackageClosureTest, ReportsUnsatisfiedDependencies) {
  const DpkgDb db = DpkgDb::Parse(
      "Package: x\nStatus: install ok installed\nArchitecture: all\nInstalled-Size: 1\n"
      "Depends: gone | alsogone\n");
  const PackageClosure c = Closure(db, {db.Find("x")}, {});
  ASSERT_EQ(c.unsatisfied.size(), 1u);
  EXPECT_EQ(c.unsatisfied[0], "x:all: gone | alsogone");
}

TEST(PackageClosureTest, ThisSystemsDpkgDatabaseLoads) {
  const DpkgDb db = DpkgDb::Load();
  EXPECT_GT(db.packages().size(), 50u);
  const auto base = BaseSet(db, BaseSystem::kRequired);
  const DebPackage* libc = db.Find("libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_TRUE(base.count(libc)) << "libc6 is Priority optional but in the required closure";
  EXPECT_THROW(DpkgDb::Load("/nonexistent/status"), DpkgError);
}

TEST(LddTest, ParsesLibrariesLoaderVdsoAndMissing) {
  const LddClosure c = ParseLdd(
      "\tlinux-vdso.so.1 (0x00007ffd)\n"
      "\tlibseccomp.so.2 => /lib/x86_64-linux-gnu/libseccomp.so.2 (0x00007f)\n"
      "\tlibgone.so.1 => not found\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n");
  EXPECT_FALSE(c.is_static);
  ASSERT_EQ(c.objects.size(), 2u);
  EXPECT_EQ(c.objects[0].soname, "libseccomp.so.2");
  EXPECT_EQ(c.objects[0].path, "/lib/x86_64-linux-gnu/libseccomp.so.2");
  EXPECT_EQ(c.objects[1].path, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(c.not_found, std::vector<std::string>{"libgone.so.1"});
  EXPECT_TRUE(ParseLdd("\tnot a dynamic executable\n").is_static);
}

TEST(BenchResultsTest, ConvertsUnitsAndSkipsAggregatesAndErrors) {
  const auto ms = ParseBenchmarkMillis(R"({"context":{},"benchmarks":[
    {"name":"A","run_type":"iteration","real_time":2.5,"time_unit":"ms"},
    {"name":"B","run_type":"iteration","real_time":1500000,"time_unit":"ns"},
    {"name":"A_mean","run_type":"aggregate","real_time":1,"time_unit":"ms"},
    {"name":"E","run_type":"iteration","error_occurred":true,"real_time":1,"time_unit":"ms"}]})");
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_DOUBLE_EQ(ms.at("A"), 2.5);
  EXPECT_DOUBLE_EQ(ms.at("B"), 1.5);
  EXPECT_THROW(ParseBenchmarkMillis("{}"), std::runtime_error);
  EXPECT_THROW(ReadBenchmarkMillis("/nonexistent.json"), std::runtime_error);
}

TEST(PortabilityTest, ErrorLinePicksTheExecFailure) {
  EXPECT_EQ(ErrorLine("warning\n{\"msg\":\"exec container process `/x`: Exec format error\"}\n"
                      "crun create x: exited with code 1\n"),
            "{\"msg\":\"exec container process `/x`: Exec format error\"}");
  EXPECT_EQ(ErrorLine("first\nlast\n\n"), "last");
  EXPECT_EQ(ErrorLine(""), "");
}

TEST(BinfmtTest, QemuNamesAndHandlerMatching) {
  EXPECT_EQ(QemuArch("arm64"), "aarch64");
  EXPECT_EQ(QemuArch("amd64"), "x86_64");
  EXPECT_EQ(QemuArch("mips"), "");
  BinfmtState s;
  s.mounted = s.enabled = true;
  s.handlers = {{"qemu-aarch64", true}, {"python3.11", true}};
  s.interpreters = {{"qemu-aarch64", "/usr/libexec/qemu-binfmt/aarch64-binfmt-P"},
                    {"python3.11", "/usr/bin/python3.11"}};
  EXPECT_TRUE(HasEnabledHandler(s, "arm64"));
  EXPECT_FALSE(HasEnabledHandler(s, "amd64"));
  s.handlers["qemu-aarch64"] = false;
  EXPECT_FALSE(HasEnabledHandler(s, "arm64"));
  s.enabled = false;
  s.handlers["qemu-aarch64"] = true;
  EXPECT_FALSE(HasEnabledHandler(s, "arm64"));
}

}  // namespace
}  // namespace ocibench::footprint
