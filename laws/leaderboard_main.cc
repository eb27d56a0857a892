// leaderboard: ranks the law forms by how well they extrapolate to held-out runs (see
// leaderboard.h): the paper's released runs by default, or any runs table (--runs).
// Thin main: flags -> library -> text or JSON. Exit 0 ok, 2 bad input, 1 internal error.
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "laws/leaderboard.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/checksum.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"
#include "tools/provenance/provenance.h"

ABSL_FLAG(std::string, runs, "",
          "runs table CSV (key, params, tokens, unique_tokens, val_loss); default: the paper's "
          "released runs (--runs_csv, $DATAWALL_RUNS_CSV, the installed copy)");
ABSL_FLAG(std::string, subset, "",
          "keep rows whose column of this name is 1; default for the released runs: in_fit_set "
          "(the paper's 182-run fit set); 'all' keeps every row");
ABSL_FLAG(std::vector<std::string>, forms, {},
          "comma list of forms to rank (default: every form but no_decay, which is chinchilla)");
ABSL_FLAG(double, params_threshold, 1e9, "params split: train N < this");
ABSL_FLAG(double, epochs_threshold, 4, "epochs split: train D/U_D <= this");
ABSL_FLAG(double, flops_fraction, 0.75, "flops split: train the cheapest fraction of runs");
ABSL_FLAG(int, min_runs_per_budget, 5, "leave-one-budget-out: budgets with fewer runs are no fold");
ABSL_FLAG(int, min_train_runs, 10, "folds with fewer training runs are left out");
ABSL_FLAG(int, max_form_starts, 128, "starts per form fit (its grid thinned evenly)");
ABSL_FLAG(int, bootstrap, 100, "bootstrap resamples per form and fold (>= 10)");
ABSL_FLAG(int, bootstrap_starts, 2, "starts per resample (the fit's best minima)");
ABSL_FLAG(double, confidence, 0.95, "prediction interval level");
ABSL_FLAG(int64_t, seed, 1, "seed of the bootstrap and the residual draws");
ABSL_FLAG(int, threads, 1, "threads over (form, fold) jobs");
ABSL_FLAG(std::string, objective, "huber", "fit objective: huber or huber_mle (see //laws:fit)");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "output: text or json");

