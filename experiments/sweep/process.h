// Child processes for the sweep runner: launch a program that dies with its parent, and file
// locks that outlive the parent only as long as the child holds them.
//
// A trainer launched here gets PR_SET_PDEATHSIG = SIGKILL, so killing the runner (even with
// SIGKILL) also kills its trainers: a restarted runner never races an orphan. The run's lock
// file descriptor is inherited by the child, so the lock is held exactly while the trainer
// lives. Linux + POSIX only. Not a general process library (no pipes, no environment edits).
#ifndef DATAWALL_EXPERIMENTS_SWEEP_PROCESS_H_
#define DATAWALL_EXPERIMENTS_SWEEP_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace datawall::sweep {

// Opens (creating) `path` and takes an exclusive flock without blocking. Returns the fd, -1 if
// another process holds the lock, or -2 on an I/O error (then *error is set). When
// `inheritable` is false the fd is close-on-exec.
int TryLockFile(const std::string& path, bool inheritable, std::string* error);

struct LaunchOptions {
  std::string binary;             // absolute path, or relative to the runner's cwd
  std::vector<std::string> args;  // without argv[0]
  std::string cwd;                // the child's working directory ("" = inherit)
  std::string log_path;           // stdout + stderr are appended here ("" = inherit)
  int inherit_fd = -1;            // kept open in the child (the run's lock); closed in the parent
};

// Forks and execs; returns the child's pid, or -1 with *error set. If exec fails the child
// exits with status 127 after writing the reason to its log.
pid_t Launch(const LaunchOptions& options, std::string* error);

// Exit status of a waitpid() status word: the exit code, or 128 + signal.
int ExitCode(int wait_status);

}  // namespace datawall::sweep

#endif  // DATAWALL_EXPERIMENTS_SWEEP_PROCESS_H_
