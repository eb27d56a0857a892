// `train --nproc=N`: N local ranks with torchrun's environment (see launch.h).
#include "experiments/training/launch.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tools/process/process.h"

namespace datawall::training {
namespace {

std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last.empty() ? "(no output)" : last;
}

}  // namespace


std::vector<std::string> ArgsWithoutNproc(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--nproc=", 0) == 0 || a.rfind("-nproc=", 0) == 0) continue;
    if (a == "--nproc" || a == "-nproc") {
      ++i;  // and its value
      continue;
    }
    out.push_back(a);
  }
  return out;
}

int LaunchRanks(const LaunchRanksOptions& o) {
  const int port = process::FreeLocalPort();
  if (port == 0) {
    std::fprintf(stderr, "train: --nproc: no free TCP port on 127.0.0.1 for the rendezvous\n");
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.log_dir, ec);
  std::map<pid_t, int> ranks;  // pid -> rank, while running
  auto log_of = [&](int rank) { return o.log_dir + "/rank" + std::to_string(rank) + ".log"; };
  auto kill_all = [&]() {
    for (const auto& [pid, rank] : ranks) kill(pid, SIGKILL);
  };
  for (int rank = 0; rank < o.nproc; ++rank) {
    process::LaunchOptions launch;
    launch.binary = o.binary;
    launch.args = o.args;
    launch.env = {{"RANK", std::to_string(rank)},
                  {"WORLD_SIZE", std::to_string(o.nproc)},
                  {"LOCAL_RANK", std::to_string(rank)},
                  {"LOCAL_WORLD_SIZE", std::to_string(o.nproc)},
                  {"MASTER_ADDR", "127.0.0.1"},
                  {"MASTER_PORT", std::to_string(port)}};
    if (rank > 0) launch.log_path = log_of(rank);
    std::string error;
    const pid_t pid = process::Launch(launch, &error);
    if (pid < 0) {
      std::fprintf(stderr, "train: --nproc: cannot start rank %d: %s\n", rank, error.c_str());
      kill_all();
      return 1;
    }
    ranks[pid] = rank;
  }
  int first_failed = -1, first_code = 0, rank0_code = -1;
  auto deadline = std::chrono::steady_clock::time_point::max();
  while (!ranks.empty()) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno != EINTR) break;
    if (pid <= 0) {
      if (std::chrono::steady_clock::now() > deadline) kill_all();  // reaped on the next turns
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto it = ranks.find(pid);
    if (it == ranks.end()) continue;
    const int rank = it->second, code = process::ExitCode(status);
    ranks.erase(it);
    if (rank == 0) rank0_code = code;
    if (code != 0 && first_failed < 0) {
      first_failed = rank;
      first_code = code;
      deadline = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(static_cast<int64_t>(o.grace_seconds * 1000));
    }
  }
  if (first_failed < 0) return 0;
  if (rank0_code > 0 && rank0_code < 128) return rank0_code;  // rank 0 said why
  std::fprintf(stderr, "train: --nproc=%d: rank %d exited %d (log %s): %s\n", o.nproc,
               first_failed, first_code, first_failed == 0 ? "stderr" : log_of(first_failed).c_str(),
               first_failed == 0 ? "" : LastLine(log_of(first_failed)).c_str());
  return first_code == 2 ? 2 : 1;
}

}  // namespace datawall::training
