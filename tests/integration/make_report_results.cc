// Builds a small REAL results directory in the layout of docs/results-format.md, for the
// report tests: ocibench-bench (one LZMA compression + decompression pass at dict 2^22) run
// natively and under runc (a bundle whose rootfs holds only the static binary, run through
// harness/oci's Run()), REPS repetitions each, interleaved; when Debian's redis-server is
// installed also a "redis" group (4 redis-benchmark tests, 3000 requests each, against a real
// redis-server on loopback; runc in the host network namespace); memory.csv sampled from
// /proc/meminfo at 10 Hz during every cell; lifecycle.csv from the measured timings.
//
//   make_report_results OUT_DIR BENCH_BINARY [REPS]
//
// Without a usable runc the second series is a second native run, named "native-b" and
// labelled as such in run.json (kind "native"), so the report still has two series.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/oci/bundle.h"
#include "harness/oci/runtime.h"
#include "harness/servers/redis_server.h"

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const char* kFilter = "^LZMA_(Compress|Decompress)/sdk/dict:22/";

double HostUsedBytes() {
  std::ifstream f("/proc/meminfo");
  std::string key;
  double total = -1, avail = -1, v;
  std::string unit;
  while (f >> key >> v) {
    std::getline(f, unit);
    if (key == "MemTotal:") total = v * 1024;
    if (key == "MemAvailable:") avail = v * 1024;
  }
  return total >= 0 && avail >= 0 ? total - avail : -1;
}

