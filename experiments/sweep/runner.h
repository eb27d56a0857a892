// The local sweep runner: runs a SweepPlan with N parallel trainer subprocesses.
//
//   RunnerOptions options;
//   options.out_dir = "experiments/results/cpu/repetition_vs_shift";
//   options.train_binary = "bazel-bin/experiments/train";
//   absl::StatusOr<RunnerSummary> s = RunSweep(plan, options);
//
// Layout of out_dir (what is committed and what is a working file: experiments/records/records.h):
//   plan.textproto                 the expanded plan (written atomically at every start)
//   sweep.lock                     held by the one runner working on this directory
//   runs/<hash>/spec.textproto     the run's RunSpec as planned (--spec; rewritten per launch);
//                                  relative shard paths resolve against --data_root
//   runs/<hash>/record.textproto   written by the trainer; a record is this run's when its spec
//                                  hashes to <hash>, and `complete: true` is the only truth
//   runs/<hash>/checkpoints/       the trainer's; a run with checkpoints restarts with --resume
//   runs/<hash>/lock               held by the trainer process while it runs (inherited fd)
//   runs/<hash>/train.log          the trainer's stdout and stderr, appended per attempt
// Because a run is matched by the hash of its unresolved spec, a directory of complete records
// copied to another checkout (another path, another data root) is complete there too.
// Placement: with `devices`, each trainer sees one GPU (CUDA_VISIBLE_DEVICES), at most
// `runs_per_device` trainers per GPU.
// Crash safety: every file the runner writes is atomic (tools/io/atomic_file.h); trainers die
// with the runner (process.h); so killing the runner at any point and starting it again skips
// complete runs, resumes interrupted ones and never runs one twice at once.
// Not here: expansion (experiments/plan), the summary (experiments/analysis), the command line
// and its exit codes (sweep_main.cc).
#ifndef DATAWALL_EXPERIMENTS_SWEEP_RUNNER_H_
#define DATAWALL_EXPERIMENTS_SWEEP_RUNNER_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/run_record.pb.h"
#include "experiments/plan/throughput.h"
#include "experiments/records/records.h"

namespace datawall::sweep {

using experiments::RunRecord;

struct RunnerOptions {
  // The sweep directory (created if missing).
  std::string out_dir;
  // The train CLI: `train --spec=FILE --out=DIR --data_root=DIR [--resume]`.
  std::string train_binary;
  // Extra flags passed to every trainer (e.g. --threads=1).
  std::vector<std::string> train_args;
  // Data root: each trainer runs here and gets it as --data_root (relative shard paths in the
  // specs resolve against it).
  std::string data_root = ".";
  // Parallel trainers. With `devices`, it must be devices.size() * runs_per_device.
  int workers = 1;
  // GPUs to place trainers on, as CUDA numbers them (e.g. {"0", "1"}); each trainer gets
  // CUDA_VISIBLE_DEVICES=<one of them>, so it sees exactly one GPU as cuda:0. A run goes to the
  // device with the fewest trainers (the lowest in this list on a tie), so small runs share a
  // GPU `runs_per_device` at a time. Empty: no placement, trainers inherit the environment.
  std::vector<std::string> devices;
  int runs_per_device = 1;
  // Launches per run within one invocation (a failed launch is retried with --resume when it
  // left checkpoints); after that the run is reported failed and the sweep goes on.
  int max_attempts = 2;
  // Progress line to `progress` at least this often (seconds); <= 0 prints only on events.
  double progress_every_seconds = 15;
  // How long to wait for out_dir/sweep.lock before giving up (a runner that was just killed
  // releases it at once; one that is still running does not).
  double lock_wait_seconds = 10;
  // How often the runner polls its children (seconds).
  double poll_seconds = 0.1;
  // Delete runs/<hash>/checkpoints/ once a run's record is complete (records stay).
  bool delete_checkpoints_when_complete = true;
  // Time estimates for progress/ETA.
  plan::ThroughputModel throughput;
  // Where progress lines go (nullptr = nowhere).
  std::ostream* progress = nullptr;

  bool IsValid(std::string* error) const;
};

struct RunOutcome {
  enum State { kAlreadyComplete, kCompleted, kFailed, kNotRun };
  std::string hash;
  std::string name;
  State state = kNotRun;
  int attempts = 0;       // launches in this invocation
  int last_exit_code = 0;
  double seconds = 0;     // wall time of this invocation's launches
  std::string device;     // CUDA_VISIBLE_DEVICES of the last launch ("" without placement)
};

struct RunnerSummary {
  int planned = 0;
  int already_complete = 0;  // skipped: complete before this invocation
  int completed = 0;         // completed in this invocation
  int failed = 0;
  bool interrupted = false;  // SIGINT/SIGTERM stopped the sweep
  double wall_seconds = 0;
  std::vector<RunOutcome> runs;  // plan order

  bool all_complete() const { return already_complete + completed == planned; }
  std::string BriefReport() const;
};

// The trainers' placement from the command line's --workers, --devices and --runs_per_device
// (0 = automatic for both counts): without devices, `workers` trainers (0: one); with devices,
// devices x runs_per_device (0: one per device), and a --workers that says otherwise is an
// error. Sets options->workers, devices and runs_per_device; InvalidArgument naming the flag.
absl::Status PlaceTrainers(int workers, const std::vector<std::string>& devices, int runs_per_device,
                           RunnerOptions* options);

// Runs every incomplete run of `plan`. Errors: invalid options, an unwritable out_dir, another
// runner holding out_dir/sweep.lock (FailedPrecondition), or a run directory holding a record
// of another run (its spec does not hash to the directory's name; FailedPrecondition).
absl::StatusOr<RunnerSummary> RunSweep(const experiments::SweepPlan& plan,
                                       const RunnerOptions& options);

// The run directory of a planned run (records::RunDir).
std::string RunDir(const std::string& out_dir, const experiments::PlannedRun& run);

}  // namespace datawall::sweep

#endif  // DATAWALL_EXPERIMENTS_SWEEP_RUNNER_H_
