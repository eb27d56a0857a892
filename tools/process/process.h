// Child processes, the project's one way to start a program: launch one (args, working directory,
// extra environment, log file, an inherited fd), wait for it, decode its exit status, or run it to
// the end capturing its output, with a timeout. Plus the file locks that the sweep runner hands to
// its trainers, and a free local port for children that listen.
//
// Every child gets PR_SET_PDEATHSIG = SIGKILL: killing the parent (even with SIGKILL) kills its
// children, so a restarted sweep runner never races an orphaned trainer. (Linux ties this to the
// launching thread: launch from a thread that outlives the child, as RunAndCapture does by
// waiting.) Only stdio and `inherit_fd` stay open in the child, so a run's lock is held exactly
// while its trainer lives. No shell is involved: arguments are passed as they are (callers who want a
// shell pass {"/bin/sh", "-c", line}). Linux + POSIX only. Not a pipeline library: one output
// pipe, no stdin.
#ifndef DATAWALL_TOOLS_PROCESS_PROCESS_H_
#define DATAWALL_TOOLS_PROCESS_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datawall::process {

// Opens (creating) `path` and takes an exclusive flock without blocking. Returns the fd, -1 if
// another process holds the lock, or -2 on an I/O error (then *error is set). When
// `inheritable` is false the fd is close-on-exec.
int TryLockFile(const std::string& path, bool inheritable, std::string* error);

struct LaunchOptions {
  std::string binary;             // a path (absolute or relative to the cwd), or a name in $PATH
  std::vector<std::string> args;  // without argv[0]
  std::string cwd;                // the child's working directory ("" = inherit)
  std::vector<std::pair<std::string, std::string>> env;  // set or replaced in the child's env
  std::string log_path;           // stdout + stderr are appended here ("" = inherit)
  int inherit_fd = -1;            // kept open in the child (the run's lock); closed in the parent
  int output_fd = -1;             // if >= 0: the child's stdout (and stderr) go here instead
  bool discard_stderr = false;    // stderr to /dev/null (after log_path / output_fd)
  bool own_process_group = false; // the child leads a new process group (so it can be killed whole)
};

// Forks and execs; returns the child's pid, or -1 with *error set. If exec (or chdir) fails the
// child exits with status 127 after writing the reason to its stderr (the log, when given).
pid_t Launch(const LaunchOptions& options, std::string* error);

// Exit status of a waitpid() status word: the exit code, or 128 + signal.
int ExitCode(int wait_status);

// Waits for `pid` (retrying on EINTR) and returns ExitCode() of its status, or -1 if waitpid
// fails.
int Wait(pid_t pid);

struct RunOptions {
  std::string cwd;                                       // "" = inherit
  std::vector<std::pair<std::string, std::string>> env;  // set or replaced in the child's env
  double timeout_seconds = 0;  // > 0: the child's process group is killed (SIGKILL) after this
  bool capture_stderr = true;  // false: stderr goes to /dev/null and output is stdout only
  // Called with each piece of output as it arrives (e.g. to echo a long job's progress).
  std::function<void(std::string_view)> on_output;
};

struct RunResult {
  bool started = false;    // false: the process could not be created (error says why)
  std::string error;
  int exit_code = -1;      // the exit code if it exited normally, else -1
  int signal = 0;          // the signal that ended it (0 if it exited)
  bool timed_out = false;  // it was killed at the timeout
  std::string output;      // stdout (and stderr, interleaved, when captured)
  bool ok() const { return started && exit_code == 0; }
  // For messages: "exit 3", "killed by signal 9", "timed out", or the error.
  std::string Describe() const;
};

// A TCP port on 127.0.0.1 free at the time of the call (bound to port 0, then released), for a
// child that must listen (a rendezvous store, a daemon under test); 0 on failure.
int FreeLocalPort();

// Runs argv[0] (a path or a name in $PATH) with argv[1..] to the end and captures its output.
// An exec failure is exit 127 with the reason in `output`.
RunResult RunAndCapture(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace datawall::process

#endif  // DATAWALL_TOOLS_PROCESS_PROCESS_H_
