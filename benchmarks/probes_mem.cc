// Probe_mem_*: memory the kernel has to hand out: malloc without free (with and without
// touching the pages — gVisor's 2.5x), mmap+touch+munmap of 4 KiB..64 MiB, and the cost of
// one anonymous and one file-backed page fault.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "benchmarks/probes_common.h"
#include "benchmarks/registry.h"
#include "workloads/probes/fd.h"
#include "workloads/probes/tree.h"

namespace ocibench::bench::probes {
namespace {

constexpr std::size_t kBatchBytes = 64 << 20;  // malloc: free (untimed) after this much

std::size_t PageSize() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

void Touch(void* p, std::size_t len, std::size_t page) {
  auto* c = static_cast<volatile char*>(p);
  for (std::size_t off = 0; off < len; off += page) c[off] = 1;
}

// malloc without free: the blocks pile up and are freed, untimed, every 64 MiB (or 4096
// blocks), so the probe measures getting new memory, not reusing freed blocks.
void Malloc(benchmark::State& state, bool touch) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::size_t page = PageSize();
  std::size_t batch = kBatchBytes / size;
  if (batch > 4096) batch = 4096;
  std::vector<void*> blocks;
  blocks.reserve(batch);
  auto free_all = [&] {
    for (void* b : blocks) std::free(b);
    blocks.clear();
  };
  RusageMeter meter;
  for (auto _ : state) {
    if (blocks.size() == batch) {
      state.PauseTiming();
      free_all();
      state.ResumeTiming();
    }
    void* p = std::malloc(size);
    if (p == nullptr) {
      SkipErrno(state, "malloc(" + std::to_string(size) + ")");
      break;
    }
    if (touch) Touch(p, size, page);
    blocks.push_back(p);
  }
  meter.Report(state);
  free_all();
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

void MmapTouchMunmap(benchmark::State& state) {
  const auto len = static_cast<std::size_t>(state.range(0));
  const std::size_t page = PageSize();
  RusageMeter meter;
  for (auto _ : state) {
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      SkipErrno(state, "mmap(anonymous " + std::to_string(len) + ")");
      break;
    }
    Touch(p, len, page);
    if (munmap(p, len) != 0) {
      SkipErrno(state, "munmap");
      break;
    }
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(len));
}

// One iteration = the first touch of one page of a mapping; the mapping is remade, untimed,
// when all its pages were touched. Huge pages are turned off (MADV_NOHUGEPAGE) so every page
// is its own fault whatever the host's transparent_hugepage setting. File-backed read faults
// map up to 16 neighbouring pages at once on Linux (fault_around_bytes): see minflt.
constexpr std::size_t kFaultRegion = 32 << 20;

void Fault(benchmark::State& state, bool file_backed) {
  const std::size_t page = PageSize();
  ocibench::probes::UniqueFd fd;
  std::string path;
  if (file_backed) {
    path = FixtureDir("mem_fault_file",
                      [](const std::string& d) {
                        ocibench::probes::WriteFile(d + "/data", kFaultRegion);
                      }) +
           "/data";
    fd = ocibench::probes::UniqueFd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.ok()) return SkipErrno(state, "open " + path);
  }
  char* region = nullptr;
  auto map = [&]() -> bool {
    void* p = file_backed ? mmap(nullptr, kFaultRegion, PROT_READ, MAP_PRIVATE, fd.get(), 0)
                          : mmap(nullptr, kFaultRegion, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    madvise(p, kFaultRegion, MADV_NOHUGEPAGE);
    region = static_cast<char*>(p);
    return true;
  };
  if (!map()) return SkipErrno(state, file_backed ? "mmap " + path : "mmap(anonymous)");
  std::size_t off = 0;
  RusageMeter meter;
  for (auto _ : state) {
    if (off == kFaultRegion) {
      state.PauseTiming();
      munmap(region, kFaultRegion);
      bool ok = map();
      off = 0;
      state.ResumeTiming();
      if (!ok) {
        region = nullptr;
        SkipErrno(state, "mmap");
        break;
      }
    }
    if (file_backed) {
      char c = *static_cast<volatile char*>(region + off);
      benchmark::DoNotOptimize(c);
    } else {
      *static_cast<volatile char*>(region + off) = 1;
    }
    off += page;
  }
  meter.Report(state);
  if (region != nullptr) munmap(region, kFaultRegion);
}

void Register() {
  AddProbe("Probe_mem_malloc", kDefaultMinTime, Malloc, false)
      ->RangeMultiplier(32)
      ->Range(1 << 10, 1 << 20)
      ->ArgName("bytes");
  AddProbe("Probe_mem_malloc_touch", kDefaultMinTime, Malloc, true)
      ->RangeMultiplier(32)
      ->Range(1 << 10, 1 << 20)
      ->ArgName("bytes");
  AddProbe("Probe_mem_mmap_touch_munmap", kDefaultMinTime, MmapTouchMunmap)
      ->RangeMultiplier(16)
      ->Range(4 << 10, 64 << 20)
      ->ArgName("bytes");
  AddProbe("Probe_mem_fault_anon", kDefaultMinTime, Fault, false);
  AddProbe("Probe_mem_fault_file", kDefaultMinTime, Fault, true);
}

}  // namespace

OCIBENCH_MODULE(probes_mem, nullptr, Register);

}  // namespace ocibench::bench::probes
