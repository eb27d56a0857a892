// `bazel run -c opt //reports:paper -- --out=DIR`: writes DIR/index.html (self-contained, inline
// SVG figures), DIR/REPORT.md and DIR/figures/*.svg. Reads the paper's released runs (found by
// laws/released_runs.h: --runs_csv, $DATAWALL_RUNS_CSV or the copy tools/setup.sh installs; when
// they are missing it exits 2 with that one line) and our committed results; never trains. Thin
// main: flags here, everything else in paper_report.h.
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "laws/run_table.h"
#include "reports/paper_report.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, out, "", "Output directory (created if needed); relative to where bazel "
                                "run was invoked.");
ABSL_FLAG(std::string, results_dir, "",
          "Committed experiment results (default: <workspace>/experiments/results).");
ABSL_FLAG(int, bootstrap_resamples, 200, "Bootstrap resamples per Table 1 fit (0: no CIs).");
ABSL_FLAG(int, threads, 2, "Threads for fits, bootstrap and figures.");
ABSL_FLAG(int64_t, seed, 1, "Seed of the bootstrap draws.");
ABSL_FLAG(std::string, gnuplot, "gnuplot", "The gnuplot executable.");

int main(int argc, char** argv) {
  namespace cli = datawall::cli;
  namespace reports = datawall::reports;
  const std::vector<std::string> args = cli::ParseFlags(
      argc, argv,
      "Usage: bazel run -c opt //reports:paper -- --out=DIR [--runs_csv=PATH] "
      "[--bootstrap_resamples=200] [--threads=2]");
  if (!args.empty()) cli::UsageError("unexpected argument '" + args[0] + "'");
  cli::InitLogging(argv[0]);  // no Ceres/glog lines unless --verbose
  const std::string out = datawall::paths::UserPath(absl::GetFlag(FLAGS_out));
  if (out.empty()) cli::UsageError("--out: required (the report directory)");
  reports::PaperReportOptions options;
  options.results_dir = datawall::paths::UserPath(absl::GetFlag(FLAGS_results_dir));
  options.bootstrap_resamples = absl::GetFlag(FLAGS_bootstrap_resamples);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  options.gnuplot = absl::GetFlag(FLAGS_gnuplot);
  options.progress = &std::cerr;
  if (absl::GetFlag(FLAGS_seed) < 0) cli::UsageError("--seed: must be >= 0");
  std::string error;
  if (!options.IsValid(&error)) cli::UsageError("--" + error);
  reports::ReportInputs inputs;
  absl::StatusOr<reports::Document> doc = reports::BuildPaperReport(options, &inputs);
  // Bad options or released runs that cannot be read: one line, before any section's work.
  if (!doc.ok()) cli::UsageError(std::string(doc.status().message()));
  const absl::Status written = reports::WritePaperReport(*doc, out);
  if (!written.ok()) {
    if (absl::IsInvalidArgument(written)) cli::UsageError(std::string(written.message()));
    cli::InternalError(std::string(written.message()));
  }
  std::cout << "wrote " << out << "/index.html and " << out << "/REPORT.md\n";
  for (const std::string& p : inputs.problems) std::cerr << "problem: " << p << "\n";
  return inputs.problems.empty() ? 0 : cli::kInternalError;
}
