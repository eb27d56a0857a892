// The sweep directory as both backends (runner.h, slurm_backend.h) take it over before running
// anything: created, locked against a second runner, the trainer checked, the plan written, and
// each planned run's directory made and its record checked against the run. Not the running
// itself, and no policy about what an existing record means beyond "it is this run's".
#ifndef DATAWALL_EXPERIMENTS_SWEEP_SWEEP_DIR_H_
#define DATAWALL_EXPERIMENTS_SWEEP_SWEEP_DIR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/run_record.pb.h"

namespace datawall::sweep {

// Seconds on the steady clock.
double NowSeconds();
// `path` absolute and normalised (unchanged if that fails).
std::string AbsolutePath(const std::string& path);

// A locked sweep directory; the lock is released when it is destroyed.
class SweepDir {
 public:
  SweepDir() = default;
  SweepDir(const SweepDir&) = delete;
  SweepDir& operator=(const SweepDir&) = delete;
  ~SweepDir();

  std::string out;        // absolute sweep directory (runs/ inside it exists)
  std::string binary;     // absolute, executable train binary
  std::string data_root;  // absolute

 private:
  friend absl::Status OpenSweepDir(const experiments::SweepPlan&, const std::string&,
                                   const std::string&, const std::string&, double, SweepDir*);
  int lock_fd_ = -1;
};

// Creates out_dir/runs, takes out_dir/sweep.lock (waiting up to lock_wait_seconds for another
// runner to let go), checks that train_binary is executable and writes out_dir/plan.textproto.
// InvalidArgument (--out, --train_binary), FailedPrecondition (another runner holds the lock),
// Internal (I/O).
absl::Status OpenSweepDir(const experiments::SweepPlan& plan, const std::string& out_dir,
                          const std::string& train_binary, const std::string& data_root,
                          double lock_wait_seconds, SweepDir* dir);

// Creates <out>/runs/<hash>/ and reads its record into *record (nullopt when there is none).
// FailedPrecondition when the record there is another run's.
absl::Status ReadRunRecord(const std::string& out, const experiments::PlannedRun& run,
                           std::optional<experiments::RunRecord>* record);

}  // namespace datawall::sweep

#endif  // DATAWALL_EXPERIMENTS_SWEEP_SWEEP_DIR_H_
