#include "tests/container/test_util.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>

namespace ocibench::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = "/var/tmp/ocibench-test-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string UniqueId(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

oci::BundleSpec BenchSpec(const fs::path& results_dir, const std::string& arch) {
  oci::BundleSpec spec;
  spec.image_layout = OCIBENCH_IMAGE_LAYOUT;
  spec.image_ref = "bench";
  spec.arch = arch;
  spec.args = {"--benchmark_filter=LZMA_Compress/sdk/dict:22", "--lzma_passes=1",
               "--benchmark_out=/results/out.json", "--benchmark_out_format=json"};
  spec.results_dir = results_dir;
  spec.cpus = 1;
  spec.memory_bytes = 1ull << 30;
  return spec;
}

std::string CheckBenchmarkJson(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return "no " + path.string() + " in the results mount";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    return path.string() + " is not JSON: " + e.what();
  }
  if (!j.contains("context") || !j["context"].contains("num_cpus")) return "no benchmark context";
  if (!j.contains("benchmarks") || j["benchmarks"].empty()) return "no benchmarks";
  for (const auto& b : j["benchmarks"]) {
    if (b.value("name", "").starts_with("LZMA_Compress/sdk/dict:22") &&
        b.value("real_time", 0.0) > 0) {
      return "";
    }
  }
  return "no LZMA_Compress result with a positive real_time";
}

std::string WhyUnusable(const oci::RuntimeSpec& runtime) {
  if (runtime.binary.empty()) return runtime.name + " is not installed (scripts/install-deps)";
  if (!fs::exists(fs::path(OCIBENCH_IMAGE_LAYOUT) / "index.json")) {
    return std::string("no image layout at ") + OCIBENCH_IMAGE_LAYOUT +
           " (the container_images_build fixture failed?)";
  }
  return oci::Probe(runtime).unusable;
}

oci::RunResult RunOnce(const oci::RuntimeSpec& runtime, const std::string& id,
                       oci::BundleSpec& spec, const fs::path& dir) {
  spec.cgroups_path = "/ocibench-test-" + id + "/" + id;
  const oci::Bundle bundle = oci::MakeBundle(spec, dir / "bundle");
  oci::RunOptions options;
  options.timeout = std::chrono::seconds(120);
  return oci::Run(runtime, id, bundle.dir, options);
}

std::string Leftovers(const oci::RuntimeSpec& runtime, const std::string& id,
                      const std::string& cgroups_path) {
  for (const auto& c : oci::ListContainers(runtime)) {
    if (c == id) return runtime.name + " still lists container " + id;
  }
  if (!cgroups_path.empty()) {
    std::error_code ec;
    for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
      const fs::path top = h.path() / fs::path(cgroups_path).relative_path().begin()->string();
      if (fs::exists(top)) return "cgroup " + top.string() + " left behind";
    }
  }
  return "";
}

}  // namespace ocibench::test
