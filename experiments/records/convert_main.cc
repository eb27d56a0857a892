// convert_records: rewrites run records of the old layout into the present one, in place.
//
//   bazel run -c opt //experiments/records:convert_records -- [--results=DIR] [--dry_run]
//
// For every DIR/<scale>/<experiment>/runs/<hash>/record.textproto: the spec's absolute shard
// paths become relative to the data root that makes the spec hash to <hash>, the train_loss
// curve moves to curves.csv beside the record, the lr curve (a function of the spec) is dropped;
// every other field, measured values included, is kept as it was (records.h, ConvertRecord).
// Records already in the present layout are left untouched. runs.csv is written by the sweep
// CLI (`--summary_only`), which needs the experiment's plan. Exit 0 done, 2 bad input (a record
// that does not parse or whose spec matches no root), 1 an I/O error.
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "experiments/records/records.h"
#include "tools/cli/flags.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, results, "", "results directory (default: <workspace>/experiments/results)");
ABSL_FLAG(bool, dry_run, false, "report what would be converted, write nothing");

int main(int argc, char** argv) {
  using namespace datawall;
  namespace fs = std::filesystem;
  const std::vector<std::string> positional = cli::ParseFlags(
      argc, argv, "convert_records [--results=DIR] [--dry_run]: records to the compact layout");
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  std::string results = absl::GetFlag(FLAGS_results);
  if (results.empty()) results = paths::WorkspaceRoot() + "/experiments/results";
  results = paths::UserPath(results);
  std::error_code ec;
  if (!fs::is_directory(results, ec)) cli::UsageError("--results: " + results + " is not a directory");

  int converted = 0, current = 0;
  std::map<std::string, int> roots;
  for (const auto& scale : fs::directory_iterator(results)) {
    if (!scale.is_directory()) continue;
    for (const auto& experiment : fs::directory_iterator(scale.path())) {
      const fs::path runs = experiment.path() / "runs";
      if (!fs::is_directory(runs, ec)) continue;
      for (const auto& run : fs::directory_iterator(runs)) {
        const std::string path = (run.path() / records::kRecordFile).string();
        absl::StatusOr<records::RunRecord> old = records::ReadRecordFile(path);
        if (absl::IsNotFound(old.status())) continue;
        if (!old.ok()) cli::UsageError(std::string(old.status().message()));
        absl::StatusOr<records::ConvertedRecord> c =
            records::ConvertRecord(*old, run.path().filename().string());
        if (!c.ok()) cli::UsageError(absl::StrCat(path, ": ", c.status().message()));
        if (c->curves.empty() && c->data_root.empty() && c->record.curve_size() == old->curve_size()) {
          ++current;
          continue;
        }
        ++converted;
        ++roots[c->data_root.empty() ? "(already relative)" : c->data_root];
        if (absl::GetFlag(FLAGS_dry_run)) continue;
        for (const records::Curve& curve : c->curves) {
          if (curve.name() != "train_loss") {
            cli::UsageError(absl::StrCat(path, ": unexpected curve \"", curve.name(), "\""));
          }
          absl::Status s = records::WriteCurveCsv((run.path() / records::kCurvesFile).string(), curve);
          if (!s.ok()) cli::InternalError(std::string(s.message()));
        }
        absl::Status s = records::WriteRecordFile(path, c->record);
        if (!s.ok()) cli::InternalError(std::string(s.message()));
      }
    }
  }
  std::cout << (absl::GetFlag(FLAGS_dry_run) ? "would convert " : "converted ") << converted
            << " record(s) under " << results << " (" << current << " already in the present layout)";
  for (const auto& [root, n] : roots) std::cout << "; " << n << " from data root " << root;
  std::cout << std::endl;
  return 0;
}
