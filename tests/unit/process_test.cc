// harness/process: the wording of how a process ended, the /proc readers, Spawn, RunCommand.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "harness/process/command.h"
#include "harness/process/exit_description.h"
#include "harness/process/proc.h"
#include "harness/process/spawn.h"
#include "harness/process/timed_run.h"

namespace ocibench::process {
namespace {

TEST(DescribeEnd, OneWordingForEachWayOfEnding) {
  ProcessEnd e;
  EXPECT_EQ(DescribeEnd("runc", e), "");  // never set: a clean exit
  e.exit_code = 0;
  EXPECT_EQ(DescribeEnd("runc", e), "");
  e.exit_code = 2;
  EXPECT_EQ(DescribeEnd("runc", e), "runc: exited with code 2");
  e.detail = "unknown flag";
  EXPECT_EQ(DescribeEnd("runc", e), "runc: exited with code 2: unknown flag");
  ProcessEnd s;
  s.signal = SIGKILL;
  EXPECT_EQ(DescribeEnd("bench", s), "bench: killed by signal 9 (SIGKILL)");
  ProcessEnd t;
  t.timed_out_after_s = 5;
  t.signal = SIGKILL;
  EXPECT_EQ(DescribeEnd("runsc create x", t), "runsc create x: timed out after 5 s (killed)");
  ProcessEnd n;
  n.started = false;
  n.start_error = "No such file or directory";
  EXPECT_EQ(DescribeEnd("redis-server", n),
            "redis-server: could not start: No such file or directory");
  ProcessEnd i;
  i.stopped = true;
  EXPECT_EQ(DescribeEnd("bench", i), "bench: stopped (interrupted)");
}

TEST(DescribeEnd, WaitStatusAndSignalNames) {
  EXPECT_EQ(SignalName(SIGTERM), "SIGTERM");
  EXPECT_EQ(SignalName(1000), "signal 1000");
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(3);
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
  const ProcessEnd e = FromWaitStatus(st);
  EXPECT_EQ(e.exit_code, 3);
  EXPECT_EQ(e.signal, 0);
}

TEST(Proc, TheTestsOwnProcess) {
  const pid_t self = ::getpid();
  const auto pids = ListPids();
  EXPECT_TRUE(std::binary_search(pids.begin(), pids.end(), self));
  const auto argv = Cmdline(self);
  ASSERT_FALSE(argv.empty());
  EXPECT_NE(argv[0].find("process_unit_tests"), std::string::npos) << argv[0];
  const auto st = ReadStat(self);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->ppid, ::getppid());
  EXPECT_FALSE(IsZombie(self));
  EXPECT_NE(ReadSmallFile("/proc/self/status").find("Pid:"), std::string::npos);
  EXPECT_EQ(ReadSmallFile("/nonexistent/ocibench"), "");
  EXPECT_TRUE(Cmdline(-1).empty());
  EXPECT_FALSE(ReadStat(-1));
}

TEST(Proc, AForkedChildItsChildAndAZombie) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  if (child == 0) {  // a child with a grandchild, both sleeping
    if (::fork() == 0) {
      ::close(ready[1]);
      ::pause();
      ::_exit(0);
    }
    (void)!::write(ready[1], "x", 1);
    ::pause();
    ::_exit(0);
  }
  ::close(ready[1]);
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  const auto below = Descendants(::getpid());
  EXPECT_NE(std::find(below.begin(), below.end(), child), below.end());
  const auto under_child = Descendants(child);
  ASSERT_EQ(under_child.size(), 1u);
  EXPECT_EQ(ReadStat(under_child[0])->ppid, child);
  EXPECT_EQ(ParentMap().at(child), ::getpid());
  ::kill(under_child[0], SIGKILL);
  ::kill(child, SIGKILL);
  for (int i = 0; i < 200 && !IsZombie(child); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(IsZombie(child));
  ::waitpid(child, nullptr, 0);
  EXPECT_FALSE(ReadStat(child));
}

TEST(Spawn, EnvironmentDescriptorsGroupAndFailures) {
  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  SpawnOptions o;
  o.argv = {"sh", "-c", "echo \"$OCIBENCH_T\""};
  o.env = {"OCIBENCH_T=hello"};
  o.stdout_fd = out[1];
  o.own_process_group = true;
  const Spawned s = Spawn(o);
  ::close(out[1]);
  ASSERT_TRUE(s.ok()) << s.message;
  std::string text;
  char buf[256];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  ::close(out[0]);
  EXPECT_EQ(::getpgid(s.pid), s.pid);  // a zombie until reaped, still in its own group
  ::waitpid(s.pid, nullptr, 0);
  EXPECT_EQ(text, "hello\n");

  SpawnOptions missing;
  missing.argv = {"ocibench-no-such-program"};
  const Spawned m = Spawn(missing);
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.error, ENOENT);

