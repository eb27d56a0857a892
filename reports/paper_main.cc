// `bazel run -c opt //reports:paper -- --out=DIR`: writes DIR/index.html (self-contained, inline
// SVG figures), DIR/REPORT.md and DIR/figures/*.svg. Reads the paper's released runs and our
// committed results; never trains. Thin main: flags here, everything else in paper_report.h.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "laws/run_table.h"
#include "reports/paper_report.h"
#include "tools/cli/flags.h"

ABSL_FLAG(std::string, out, "", "Output directory (created if needed); relative to where bazel "
                                "run was invoked.");
ABSL_FLAG(std::string, runs_csv, "",
          "The paper's released runs (default: ../shared/datablations/runs.csv).");
ABSL_FLAG(std::string, results_dir, "",
          "Committed experiment results (default: <workspace>/experiments/results).");
ABSL_FLAG(int, bootstrap_resamples, 200, "Bootstrap resamples per Table 1 fit (0: no CIs).");
ABSL_FLAG(int, threads, 2, "Threads for fits, bootstrap and figures.");
ABSL_FLAG(int64_t, seed, 1, "Seed of the bootstrap draws.");
ABSL_FLAG(std::string, gnuplot, "gnuplot", "The gnuplot executable.");

namespace {

// Relative paths are relative to the directory `bazel run` was started in.
std::string Resolve(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  return wd == nullptr ? path : std::string(wd) + "/" + path;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = datawall::cli;
  namespace reports = datawall::reports;
  const std::vector<std::string> args = cli::ParseFlags(
      argc, argv,
      "Usage: bazel run -c opt //reports:paper -- --out=DIR [--runs_csv=PATH] "
      "[--bootstrap_resamples=200] [--threads=2]");
  if (!args.empty()) cli::UsageError("unexpected argument '" + args[0] + "'");
  const std::string out = Resolve(absl::GetFlag(FLAGS_out));
  if (out.empty()) cli::UsageError("--out: required (the report directory)");
  reports::PaperReportOptions options;
  options.runs_csv = Resolve(absl::GetFlag(FLAGS_runs_csv));
  options.results_dir = Resolve(absl::GetFlag(FLAGS_results_dir));
  options.bootstrap_resamples = absl::GetFlag(FLAGS_bootstrap_resamples);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  options.gnuplot = absl::GetFlag(FLAGS_gnuplot);
  if (absl::GetFlag(FLAGS_seed) < 0) cli::UsageError("--seed: must be >= 0");
  std::string error;
  if (!options.IsValid(&error)) cli::UsageError("--" + error);
  // An explicitly named runs file must exist and parse; the default one may be missing (the
  // report then says so instead of Table 1).
  const bool explicit_runs = !options.runs_csv.empty();
  if (explicit_runs) {
    if (access(options.runs_csv.c_str(), R_OK) != 0) {
      cli::UsageError("--runs_csv: cannot read " + options.runs_csv);
    }
    // Validate before any work, so a bad file costs nothing and gets one line.
    absl::StatusOr<datawall::laws::RunTable> runs =
        datawall::laws::ReadRunTableCsv(options.runs_csv);
    if (runs.ok()) {
      absl::StatusOr<datawall::laws::RunTable> fit_set = runs->Subset("in_fit_set");
      if (!fit_set.ok()) runs = fit_set.status();
    }
    if (!runs.ok()) cli::UsageError("--runs_csv: " + std::string(runs.status().message()));
  }

  reports::ReportInputs inputs;
  absl::StatusOr<reports::Document> doc = reports::BuildPaperReport(options, &inputs);
  if (!doc.ok()) cli::UsageError(std::string(doc.status().message()));
  if (explicit_runs && !inputs.runs) cli::UsageError("--runs_csv: " + inputs.runs_problem);
  const absl::Status written = reports::WritePaperReport(*doc, out);
  if (!written.ok()) {
    if (absl::IsInvalidArgument(written)) cli::UsageError(std::string(written.message()));
    cli::InternalError(std::string(written.message()));
  }
  std::cout << "wrote " << out << "/index.html and " << out << "/REPORT.md\n";
  if (!inputs.runs) std::cout << "note: " << inputs.runs_problem << " (Table 1 not regenerated)\n";
  for (const std::string& p : inputs.problems) std::cerr << "problem: " << p << "\n";
  return inputs.problems.empty() ? 0 : cli::kInternalError;
}
