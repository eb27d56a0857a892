// WorldFromEnvironment(): the data-parallel world (train_options.h WorldOptions) from the
// variables a launcher sets, so one train binary runs under torchrun, srun or `train --nproc`.
//
//   torchrun / train --nproc:  RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
//   srun:                      SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID (+ MASTER_ADDR /
//                              MASTER_PORT if set; else 127.0.0.1 on a one-node step and a
//                              port derived from SLURM_JOB_ID)
//   DATAWALL_DIST_TIMEOUT:     seconds for the rendezvous and each collective (default 600)
//
// RANK/WORLD_SIZE win over the Slurm variables; neither set (or a world of 1) is one process.
// A multi-node srun step needs MASTER_ADDR (the first node: `scontrol show hostnames
// "$SLURM_JOB_NODELIST" | head -n1`); without it the call fails with one line. Standard
// library only; it does not connect to anything (data_parallel.h does).
#ifndef DATAWALL_EXPERIMENTS_TRAINING_WORLD_ENV_H_
#define DATAWALL_EXPERIMENTS_TRAINING_WORLD_ENV_H_

#include <functional>
#include <string>

#include "experiments/training/train_options.h"

namespace datawall::training {

// `getenv` returns a variable's value or nullptr (tests pass a map; the CLI ::getenv).
// Fills *world; false with *error (one line naming the variable) on a malformed value.
bool WorldFromEnvironment(const std::function<const char*(const char*)>& getenv,
                          WorldOptions* world, std::string* error);

// True when RANK / WORLD_SIZE or a Slurm step of more than one task describe a launcher's
// world (so `--nproc` must not launch another one).
bool LaunchedByLauncher(const std::function<const char*(const char*)>& getenv);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_WORLD_ENV_H_
