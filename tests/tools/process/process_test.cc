// tools/process: RunAndCapture's capture, exit codes, signals, environment, working directory, timeout
// (the whole process group is killed), exec failures; Launch's log file and inherited lock fd.
#include "tools/process/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace datawall::process {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/process_test_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RunAndCapture, CapturesStdoutAndStderrAndTheExitCode) {
  const RunResult r = RunAndCapture({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r.started) << r.error;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.Describe(), "exit 3");
  EXPECT_NE(r.output.find("out\n"), std::string::npos);
  EXPECT_NE(r.output.find("err\n"), std::string::npos);
}

TEST(RunAndCapture, FindsAProgramInPathAndPassesArgumentsUnquoted) {
  const RunResult r = RunAndCapture({"printf", "%s|", "a b", "$HOME", "'q'"});
  ASSERT_TRUE(r.ok()) << r.Describe() << r.output;
  EXPECT_EQ(r.output, "a b|$HOME|'q'|");
}

TEST(RunAndCapture, StderrCanBeDiscarded) {
  RunOptions options;
  options.capture_stderr = false;
  const RunResult r = RunAndCapture({"/bin/sh", "-c", "echo out; echo err >&2"}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output, "out\n");
}

TEST(RunAndCapture, DecodesADeathBySignal) {
  const RunResult r = RunAndCapture({"/bin/sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.Describe(), "killed by signal 9");
}

TEST(RunAndCapture, SetsAndReplacesEnvironmentVariablesAndTheWorkingDirectory) {
  ::setenv("PROCESS_TEST_EXISTING", "parent", 1);
  RunOptions options;
  options.env = {{"PROCESS_TEST_NEW", "new value"}, {"PROCESS_TEST_EXISTING", "child"}};
  options.cwd = TempDir("cwd");
  const RunResult r = RunAndCapture(
      {"/bin/sh", "-c", "echo \"$PROCESS_TEST_NEW/$PROCESS_TEST_EXISTING\"; pwd -P; env | "
                        "grep -c '^PROCESS_TEST_EXISTING='"},
      options);
  ASSERT_TRUE(r.ok()) << r.output;
  EXPECT_EQ(r.output, "new value/child\n" + fs::canonical(options.cwd).string() + "\n1\n");
  EXPECT_STREQ(std::getenv("PROCESS_TEST_EXISTING"), "parent");  // the parent's is untouched
}

TEST(RunAndCapture, ExecAndChdirFailuresAreExit127WithTheReason) {
  const RunResult missing = RunAndCapture({"/nonexistent/program", "x"});
  ASSERT_TRUE(missing.started);
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_NE(missing.output.find("exec /nonexistent/program"), std::string::npos) << missing.output;
  RunOptions options;
  options.cwd = "/nonexistent/dir";
  const RunResult bad_cwd = RunAndCapture({"/bin/true"}, options);
  EXPECT_EQ(bad_cwd.exit_code, 127);
  EXPECT_NE(bad_cwd.output.find("chdir /nonexistent/dir"), std::string::npos);
  EXPECT_FALSE(RunAndCapture({}).started);
}

TEST(RunAndCapture, StreamsOutputAsItArrivesAndHandlesLargeOutput) {
  RunOptions options;
  std::string streamed;
  int pieces = 0;
  options.on_output = [&](std::string_view s) {
    streamed.append(s);
    ++pieces;
  };
  const RunResult r = RunAndCapture({"/bin/sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x"}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output.size(), 3000000u);
  EXPECT_EQ(streamed, r.output);
  EXPECT_GT(pieces, 1);
}

// Whether `pid` is gone (or a zombie waiting for its new parent to reap it).
bool Dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
}

TEST(RunAndCapture, TimeoutKillsTheWholeProcessGroup) {
  RunOptions options;
  options.timeout_seconds = 0.5;
  const auto start = std::chrono::steady_clock::now();
  // The shell's background child keeps the pipe open: only killing the group ends the read.
  const RunResult r = RunAndCapture({"/bin/sh", "-c", "sleep 60 & echo $!; wait"}, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.started);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.Describe(), "timed out");
  EXPECT_LT(seconds, 20);
  const pid_t sleeper = static_cast<pid_t>(std::atol(r.output.c_str()));
  ASSERT_GT(sleeper, 0) << r.output;
  bool dead = false;
  for (int i = 0; i < 100 && !(dead = Dead(sleeper)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(dead) << "the shell's child " << sleeper << " outlived the timeout";
}

TEST(RunAndCapture, AFastProgramIsNotHurtByATimeout) {
  RunOptions options;
  options.timeout_seconds = 30;
  const RunResult r = RunAndCapture({"/bin/echo", "quick"}, options);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.output, "quick\n");
}

TEST(Launch, AppendsToTheLogAndWaitDecodesTheStatus) {
  const std::string dir = TempDir("log");
  LaunchOptions options;
  options.binary = "/bin/sh";
  options.args = {"-c", "echo to-log; echo err-to-log >&2; exit 5"};
  options.log_path = dir + "/child.log";
  std::string error;
  const pid_t pid = Launch(options, &error);
  ASSERT_GT(pid, 0) << error;
  EXPECT_EQ(Wait(pid), 5);
  EXPECT_EQ(ReadAll(options.log_path), "to-log\nerr-to-log\n");
  options.args = {"-c", "kill -TERM $$"};
  const pid_t killed = Launch(options, &error);
  ASSERT_GT(killed, 0);
  EXPECT_EQ(Wait(killed), 128 + SIGTERM);
  EXPECT_EQ(Wait(killed), -1);  // already reaped
}

TEST(Launch, TheInheritedLockIsHeldExactlyWhileTheChildLives) {
  const std::string dir = TempDir("lock");
  std::string error;
  const int fd = TryLockFile(dir + "/lock", /*inheritable=*/true, &error);
  ASSERT_GE(fd, 0) << error;
  LaunchOptions options;
  options.binary = "/bin/sh";
  options.args = {"-c", "read line < " + dir + "/go"};  // blocks until the fifo is written
  ASSERT_EQ(mkfifo((dir + "/go").c_str(), 0644), 0);
  options.inherit_fd = fd;  // Launch closes it here
  const pid_t pid = Launch(options, &error);
  ASSERT_GT(pid, 0) << error;
  EXPECT_EQ(TryLockFile(dir + "/lock", false, &error), -1);  // the child holds it
  { std::ofstream(dir + "/go") << "go\n"; }
  EXPECT_EQ(Wait(pid), 0);
  const int again = TryLockFile(dir + "/lock", false, &error);
  EXPECT_GE(again, 0) << error;
  if (again >= 0) close(again);
}

TEST(Launch, AnotherFdOfTheParentIsNotInherited) {
  const std::string dir = TempDir("noinherit");
  std::string error;
  const int fd = TryLockFile(dir + "/lock", /*inheritable=*/true, &error);  // not close-on-exec
  ASSERT_GE(fd, 0);
  LaunchOptions options;
  options.binary = "/bin/sh";
  options.args = {"-c", "test -e /proc/self/fd/" + std::to_string(fd) + " && echo open || echo closed"};
  options.log_path = dir + "/log";
  const pid_t pid = Launch(options, &error);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(Wait(pid), 0);
  EXPECT_EQ(ReadAll(options.log_path), "closed\n");
  close(fd);
}

}  // namespace
}  // namespace datawall::process