// Samples host memory at 10 Hz until stopped; rows appended to `rows`.
class MemorySampler {
 public:
  MemorySampler(std::string prefix, std::vector<std::string>* rows)
      : prefix_(std::move(prefix)), rows_(rows), start_(Clock::now()) {
    thread_ = std::thread([this] {
      while (!stop_) {
        const double t = std::chrono::duration<double>(Clock::now() - start_).count();
        const double used = HostUsedBytes();
        char line[256];
        std::snprintf(line, sizeof line, "%s,%.3f,%.0f,,", prefix_.c_str(), t, used);
        rows_->push_back(line);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~MemorySampler() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::string prefix_;
  std::vector<std::string>* rows_;
  Clock::time_point start_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string Context(const std::string& rt, const std::string& group, int rep,
                    const std::string& placement) {
  return "--benchmark_context=ocibench_runtime=" + rt + ",ocibench_group=" + group +
         ",ocibench_repetition=" + std::to_string(rep) + ",ocibench_placement=" + placement;
}

std::string g_redis;  // HOST:PORT of the redis-server, "" = no redis group

std::vector<std::string> BenchArgs(const std::string& rt, const std::string& group, int rep,
                                   const std::string& out) {
  std::vector<std::string> a = {
      "--benchmark_format=json", "--benchmark_out=" + out, "--benchmark_out_format=json",
      Context(rt, group, rep, rt.starts_with("native") ? "native" : "client-only")};
  if (group == "lzma") {
    a.push_back(std::string("--benchmark_filter=") + kFilter);
    a.push_back("--lzma_passes=1");
  } else {
    a.push_back("--benchmark_filter=^Redis_");
    a.push_back("--redis_server=" + g_redis);
    a.push_back("--redis_requests=3000");
    a.push_back("--redis_tests=ping,set,get,lrange_100");
  }
  return a;
}

// Results each group's cell must hold (ping → 2 tests; lrange_100 → its LPUSH fill + LRANGE).
std::size_t Expected(const std::string& group) { return group == "lzma" ? 2 : 6; }

// Runs the binary natively; returns {exit code, first_output_ms, total_ms}.
struct NativeTiming {
  int code;
  double first_ms, total_ms;
};
NativeTiming RunNative(const std::string& bench, const std::vector<std::string>& args) {
  std::string cmd = bench;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  const auto t0 = Clock::now();
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, 0, 0};
  double first = -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    if (first < 0) first = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  const int st = pclose(p);
  const double total = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, first, total};
}

std::string Num(double v) {
  if (v < 0) return "";
  char b[64];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_report_results OUT_DIR BENCH_BINARY [REPS]\n";
    return 2;
  }
  const fs::path out = fs::absolute(argv[1]);
  const std::string bench = fs::absolute(argv[2]).string();
  const int reps = argc > 3 ? std::atoi(argv[3]) : 3;
  fs::remove_all(out);
  fs::create_directories(out);

  // Second runtime: runc with a one-file rootfs, if it works here.
  auto runc = ocibench::oci::FindRuntime("runc");
  std::string second = "runc";
  std::string why_not;
  const fs::path bundle = out / ".bundle";
  if (runc.binary.empty()) {
    why_not = "runc not found";
  } else {
    try {
      // The bench image's files: the binary and the scratch mount point (OCIBENCH_SCRATCH).
      fs::create_directories(bundle / "rootfs" / "scratch");
      fs::copy_file(bench, bundle / "rootfs" / "ocibench-bench");
      ocibench::oci::ImageConfig image;
      image.arch = ocibench::oci::HostArch();
      image.entrypoint = {"/ocibench-bench"};
      image.manifest_digest = "sha256:none (rootfs made by make_report_results)";
      ocibench::oci::BundleSpec spec;
      spec.cpus = 2;
      spec.memory_bytes = 4ull << 30;
      spec.results_dir = out / "bench" / "runc" / "lzma";
      fs::create_directories(spec.results_dir);
      spec.args = {"--benchmark_list_tests=true", std::string("--benchmark_filter=") + kFilter};
      std::ofstream(bundle / "config.json")
          << ocibench::oci::MakeRuntimeConfig(spec, image).dump(2);
      auto r = ocibench::oci::Run(runc, "report-it-probe-" + std::to_string(getpid()), bundle);
      if (!r.ok()) why_not = r.error;
    } catch (const std::exception& e) {
      why_not = e.what();
    }
  }
  if (!why_not.empty()) {
    std::cerr << "make_report_results: runc unusable (" << why_not
              << "); the second series is a second native run named native-b\n";
    second = "native-b";
    fs::remove_all(out / "bench" / "runc");
  }

  std::vector<std::string> memory = {
      "runtime,group,repetition,t_s,host_used_bytes,cgroup_bytes,runtime_pss_bytes"};
  std::vector<std::string> lifecycle = {
      "runtime,group,repetition,create_ms,start_ms,first_output_ms,total_ms,delete_ms"};
  json cells = json::array();
  int index = 0;
  int failures = 0;
  // A real redis-server for the redis group, stopped when this scope ends.
  std::unique_ptr<ocibench::servers::RedisServer> redis;
  std::vector<std::string> groups = {"lzma"};
  try {
    redis = std::make_unique<ocibench::servers::RedisServer>();
    g_redis = redis->address();
    groups.push_back("redis");
  } catch (const std::exception& e) {
    std::cerr << "make_report_results: no redis group: " << e.what() << "\n";
  }
  for (int rep = 1; rep <= reps; rep++) {
    for (const std::string& group : groups) {
      for (const std::string& rt : {std::string("native"), second}) {
        const std::string rel =
            "bench/" + rt + "/" + group + "/rep-" + std::to_string(rep) + ".json";
        const std::string tag = rt + "," + group + "," + std::to_string(rep);
        fs::create_directories(out / "bench" / rt / group);
        json cell = {{"index", index++},
                     {"runtime", rt},
                     {"group", group},
                     {"repetition", rep},
                     {"file", rel},
                     {"error", nullptr},
                     {"placement", rt == "runc" ? "client-only" : "native"}};
        const auto t0 = Clock::now();
        std::string error;
        std::vector<std::string> mem_rows;
        {
          MemorySampler sampler(tag, &mem_rows);
          if (rt == "runc") {
            ocibench::oci::BundleSpec spec;
            spec.cpus = 2;
            spec.memory_bytes = 4ull << 30;
            spec.results_dir = out / "bench" / "runc" / group;
            // The redis-server listens on the host's loopback.
            if (group == "redis") spec.network.mode = ocibench::oci::NetworkMode::kHost;
            spec.args = BenchArgs(rt, group, rep,
                                  std::string("/results/rep-") + std::to_string(rep) + ".json");
            ocibench::oci::ImageConfig image;
            image.arch = ocibench::oci::HostArch();
            image.entrypoint = {"/ocibench-bench"};
            std::ofstream(bundle / "config.json")
                << ocibench::oci::MakeRuntimeConfig(spec, image).dump(2);
            auto r = ocibench::oci::Run(
                runc, "report-it-" + std::to_string(getpid()) + "-" + std::to_string(index),
                bundle);
            if (!r.ok()) error = r.error;
            lifecycle.push_back(tag + "," + Num(r.timings.create_ms) + "," +
                                Num(r.timings.start_ms) + "," + Num(r.timings.first_output_ms) +
                                "," + Num(r.timings.total_ms) + "," + Num(r.timings.delete_ms));
          } else {
            auto t = RunNative(bench, BenchArgs(rt, group, rep, (out / rel).string()));
            if (t.code != 0) error = rt + ": ocibench-bench exited " + std::to_string(t.code);
            lifecycle.push_back(tag + ",,," + Num(t.first_ms) + "," + Num(t.total_ms) + ",");
          }
        }
        memory.insert(memory.end(), mem_rows.begin(), mem_rows.end());
        if (error.empty()) {  // the cell must have produced all its benchmark results
          try {
            std::ifstream in(out / rel);
            const auto n = json::parse(in).at("benchmarks").size();
            if (n != Expected(group))
              error = rt + ": " + rel + " holds " + std::to_string(n) + " results, expected " +
                      std::to_string(Expected(group));
          } catch (const std::exception& e) {
            error = rt + ": " + rel + ": " + e.what();
          }
        }
        cell["duration_s"] = std::chrono::duration<double>(Clock::now() - t0).count();
        cell["status"] = error.empty() ? "ok" : "failed";
        if (!error.empty()) {
          cell["error"] = error;
          failures++;
          std::cerr << "make_report_results: " << error << "\n";
        }
        cells.push_back(cell);
      }
    }
  }
  fs::remove_all(bundle);

  std::ofstream(out / "memory.csv") << [&] {
    std::string s;
    for (const auto& l : memory) s += l + "\n";
    return s;
  }();
  std::ofstream(out / "lifecycle.csv") << [&] {
    std::string s;
    for (const auto& l : lifecycle) s += l + "\n";
    return s;
  }();
  json runtimes = json::array({{{"name", "native"}, {"kind", "native"}}});
  if (second == "runc") {
    const auto info = ocibench::oci::Probe(runc);
    runtimes.push_back({{"name", "runc"},
                        {"kind", "oci"},
                        {"path", info.binary.string()},
                        {"args", info.global_args},
                        {"version", info.version}});
  } else {
    runtimes.push_back({{"name", "native-b"},
                        {"kind", "native"},
                        {"note", "a second native series: runc was unusable (" + why_not + ")"}});
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  json run = {{"format", 1},
              {"ocibench_version", "test fixture (make_report_results)"},
              {"started", nullptr},
              {"finished", nullptr},
              {"seed", 42},
              {"repetitions", reps},
              {"limits", {{"cpus", 2}, {"memory_bytes", 4ull << 30}}},
              {"host", {{"hostname", host}, {"arch", ocibench::oci::HostArch()}}},
              // The redis-server is native, the client in runc on the host network.
              {"config",
               {{"lzma_filter", kFilter},
                {"lzma_passes", 1},
                {"redis_requests", 3000},
                {"placement", "client-only"}}},
              {"runtimes", runtimes},
              {"groups", groups},
              {"cells", cells}};
  std::ofstream(out / "run.json") << run.dump(2);
  redis.reset();
  std::cerr << "make_report_results: " << out.string() << ": " << reps
            << " repetitions of native and " << second << ", " << failures << " failed cell(s)\n";
  return failures == 0 ? 0 : 1;
}
