// Probe_fs_*: the VFS paths a sandbox intercepts: open, stat (path walk depth, missing
// paths), getdents, file create/write/unlink and small reads. Files live in the scratch
// directory (docs/probes.md); fixtures are made once per run.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/topdir.h"
#include "workloads/probes/tree.h"

namespace ocibench::bench::probes {
namespace {

using ocibench::probes::WriteFile;

bool g_create_spread = true;  // --probes_create_spread

const std::string& SmallFiles() {
  return FixtureDir("fs_files", [](const std::string& d) {
    WriteFile(d + "/empty", 0);
    for (int size : {1024, 4096, 16384}) WriteFile(d + "/f" + std::to_string(size), size);
  });
}

void OpenClose(benchmark::State& state) {
  const std::string path = SmallFiles() + "/empty";
  RusageMeter meter;
  for (auto _ : state) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      SkipErrno(state, "open " + path);
      break;
    }
    close(fd);
  }
  meter.Report(state);
}

// Path of the file `depth` directories below the fixture (…/d/d/f).
void StatDepth(benchmark::State& state) {
  const std::string& dir = FixtureDir("fs_nested", [](const std::string& d) {
    for (int depth = 1; depth <= 8; depth++) ocibench::probes::MakeNestedPath(d, depth);
  });
  std::string path = dir;
  for (int i = 0; i < state.range(0); i++) path += "/d";
  path += "/f";
  struct stat st;
  RusageMeter meter;
  for (auto _ : state) {
    if (stat(path.c_str(), &st) != 0) {
      SkipErrno(state, "stat " + path);
      break;
    }
  }
  meter.Report(state);
}

void StatMissing(benchmark::State& state) {
  const std::string path = SmallFiles() + "/missing";
  struct stat st;
  RusageMeter meter;
  for (auto _ : state) {
    if (stat(path.c_str(), &st) == 0 || errno != ENOENT) {
      if (errno == 0) errno = EEXIST;
      SkipErrno(state, "stat " + path + " (expected ENOENT)");
      break;
    }
  }
  meter.Report(state);
}

void Getdents(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::string& dir = FixtureDir("fs_dir_" + std::to_string(n), [n](const std::string& d) {
    ocibench::probes::MakeEmptyFiles(d, n);
  });
  long entries = 0;
  RusageMeter meter;
  for (auto _ : state) entries = ocibench::probes::CountDirEntries(dir);
  meter.Report(state);
  if (entries != n + 2)  // the files plus "." and ".."
    state.SkipWithError(("getdents64 saw " + std::to_string(entries) + " entries, expected " +
                         std::to_string(n + 2))
                            .c_str());
  state.SetItemsProcessed(state.iterations() * entries);
}

// The parent of CreateWriteUnlink's directory, flagged FS_TOPDIR_FL: ext4 then places that
// directory, and so the probe's inode, in a block group of its own instead of the one where the
// fixtures of this and earlier runs were deleted. On ext4 without a journal (this host) each
// create scans the recently deleted (< 60-360 s) free inodes of its group, so 6000 files
// deleted there made one create+unlink 14 -> 850 us of system time (docs/probes.md, "Two modes
// of file creation on ext4"). The label says which placement the probe got.
struct CreateDir {
  std::string path, label;
};
// Made once per run, not on each of Google Benchmark's calls: each directory deleted is one more
// recently deleted inode in that group for the next repetition to step over.
const CreateDir& CreateWriteUnlinkDir() {
  static const CreateDir made = [] {
    if (!g_create_spread)
      return CreateDir{FixtureDir("fs_create", [](const std::string&) {}), "spread: off"};
    bool spread = false;
    const std::string& parent = FixtureDir("fs_create_spread", [&](const std::string& dir) {
      spread = ocibench::probes::SpreadSubdirectories(dir);
      if (mkdir((dir + "/d").c_str(), 0755) != 0)
        throw std::system_error(errno, std::generic_category(), "mkdir " + dir + "/d");
    });
    return CreateDir{parent + "/d",
                     spread ? "spread: topdir" : "spread: none (no FS_TOPDIR_FL here)"};
  }();
  return made;
}

void CreateWriteUnlink(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const CreateDir& dir = CreateWriteUnlinkDir();
  state.SetLabel(dir.label);
  const std::string path = dir.path + "/f";
  std::vector<char> buf(size, 'x');
  RusageMeter meter;
  for (auto _ : state) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      SkipErrno(state, "open(O_CREAT) " + path);
      break;
    }
    if (size > 0 && write(fd, buf.data(), size) != static_cast<ssize_t>(size)) {
      SkipErrno(state, "write " + path);
      close(fd);
      break;
    }
    close(fd);
    if (unlink(path.c_str()) != 0) {
      SkipErrno(state, "unlink " + path);
      break;
    }
  }
  meter.Report(state);
  if (size > 0) state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

void OpenReadClose(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string path = SmallFiles() + "/f" + std::to_string(size);
  std::vector<char> buf(size);
  RusageMeter meter;
  for (auto _ : state) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      SkipErrno(state, "open " + path);
      break;
    }
    errno = 0;
    if (read(fd, buf.data(), size) != static_cast<ssize_t>(size)) {
      if (errno == 0) errno = EIO;
      SkipErrno(state, "read " + path);
      close(fd);
      break;
    }
    close(fd);
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

void AddFlags(CLI::App& app) {
  app.add_option_group("Probes (fs)", "file-system probes")
      ->add_option("--probes_create_spread", g_create_spread,
                   "Probe_fs_create_write_unlink: make its directory under an FS_TOPDIR_FL "
                   "parent (ext4 puts it in a block group of its own; docs/probes.md); false = "
                   "beside the fixtures, to show the two modes")
      ->default_val(true);
}

void Register() {
  AddProbe("Probe_fs_open_close", kDefaultMinTime, OpenClose);
  AddProbe("Probe_fs_stat_depth", 0.1, StatDepth)->DenseRange(1, 8)->ArgName("depth");
  AddProbe("Probe_fs_stat_missing", kDefaultMinTime, StatMissing);
  AddProbe("Probe_fs_getdents", kDefaultMinTime, Getdents)
      ->Arg(1)
      ->Arg(64)
      ->Arg(4096)
      ->ArgName("entries");
  AddProbe("Probe_fs_create_write_unlink", kDefaultMinTime, CreateWriteUnlink)
      ->Arg(0)
      ->Arg(1024)
      ->Arg(4096)
      ->Arg(10240)
      ->ArgName("bytes");
  AddProbe("Probe_fs_open_read_close", kDefaultMinTime, OpenReadClose)
      ->Arg(1024)
      ->Arg(16384)
      ->ArgName("bytes");
}

}  // namespace

OCIBENCH_MODULE(probes_fs, AddFlags, Register);

}  // namespace ocibench::bench::probes
