// LaunchRanks(): `train --nproc=N` on one machine. Starts N copies of the trainer on localhost,
// each with the environment torchrun gives (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR=127.0.0.1, MASTER_PORT = a free port), waits for them, and returns one exit code.
//
// Rank 0 keeps this process's stdout/stderr; rank k > 0 appends to log_dir/rank<k>.log. When a
// rank fails the others get a grace period to end on their own (they fail at the next
// collective), then SIGKILL. The exit code is rank 0's when rank 0 failed (it printed its one
// line), else the first failing rank's, reported in one line with its log's last line. Every
// rank dies with this process (tools/process: PR_SET_PDEATHSIG), so a SIGKILLed launcher leaves
// no trainer behind. Not torch-aware: no LibTorch here; not a multi-node launcher (use srun or
// torchrun there).
#ifndef DATAWALL_EXPERIMENTS_TRAINING_LAUNCH_H_
#define DATAWALL_EXPERIMENTS_TRAINING_LAUNCH_H_

#include <string>
#include <vector>

namespace datawall::training {

struct LaunchRanksOptions {
  int nproc = 1;
  std::string binary;             // the trainer to start (the CLI passes /proc/self/exe)
  std::vector<std::string> args;  // its arguments, without --nproc
  std::string log_dir;            // rank<k>.log for k > 0 (created)
  double grace_seconds = 15;      // after a failure, before the rest are killed
};

// The exit code for the launcher (0 when every rank exited 0).
int LaunchRanks(const LaunchRanksOptions& options);

// argv[1..] without `--nproc=N` / `--nproc N` (what each rank is started with).
std::vector<std::string> ArgsWithoutNproc(int argc, char** argv);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_LAUNCH_H_
