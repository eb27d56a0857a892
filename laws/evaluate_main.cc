// evaluate: R^2, RMSE(log), the paper's objective and per-run residuals of a given law file on a
// table of runs. No fitting (that is //laws:fit). Exit 0 ok, 2 bad input.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/fit.h"
#include "laws/fit_json.h"
#include "laws/law_io.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, runs, "",
          "CSV of runs: key,params,tokens,unique_tokens,val_loss[,extra...] (default: the paper's "
          "released runs, see --runs_csv)");
ABSL_FLAG(std::string, subset, "", "evaluate only rows whose column of this name is 1");
ABSL_FLAG(std::string, law, "", "law file (text proto, see laws/law.proto)");
ABSL_FLAG(double, huber_delta, 1e-3, "Huber threshold of the reported objective");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "output: text or json");

namespace datawall::laws {
namespace {

constexpr char kUsage[] =
    "evaluate [--runs=FILE] --law=FILE [--subset=COLUMN] [--format=text|json]\n"
    "Prints R^2 (on losses), RMSE of log losses, the Huber objective and per-run residuals.";

int Main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);  // Ceres' warnings only with --verbose
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  if (absl::GetFlag(FLAGS_law).empty()) cli::UsageError("--law: required");
  const double delta = absl::GetFlag(FLAGS_huber_delta);
  if (!(delta > 0) || !std::isfinite(delta)) cli::UsageError("--huber_delta: must be positive");
  absl::StatusOr<Law> law = ReadLawFile(paths::UserPath(absl::GetFlag(FLAGS_law)));
  if (!law.ok()) cli::UsageError("--law: " + std::string(law.status().message()));
  std::string runs_path = paths::UserPath(absl::GetFlag(FLAGS_runs));
  if (runs_path.empty()) {  // the paper's released runs (laws/released_runs.h)
    absl::StatusOr<std::string> released = ReleasedRunsCsv();
    if (!released.ok()) cli::UsageError(std::string(released.status().message()));
    runs_path = *released;
  }
  absl::StatusOr<RunTable> table = ReadRunTableCsv(runs_path);
  if (!table.ok()) cli::UsageError("--runs: " + std::string(table.status().message()));
  if (!absl::GetFlag(FLAGS_subset).empty()) {
    table = ReadRunTableCsv(runs_path, absl::GetFlag(FLAGS_subset));
    if (!table.ok()) cli::UsageError("--subset: " + std::string(table.status().message()));
  }
  const Evaluation ev = Evaluate(*law, table->runs(), delta);
  for (size_t i = 0; i < ev.predicted_loss.size(); ++i) {
    if (!std::isfinite(ev.predicted_loss[i])) {
      cli::UsageError(absl::StrCat("--law: prediction for run '", table->runs()[i].key,
                                   "' is not finite"));
    }
  }
  std::vector<std::string> keys;
  for (const RunPoint& run : table->runs()) keys.push_back(run.key);
  if (absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson) {
    json::Json doc = json::Json::object();
    AddEvaluationFieldsJson(*law, ev, &doc);
    doc["residuals"] = ResidualsJson(keys, ev);
    absl::StatusOr<std::string> text = json::Dump(doc);
    if (!text.ok()) {
      cli::InternalError("refusing to print a non-finite result: " +
                         std::string(text.status().message()));
    }
    std::cout << *text << "\n";
  } else {
    std::cout << absl::StrFormat("%s on %d runs: R^2 %.7f, RMSE(log) %.7g, objective %.10g\n",
                                 std::string(Info(law->form()).name), ev.n_runs, ev.r2,
                                 ev.rmse_log, ev.objective);
    std::cout << "residuals (key, loss, predicted loss, log residual):\n";
    for (size_t i = 0; i < keys.size(); ++i) {
      std::cout << absl::StrFormat("  %-24s %.6f %.6f %+.6f\n", keys[i],
                                   table->runs()[i].val_loss, ev.predicted_loss[i],
                                   ev.residual_log[i]);
    }
  }
  return 0;
}

}  // namespace
}  // namespace datawall::laws

int main(int argc, char** argv) { return datawall::laws::Main(argc, argv); }
