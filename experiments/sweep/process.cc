// Child processes and file locks for the sweep runner (see process.h).
#include "experiments/sweep/process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace datawall::sweep {

int TryLockFile(const std::string& path, bool inheritable, std::string* error) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | (inheritable ? 0 : O_CLOEXEC), 0644);
  if (fd < 0) {
    *error = path + ": cannot open lock file: " + std::strerror(errno);
    return -2;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd);
    if (err == EWOULDBLOCK) return -1;
    *error = path + ": flock failed: " + std::strerror(err);
    return -2;
  }
  return fd;
}

pid_t Launch(const LaunchOptions& options, std::string* error) {
  std::vector<std::string> argv_storage;
  argv_storage.push_back(options.binary);
  argv_storage.insert(argv_storage.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork failed: ") + std::strerror(errno);
    if (options.inherit_fd >= 0) close(options.inherit_fd);
    return -1;
  }
  if (pid == 0) {
    // Child: die with the runner, whatever kills it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // the runner died before prctl took effect
    // Keep only stdio and the run's lock: the runner's own locks must not outlive it here.
    for (int fd = STDERR_FILENO + 1; fd < 4096; ++fd) {
      if (fd != options.inherit_fd) close(fd);
    }
    if (!options.log_path.empty()) {
      const int log = open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        if (log > STDERR_FILENO) close(log);
      }
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      dprintf(STDERR_FILENO, "sweep: chdir %s: %s\n", options.cwd.c_str(), std::strerror(errno));
      _exit(127);
    }
    execv(argv[0], argv.data());
    dprintf(STDERR_FILENO, "sweep: exec %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  if (options.inherit_fd >= 0) close(options.inherit_fd);
  return pid;
}

int ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 255;
}

}  // namespace datawall::sweep