  SpawnOptions hook;
  hook.argv = {"true"};
  hook.before_exec = [] { return EPERM; };
  const Spawned h = Spawn(hook);
  EXPECT_FALSE(h.ok());
  EXPECT_TRUE(h.in_before_exec);
  EXPECT_EQ(h.error, EPERM);
}

TEST(RunCommand, WordsTheEndOfTheCommand) {
  const CommandResult ok = RunCommand({"sh", "-c", "echo out; echo err >&2"});
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.out, "out\n");
  EXPECT_EQ(ok.LastLine(), "err");
  const CommandResult bad = RunCommand({"sh", "-c", "exit 4"});
  EXPECT_EQ(bad.exit_code, 4);
  CommandOptions hook;
  hook.before_exec = [] { return EACCES; };
  const CommandResult h = RunCommand({"true"}, hook);
  EXPECT_FALSE(h.started);
  EXPECT_EQ(h.err, "true: could not start: Permission denied");
}

// A command that times out is killed with what it started (a runtime wrapper's `sleep` was
// left running for 10 minutes when only the wrapper was killed).
TEST(RunCommand, ATimeoutKillsTheCommandsChildrenToo) {
  const std::string marker = "61." + std::to_string(::getpid());
  const CommandResult r = RunCommand({"sh", "-c", "sleep " + marker + " & wait"},
                                     WithTimeout(std::chrono::milliseconds(300)));
  EXPECT_TRUE(r.timed_out);
  bool left = true;
  for (int i = 0; i < 50 && left; ++i) {
    left = false;
    for (pid_t p : ListPids())
      if (const auto argv = Cmdline(p);
          argv.size() == 2 && argv[0] == "sleep" && argv[1] == marker && !IsZombie(p))
        left = true;
    if (left) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE(left) << "sleep " << marker << " outlived its timed-out parent";
}

TEST(RunTimed, WordsTheEndOfTheRun) {
  std::atomic<bool> stop{false};
  const auto ok = RunTimed({"sh", "-c", "echo $OCIBENCH_T"}, {}, {"OCIBENCH_T=x"},
                           std::chrono::seconds(10), stop);
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.output, "x\n");
  const auto bad = RunTimed({"sh", "-c", "echo first; echo why >&2; exit 3"}, {}, {},
                            std::chrono::seconds(10), stop);
  EXPECT_EQ(bad.error, "sh: exited with code 3: why");
  const auto slow = RunTimed({"sleep", "10"}, {}, {}, std::chrono::milliseconds(1000), stop);
  EXPECT_EQ(slow.error, "sleep: timed out after 1 s (killed)");
  const auto cg =
      RunTimed({"true"}, {"/nonexistent/cgroup.procs"}, {}, std::chrono::seconds(10), stop);
  EXPECT_EQ(cg.error, "true: could not start: cannot join its cgroup: No such file or directory");
}

}  // namespace
}  // namespace ocibench::process