namespace datawall::laws {
namespace {

constexpr char kUsage[] =
    "leaderboard [--runs=FILE] [--subset=COLUMN] [--forms=a,b] [--bootstrap=100] [--threads=N]\n"
    "    [--format=text|json]\n"
    "Fits every law form under one recipe on four train/test splits (params, epochs, flops,\n"
    "leave-one-unique-budget-out) and ranks them by held-out RMSE of log loss, with the\n"
    "coverage of their bootstrap prediction intervals.";

// What the board was computed from and with: enough to rerun it and to know it is the same.
json::Json Provenance(const std::string& runs_path, const std::string& subset,
                      const LeaderboardOptions& o) {
  std::ifstream in(runs_path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const provenance::CodeVersion code = provenance::GetCodeVersion();
  std::vector<std::string> forms;
  for (Form f : o.forms) forms.emplace_back(Info(f).name);
  return {{"runs_file", runs_path},
          {"runs_checksum", io::HexChecksum(bytes.str())},
          {"subset", subset},
          {"forms", forms},
          {"params_threshold", o.params_threshold},
          {"epochs_threshold", o.epochs_threshold},
          {"flops_fraction", o.flops_fraction},
          {"min_runs_per_budget", o.min_runs_per_budget},
          {"min_train_runs", o.min_train_runs},
          {"max_form_starts", o.max_form_starts},
          {"bootstrap", o.bootstrap_resamples},
          {"bootstrap_starts", o.bootstrap_starts},
          {"confidence", o.confidence},
          {"seed", o.seed},
          {"objective", ObjectiveName(o.fit.objective)},
          {"commit", code.commit},
          {"dirty", code.dirty},
          {"host", provenance::HostName()},
          {"time", provenance::UtcNow()}};
}

json::Json ToJson(const Leaderboard& board) {
  json::Json splits = json::Json::array();
  for (const Split& s : board.splits) {
    json::Json folds = json::Json::array();
    for (const Fold& f : s.folds) {
      folds.push_back({{"name", f.name},
                       {"train_runs", static_cast<int>(f.train.size())},
                       {"test_runs", static_cast<int>(f.test.size())}});
    }
    splits.push_back({{"name", s.name}, {"description", s.description}, {"folds", folds}});
  }
  json::Json ranking = json::Json::array();
  for (size_t r = 0; r < board.rows.size(); ++r) {
    const FormRow& row = board.rows[r];
    json::Json per_split = json::Json::object();
    for (const SplitScore& x : row.splits) {
      per_split[x.split] = {{"rmse_log", x.rmse_log},
                            {"max_abs_log", x.max_abs_log},
                            {"coverage", x.coverage},
                            {"coverage_law_only", x.coverage_law},
                            {"mean_interval_width", x.mean_interval_width},
                            {"rank", x.rank},
                            {"folds", x.folds},
                            {"failed_folds", x.failed_folds},
                            {"test_runs", x.test_runs}};
    }
    ranking.push_back({{"rank", static_cast<int>(r + 1)},
                       {"form", row.name},
                       {"coefficients", row.coefficients},
                       {"geomean_rmse_log", std::isfinite(row.geomean_rmse_log)
                                                ? json::Json(row.geomean_rmse_log)
                                                : json::Json(nullptr)},
                       {"mean_rank", row.mean_rank},
                       {"mean_rmse_log", row.mean_rmse_log},
                       {"mean_coverage", row.mean_coverage},
                       {"splits", per_split}});
  }
  return {{"runs", board.num_runs},
          {"confidence", board.confidence},
          {"splits", splits},
          {"skipped_splits", board.skipped_splits},
          {"ranking", ranking},
          {"wall_s", board.wall_seconds}};
}

int Main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");

  LeaderboardOptions options;
  for (const std::string& name : absl::GetFlag(FLAGS_forms)) {
    const std::optional<Form> form = FormFromName(name);
    if (!form.has_value()) cli::UsageError("--forms: unknown form '" + name + "'");
    options.forms.push_back(*form);
  }
  options.params_threshold = absl::GetFlag(FLAGS_params_threshold);
  options.epochs_threshold = absl::GetFlag(FLAGS_epochs_threshold);
  options.flops_fraction = absl::GetFlag(FLAGS_flops_fraction);
  options.min_runs_per_budget = absl::GetFlag(FLAGS_min_runs_per_budget);
  options.min_train_runs = absl::GetFlag(FLAGS_min_train_runs);
  options.max_form_starts = absl::GetFlag(FLAGS_max_form_starts);
  options.bootstrap_resamples = absl::GetFlag(FLAGS_bootstrap);
  options.bootstrap_starts = absl::GetFlag(FLAGS_bootstrap_starts);
  options.confidence = absl::GetFlag(FLAGS_confidence);
  options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  options.num_threads = absl::GetFlag(FLAGS_threads);
  const std::string objective = absl::GetFlag(FLAGS_objective);
  if (objective == "huber_mle") {
    options.fit.objective = FitOptions::Objective::kHuberMle;
  } else if (objective != "huber") {
    cli::UsageError("--objective: must be huber or huber_mle");
  }
  if (options.num_threads > 256) cli::UsageError("--threads: must be in [1, 256]");
  std::string error;
  if (!options.IsValid(&error)) {
    // Option names are the flags' except these two.
    if (error.rfind("bootstrap_resamples", 0) == 0) error.replace(0, 19, "bootstrap");
    if (error.rfind("num_threads", 0) == 0) error.replace(0, 11, "threads");
    cli::UsageError("--" + error);
  }

  std::string runs_path = paths::UserPath(absl::GetFlag(FLAGS_runs));
  std::string subset = absl::GetFlag(FLAGS_subset);
  if (runs_path.empty()) {
    absl::StatusOr<std::string> released = ReleasedRunsCsv();
    if (!released.ok()) cli::UsageError(std::string(released.status().message()));
    runs_path = *released;
    if (subset.empty()) subset = "in_fit_set";
  }
  if (subset == "all") subset.clear();
  absl::StatusOr<RunTable> table = ReadRunTableCsv(runs_path, subset);
  if (!table.ok()) cli::UsageError(absl::StrCat("--runs: ", table.status().message()));

  absl::StatusOr<Leaderboard> board = RunLeaderboard(table->runs(), options);
  if (!board.ok()) {
    if (absl::IsInvalidArgument(board.status())) cli::UsageError(std::string(board.status().message()));
    cli::InternalError(std::string(board.status().message()));
  }
  if (absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson) {
    json::Json doc = ToJson(*board);
    doc["provenance"] = Provenance(runs_path, subset, options);
    absl::StatusOr<std::string> text = json::Dump(doc, 1);
    if (!text.ok()) cli::InternalError("refusing to print a non-finite result: " + std::string(text.status().message()));
    std::cout << *text << "\n";
  } else {
    std::cout << board->Report();
  }
  return 0;
}

}  // namespace
}  // namespace datawall::laws

int main(int argc, char** argv) { return datawall::laws::Main(argc, argv); }
