// getrusage(2) snapshots and which of its fields the kernel we run on really fills in.
//
// A sandbox kernel may leave fields at 0 (gVisor's getrusage fills CPU times and voluntary
// switches, not page faults or involuntary switches). A 0 delta there means "not counted",
// not "none happened", so DetectUsageFields() provokes each event once and checks that the
// counter moves; the benchmarks omit counters for fields found absent.
#pragma once

#include <string>

namespace ocibench::probes {

struct Usage {
  double utime_s = 0, stime_s = 0;  // user and system CPU seconds
  long minflt = 0, majflt = 0;      // minor and major page faults
  long nvcsw = 0, nivcsw = 0;       // voluntary and involuntary context switches
};

// getrusage(who) as a Usage; who is RUSAGE_SELF or RUSAGE_CHILDREN. All zero if it fails.
Usage GetUsage(int who);
Usage operator-(const Usage& a, const Usage& b);

struct UsageFields {
  bool cpu_time = false;  // utime/stime: moves after ~20 ms of busy CPU
  bool minflt = false;    // moves after touching fresh anonymous pages
  bool nvcsw = false;     // moves after sleeping 1 ms
  // No cheap way to force these two; counted as present when the process's own total is
  // non-zero, or when minflt is present (a kernel that counts faults is Linux's own
  // accounting, which also keeps these).
  bool majflt = false;
  bool nivcsw = false;
};

// Provokes each event once (about 25 ms in all) and reports which fields moved.
UsageFields DetectUsageFields();

// Comma-separated names of the absent fields ("minflt,majflt,nivcsw"), "" when all present.
std::string AbsentFieldNames(const UsageFields& f);

}  // namespace ocibench::probes
