// The sweep runner's Slurm backend: the incomplete runs of a plan become one Slurm job array
// (sbatch --array=0-N%M), one task per run directory, each task the train CLI with --resume
// (sbatch.h); the runner then waits, printing progress (pending / running / done / failed from
// squeue and the run records: there is no sacct without slurmdbd), and returns the same
// RunnerSummary as the local runner (runner.h), with the same run directory layout.
//
//   SlurmOptions slurm;
//   slurm.job.partition = "cpu";
//   slurm.job.max_parallel = 8;
//   absl::StatusOr<RunnerSummary> s = RunSweepOnSlurm(plan, runner_options, slurm);
//
// Files it adds to the sweep directory:
//   slurm/array_<k>.sbatch   the k-th submitted script (its task list is in it)
//   slurm/array_<k>.runs     the run hashes of its tasks, one a line (task i = line i)
//   slurm/jobs.tsv           "<k>\t<job id>" per submitted array (written atomically)
//   slurm/<job>_<task>.out   the tasks' own output (the trainer's goes to runs/<hash>/train.log)
// Every array is named dw-<tag>-<k>, tag a hash of the sweep directory, so a runner that was
// killed (even between sbatch and writing jobs.tsv) and started again finds its arrays in squeue,
// counts their tasks as queued, and submits only runs that are neither complete nor queued. A
// requeued or preempted task continues from its checkpoint. SIGINT/SIGTERM stop the waiting,
// not the jobs. A run whose task left the queue without a complete record is submitted again up
// to max_attempts times per invocation, then reported failed.
// Not here: the script text (sbatch.h), flags and exit codes (sweep_main.cc).
#ifndef DATAWALL_EXPERIMENTS_SWEEP_SLURM_BACKEND_H_
#define DATAWALL_EXPERIMENTS_SWEEP_SLURM_BACKEND_H_

#include <iosfwd>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/sweep/runner.h"
#include "experiments/sweep/sbatch.h"

namespace datawall::sweep {

struct SlurmOptions {
  SlurmJobOptions job;
  // How often squeue and the records are read (seconds).
  double poll_seconds = 5;
  // Directory of sbatch / squeue ("" = $PATH).
  std::string bin_dir;
};

// Runs every incomplete run of `plan` on Slurm. Uses from `runner`: out_dir, train_binary,
// train_args, data_root, max_attempts, progress, progress_every_seconds, lock_wait_seconds,
// delete_checkpoints_when_complete (workers and devices are the local runner's). Errors as
// RunSweep's, plus InvalidArgument when sbatch rejects the job (its own first line) and
// Unavailable when squeue keeps failing.
absl::StatusOr<RunnerSummary> RunSweepOnSlurm(const experiments::SweepPlan& plan,
                                              const RunnerOptions& runner, const SlurmOptions& slurm);

// Options of EmitSbatch: per-run time limits from the plan's GPU-hours.
struct EmitOptions {
  double time_margin = 1.5;         // limit = gpu_hours / GPUs per task x margin + 10 minutes,
                                    // rounded up to 1, 2, 4, 8, 12, 24, 48, 72 h or whole days
  double max_task_seconds = 0;      // > 0: no limit above this (a longer run is requeued by hand
                                    // or by the cluster's preemption and resumes)
};

// Writes a ready-to-submit copy of the plan for a real cluster into `dir`: plan.textproto,
// runs/<hash>/spec.textproto, one array script per distinct time limit (<experiment>_<n>.sbatch,
// its tasks' limit from the runs' GPU-hours), submit.sh (sbatch of each) and runs.tsv (task,
// script, hash, name, GPU-hours, time limit). `runner` gives train_binary, train_args and
// data_root as they will be on the cluster. Lines describing what it wrote go to `report`.
absl::Status EmitSbatch(const experiments::SweepPlan& plan, const RunnerOptions& runner,
                        const SlurmOptions& slurm, const EmitOptions& emit, const std::string& dir,
                        std::ostream* report);

}  // namespace datawall::sweep

#endif  // DATAWALL_EXPERIMENTS_SWEEP_SLURM_BACKEND_H_
