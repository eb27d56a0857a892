// RunPoint tables: the (N, D, U, loss) rows a law is fitted to, read from CSV or built from a list.
//
//   absl::StatusOr<RunTable> table = ReadRunTableCsv("runs.csv");
//   absl::StatusOr<RunTable> fit_set = table->Subset("in_fit_set");   // rows with in_fit_set = 1
//   Fit(fit_set->runs(), options);
//
// A CSV needs the columns key, params, tokens, unique_tokens, val_loss (any order); other columns
// are kept as text (e.g. in_fit_set to select a subset). Every row is validated and errors name
// the file, the line and the column. This file deliberately knows nothing about the experiments
// package's RunRecord: experiments converts its records into Runs and calls RunTableFromRuns.
#ifndef DATAWALL_LAWS_RUN_TABLE_H_
#define DATAWALL_LAWS_RUN_TABLE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace datawall::laws {

// One training run. Counts are doubles (law code), see design.md.
struct RunPoint {
  std::string key;             // the run's name, unique within a table
  double params = 0;           // N, parameters
  double tokens = 0;           // D, total tokens trained on
  double unique_tokens = 0;    // U_D, unique tokens (<= tokens)
  double val_loss = 0;         // final validation loss (nats per token)
};

// Checks one run: finite, positive N, D, U and loss, and U <= D. `where` prefixes the error
// (e.g. "runs.csv:12").
absl::Status ValidateRun(const RunPoint& run, std::string_view where);

class RunTable {
 public:
  RunTable() = default;

  const std::vector<RunPoint>& runs() const { return runs_; }
  int size() const { return static_cast<int>(runs_.size()); }
  const std::string& source() const { return source_; }

  // Names of the extra (non-required) columns, in file order, and their text per run.
  const std::vector<std::string>& extra_columns() const { return extra_columns_; }
  // Text of `column` for run `index`; an error if the table has no such column.
  absl::StatusOr<std::string> Extra(int index, std::string_view column) const;

  // The rows whose `column` is 1 (accepted spellings: 1/0, true/false). Errors name the column
  // (listing the ones that exist) or the row with an unreadable value.
  absl::StatusOr<RunTable> Subset(std::string_view column) const;
  // The rows for which `keep` returns true (extras and provenance are kept).
  RunTable Filter(const std::function<bool(const RunPoint&)>& keep) const;

 private:
  friend absl::StatusOr<RunTable> ParseRunTableCsv(std::string_view, const std::string&);
  friend absl::StatusOr<RunTable> RunTableFromRuns(std::vector<RunPoint>, const std::string&);

  std::string source_;
  std::vector<RunPoint> runs_;
  std::vector<int> lines_;                       // 1-based source line of each run (0: none)
  std::vector<std::string> extra_columns_;
  std::vector<std::vector<std::string>> extras_;  // [run][extra column]
};

// Parses CSV text (first line: header). `source` names the file in errors.
absl::StatusOr<RunTable> ParseRunTableCsv(std::string_view text, const std::string& source);
// Reads and parses a CSV file.
absl::StatusOr<RunTable> ReadRunTableCsv(const std::string& path);
// Reads a CSV and, if `subset` is non-empty, keeps the rows whose column `subset` is 1.
absl::StatusOr<RunTable> ReadRunTableCsv(const std::string& path, const std::string& subset);
// A validated table from runs built elsewhere (e.g. experiments' run records); errors name the
// run by index and key.
absl::StatusOr<RunTable> RunTableFromRuns(std::vector<RunPoint> runs, const std::string& source);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_RUN_TABLE_H_
