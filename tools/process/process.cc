// Child processes and file locks (see process.h).
#include "tools/process/process.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>

extern char** environ;

namespace datawall::process {

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
  // Everything the child needs is built here: between fork and exec it must not allocate.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(options.binary);
  argv_storage.insert(argv_storage.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : options.env) {
      if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
          entry[name.size()] == '=') {
        replaced = true;
      }
    }
    if (!replaced) env_storage.emplace_back(entry);
  }
  for (const auto& [name, value] : options.env) env_storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  const bool search_path = options.binary.find('/') == std::string::npos;

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork failed: ") + std::strerror(errno);
    if (options.inherit_fd >= 0) close(options.inherit_fd);
    return -1;
  }
  if (pid == 0) {
    // Child: die with the parent, whatever kills it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // the parent died before prctl took effect
    if (options.own_process_group) setpgid(0, 0);
    if (options.output_fd >= 0) {
      dup2(options.output_fd, STDOUT_FILENO);
      dup2(options.output_fd, STDERR_FILENO);
    }
    // Keep only stdio and the inherited fd: the parent's own locks must not outlive it here.
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
    if (options.discard_stderr) {
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) {
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) close(null);
      }
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      dprintf(STDERR_FILENO, "chdir %s: %s\n", options.cwd.c_str(), std::strerror(errno));
      _exit(127);
    }
    if (search_path) {
      execvpe(argv[0], argv.data(), envp.data());
    } else {
      execve(argv[0], argv.data(), envp.data());
    }
    dprintf(STDERR_FILENO, "exec %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  if (options.own_process_group) setpgid(pid, pid);  // also here: no race with a kill(-pid)
  if (options.inherit_fd >= 0) close(options.inherit_fd);
  return pid;
}

int ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 255;
}

int Wait(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return ExitCode(status);
}

std::string RunResult::Describe() const {
  if (!started || !error.empty()) return error;
  if (timed_out) return "timed out";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

RunResult RunAndCapture(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult result;
  if (argv.empty()) {
    result.error = "no program to run";
    return result;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.error = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }
  LaunchOptions launch;
  launch.binary = argv[0];
  launch.args.assign(argv.begin() + 1, argv.end());
  launch.cwd = options.cwd;
  launch.env = options.env;
  launch.output_fd = fds[1];
  launch.discard_stderr = !options.capture_stderr;
  launch.own_process_group = options.timeout_seconds > 0;
  const pid_t pid = Launch(launch, &result.error);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return result;
  }
  result.started = true;
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options.timeout_seconds));
  char buffer[4096];
  for (;;) {
    int wait_ms = -1;
    if (options.timeout_seconds > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        kill(-pid, SIGKILL);  // the whole group: a shell's children too
        kill(pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, 1 << 30));
    }
    pollfd p = {fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) continue;  // the deadline check above ends it
    const ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;
    }
    if (n == 0) break;  // every writer is gone
    result.output.append(buffer, static_cast<size_t>(n));
    if (options.on_output) options.on_output(std::string_view(buffer, static_cast<size_t>(n)));
  }
  close(fds[0]);
  int status = 0;
  pid_t waited;
  while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) {
    result.error = std::string("waitpid failed: ") + std::strerror(errno);
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

int FreeLocalPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace datawall::process
