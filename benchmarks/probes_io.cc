// Probe_io_*: file data paths: sequential read and write in 4 KiB..1 MiB blocks (page cache),
// a 4 KiB write made durable with fsync, and reading a file through mmap.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"
#include "workloads/probes/tree.h"

namespace ocibench::bench::probes {
namespace {

using ocibench::probes::UniqueFd;

constexpr std::size_t kFileBytes = 16 << 20;  // a multiple of every block size

std::string DataFile() {
  return FixtureDir("io_data",
                    [](const std::string& dir) {
                      ocibench::probes::WriteFile(dir + "/data", kFileBytes);
                    }) +
         "/data";
}

void SeqRead(benchmark::State& state) {
  const auto block = static_cast<std::size_t>(state.range(0));
  const std::string path = DataFile();
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return SkipErrno(state, "open " + path);
  std::vector<char> buf(block);
  RusageMeter meter;
  for (auto _ : state) {
    ssize_t n = read(fd.get(), buf.data(), block);
    if (n == 0) {  // end of file: start over
      lseek(fd.get(), 0, SEEK_SET);
      n = read(fd.get(), buf.data(), block);
    }
    if (n != static_cast<ssize_t>(block)) {
      if (n >= 0) errno = EIO;
      SkipErrno(state, "read " + path);
      break;
    }
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block));
}

void SeqWrite(benchmark::State& state) {
  const auto block = static_cast<std::size_t>(state.range(0));
  ocibench::probes::ScopedDir dir(ScratchPath() + "/io_write");
  const std::string path = dir.path() + "/data";
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.ok()) return SkipErrno(state, "open " + path);
  std::vector<char> buf(block, 'x');
  std::size_t offset = 0;
  RusageMeter meter;
  for (auto _ : state) {
    if (offset == kFileBytes) {  // wrap: overwrite the same 16 MiB
      lseek(fd.get(), 0, SEEK_SET);
      offset = 0;
    }
    if (write(fd.get(), buf.data(), block) != static_cast<ssize_t>(block)) {
      SkipErrno(state, "write " + path);
      break;
    }
    offset += block;
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block));
}

void WriteFsync(benchmark::State& state) {
  const auto block = static_cast<std::size_t>(state.range(0));
  ocibench::probes::ScopedDir dir(ScratchPath() + "/io_fsync");
  const std::string path = dir.path() + "/data";
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.ok()) return SkipErrno(state, "open " + path);
  std::vector<char> buf(block, 'x');
  RusageMeter meter;
  for (auto _ : state) {
    if (pwrite(fd.get(), buf.data(), block, 0) != static_cast<ssize_t>(block)) {
      SkipErrno(state, "pwrite " + path);
      break;
    }
    if (fsync(fd.get()) != 0) {
      SkipErrno(state, "fsync " + path);
      break;
    }
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block));
}

// Maps the first `len` bytes of the data file and reads every byte (8 at a time).
void MmapRead(benchmark::State& state) {
  const auto len = static_cast<std::size_t>(state.range(0));
  const std::string path = DataFile();
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return SkipErrno(state, "open " + path);
  RusageMeter meter;
  for (auto _ : state) {
    void* p = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (p == MAP_FAILED) {
      SkipErrno(state, "mmap " + path);
      break;
    }
    const auto* w = static_cast<const std::uint64_t*>(p);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < len / 8; i++) sum += w[i];
    benchmark::DoNotOptimize(sum);
    munmap(p, len);
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(len));
}

void Register() {
  AddProbe("Probe_io_seq_read", kDefaultMinTime, SeqRead)
      ->RangeMultiplier(16)
      ->Range(4 << 10, 1 << 20)
      ->ArgName("block");
  AddProbe("Probe_io_seq_write", kDefaultMinTime, SeqWrite)
      ->RangeMultiplier(16)
      ->Range(4 << 10, 1 << 20)
      ->ArgName("block");
  AddProbe("Probe_io_write_fsync", kDefaultMinTime, WriteFsync)->Arg(4 << 10)->ArgName("block");
  AddProbe("Probe_io_mmap_read", kDefaultMinTime, MmapRead)
      ->RangeMultiplier(16)
      ->Range(64 << 10, 16 << 20)
      ->ArgName("bytes");
}

}  // namespace

OCIBENCH_MODULE(probes_io, nullptr, Register);

}  // namespace ocibench::bench::probes
