// Slurm batch scripts for a sweep: the text of one job-array script whose task i trains run
// directory i with the train CLI (always with --resume, so a requeued or preempted task continues
// from its newest checkpoint), and Slurm's time format. Pure text: no Slurm command is run here
// (slurm_backend.h submits and watches; sweep_main.cc chooses flags).
//
// A task: skips a run whose record is already complete, takes runs/<hash>/lock with flock(1) (a
// second task on the same run exits 75 at once instead of training it twice), and appends the
// trainer's output to runs/<hash>/train.log, as the local runner does.
#ifndef DATAWALL_EXPERIMENTS_SWEEP_SBATCH_H_
#define DATAWALL_EXPERIMENTS_SWEEP_SBATCH_H_

#include <string>
#include <vector>

namespace datawall::sweep {

// What every task of an array asks Slurm for; empty / 0 leaves Slurm's default.
struct SlurmJobOptions {
  std::string partition;
  std::string account;
  std::string time_limit;         // Slurm's format, e.g. "02:00:00" or "1-12:00:00"
  int cpus_per_task = 1;
  int gpus_per_task = 0;          // --gres=gpu:N
  int max_parallel = 0;           // the array's %M (0: no limit)
  std::vector<std::string> extra; // further sbatch options, each e.g. "--qos=low"
};

struct ArrayScript {
  std::string job_name;
  std::string sweep_dir;              // absolute; the script's default for $DATAWALL_SWEEP_DIR
  std::vector<std::string> run_dirs;  // relative to sweep_dir; array task i trains run_dirs[i]
  std::string train_binary;           // absolute
  std::vector<std::string> train_args;
  std::string data_root;              // absolute: the task's cwd and --data_root
  std::string log_pattern;            // --output, e.g. ".../slurm/%A_%a.out"
  SlurmJobOptions job;
};

// The script (#SBATCH lines, then bash). `run_dirs` must not be empty.
std::string ArrayScriptText(const ArrayScript& script);

// Seconds as Slurm's [D-]HH:MM:SS, rounded up to the minute (at least one minute).
std::string SlurmTime(double seconds);

// Quotes a word for bash ('...').
std::string ShellQuote(const std::string& word);

}  // namespace datawall::sweep

#endif  // DATAWALL_EXPERIMENTS_SWEEP_SBATCH_H_
