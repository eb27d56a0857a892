// The stored form of runs: run records, per-run curves and the per-experiment runs table.
//
// Layout of a sweep directory (experiments/results/<scale>/<experiment>/), committed parts first:
//   runs.csv                       one line per planned run (RunsCsv below); reports/ reads it
//   summary.txt, summary.json      the experiment's summary (experiments/analysis/summary.h)
//   runs/<hash>/record.textproto   the RunRecord: the spec once (shard paths relative to the
//                                  data root), scalars, provenance, the val_loss curve
//   runs/<hash>/train.log          the trainer's stdout and stderr (a few lines per attempt)
//   runs/<hash>/curves.csv         the per-step train_loss curve (git-ignored working file)
//   runs/<hash>/spec.textproto     the spec given to the trainer (git-ignored, rewritten per launch)
//   plan.textproto, sweep.lock, runs/<hash>/{lock,checkpoints/,tensorboard/}   git-ignored
// <hash> is RunHash of the unresolved RunSpec, so a record is matched to its planned run by the
// hash of its own spec: a complete record is complete in any checkout, wherever it lives.
// Not here: expansion (experiments/plan), summaries (experiments/analysis), running (sweep).
#ifndef DATAWALL_EXPERIMENTS_RECORDS_RECORDS_H_
#define DATAWALL_EXPERIMENTS_RECORDS_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/run_record.pb.h"
#include "experiments/records/run_spec.pb.h"

namespace datawall::records {

using experiments::Curve;
using experiments::PlannedRun;
using experiments::RunRecord;
using experiments::RunSpec;
using experiments::SweepPlan;

inline constexpr char kRecordFile[] = "record.textproto";
inline constexpr char kCurvesFile[] = "curves.csv";
inline constexpr char kSpecFile[] = "spec.textproto";
inline constexpr char kRunsCsvFile[] = "runs.csv";
// The curve kept inside the record (evaluations); every other curve goes to curves.csv.
inline constexpr char kRecordCurve[] = "val_loss";

// ---- Run identity -------------------------------------------------------------------------

// The canonical text of a RunSpec (protobuf text format, fields in number order) and its
// 16-hex-digit checksum (tools/io/checksum.h): the run's directory name.
// "representative", "documents" or "shard_prefix": the runs.csv spelling of a BudgetOrder.
std::string BudgetOrderName(experiments::BudgetOrder order);

std::string CanonicalText(const RunSpec& spec);
std::string RunHash(const RunSpec& spec);

// The spec with relative shard paths (data sources and validation) made absolute against `root`.
RunSpec ResolveDataPaths(const RunSpec& spec, const std::string& root);

// The spec with every shard path under `root` made relative to it (the inverse of
// ResolveDataPaths for paths below root; others are left alone).
RunSpec RelativeDataPaths(const RunSpec& spec, const std::string& root);

// A sweep directory's file: NotFound "<path>: missing" when it does not exist, Internal when it
// exists but cannot be read.
absl::StatusOr<std::string> ReadText(const std::string& path);

// ---- Records --------------------------------------------------------------------------------

// out_dir/runs/<hash>.
std::string RunDir(const std::string& out_dir, const std::string& hash);

// Reads a record file. NotFound when it does not exist, InvalidArgument when it does not parse.
absl::StatusOr<RunRecord> ReadRecordFile(const std::string& path);
// run_dir/record.textproto if it exists and parses (complete or not).
std::optional<RunRecord> ReadRecord(const std::string& run_dir);
// Writes the record as protobuf text, atomically.
absl::Status WriteRecordFile(const std::string& path, const RunRecord& record);

// True when the record belongs to `run`: its own spec hashes to the planned run's hash.
bool RecordMatches(const RunRecord& record, const PlannedRun& run);
// A complete record of exactly this run.
bool IsCompleteFor(const std::optional<RunRecord>& record, const PlannedRun& run);

// Records of every planned run, in plan order (nullopt where none exists yet).
std::vector<std::optional<RunRecord>> LoadRecords(const SweepPlan& plan, const std::string& out_dir);

// ---- curves.csv -----------------------------------------------------------------------------

// "step,tokens,<curve name>" then one line per point; doubles in their shortest round-trip form.
std::string CurveCsv(const Curve& curve);
absl::StatusOr<Curve> ParseCurveCsv(const std::string& text, const std::string& where);
absl::Status WriteCurveCsv(const std::string& path, const Curve& curve);
absl::StatusOr<Curve> ReadCurveCsv(const std::string& path);

// ---- runs.csv -------------------------------------------------------------------------------

// One line of runs.csv: the planned run and, once a record exists, what it measured.
struct RunRow {
  std::string hash;
  std::string name;
  int64_t params = 0;          // the record's exact count when complete, else the plan's
  int64_t total_tokens = 0;    // D
  int64_t unique_tokens = 0;   // U
  double epochs = 0;           // D / U
  double code_fraction = 0;
  uint64_t seed = 0;
  bool repeat_arm = false;
  double flops = 0;            // 6 * params * D
  bool started = false;        // a record of this run exists
  bool complete = false;
  double final_val_loss = 0;   // complete runs only (empty in the file otherwise)
  int64_t steps = 0;
  int64_t trained_tokens = 0;
  double wall_seconds = 0;
  double tokens_per_second = 0;
  std::string budget_order;    // "representative", "documents" or "shard_prefix" (data/budget.h)
  // Measured by the run (complete runs of records that have them; older records do not): the
  // training budget's source_tv (the largest over its sources), the validation set's, and the
  // standard error of final_val_loss over validation sequences.
  std::optional<double> source_tv, validation_source_tv, final_val_loss_se;

  bool operator==(const RunRow&) const = default;
};

// The row of a planned run and its record (if any; a record of another run is ignored).
RunRow MakeRunRow(const PlannedRun& run, const std::optional<RunRecord>& record);
std::vector<RunRow> MakeRunRows(const SweepPlan& plan,
                                const std::vector<std::optional<RunRecord>>& records);

// The CSV text (header line first). InvalidArgument for a name with a comma, quote or newline,
// or a non-finite number (the one NaN policy: an error, never a printed "nan").
absl::StatusOr<std::string> RunsCsv(const std::vector<RunRow>& rows);
absl::StatusOr<std::vector<RunRow>> ParseRunsCsv(const std::string& text, const std::string& where);
absl::Status WriteRunsCsv(const std::string& path, const std::vector<RunRow>& rows);
// NotFound when the file does not exist.
absl::StatusOr<std::vector<RunRow>> ReadRunsCsv(const std::string& path);

// ---- Conversion from the old layout ---------------------------------------------------------

// A record of the layout before compact records: absolute shard paths in its spec and every
// curve (train_loss, val_loss, lr at every step) inside. The result keeps every measured value
// and field as it was, except: the spec's shard paths are made relative to the root that makes
// the spec hash to `hash` (the run's directory name), the train_loss curve moves to `curves`
// (for curves.csv) and the lr curve is dropped (a pure function of the spec). A record already
// in the present layout converts to itself. InvalidArgument when no root gives `hash`.
struct ConvertedRecord {
  RunRecord record;
  std::vector<Curve> curves;  // for curves.csv (train_loss)
  std::string data_root;      // the root the shard paths were relative to ("" if they already were)
};
absl::StatusOr<ConvertedRecord> ConvertRecord(const RunRecord& old, const std::string& hash);

}  // namespace datawall::records

#endif  // DATAWALL_EXPERIMENTS_RECORDS_RECORDS_H_
