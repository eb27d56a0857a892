// design: the experiment designer's CLI. Fits a law to the runs so far (laws/fit.h), bootstraps
// it (laws/bootstrap.h), and chooses the next k candidate runs that shrink the bootstrap interval
// of a target most per FLOP (sim/design.h). Thin main: flags -> library -> text or JSON.
// Exit 0 ok, 2 bad input (one line naming the flag or file), 3 the fit or bootstrap failed,
// 1 internal error. Not here: the criterion (design.cc), the simulation study (sim/studies/).
#include <cmath>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/law_io.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "sim/candidates.h"
#include "sim/design.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, runs, "",
          "CSV of the runs so far: key,params,tokens,unique_tokens,val_loss[,extra...] (default: the "
          "paper's released runs, see --runs_csv)");
ABSL_FLAG(std::string, subset, "", "fit only rows whose column of this name is 1 (e.g. in_fit_set)");
ABSL_FLAG(std::string, candidates, "", "CSV of candidate runs: params,tokens,unique_tokens[,...] (required)");
ABSL_FLAG(std::string, law, "data_constrained",
          "form to fit, as laws/fit spells it (data_constrained, chinchilla, decay_data_only, ...)");
ABSL_FLAG(std::vector<std::string>, fixed, {}, "comma list of coefficients held at their init values");
ABSL_FLAG(bool, tie_alpha_beta, false, "fit one exponent for both alpha and beta");
ABSL_FLAG(std::string, init, "paper", "init/frozen values: 'paper' (the form's paper values) or a law file");
ABSL_FLAG(std::string, method, "bfgs", "per-start minimiser: bfgs (Ceres line search) or lm (Ceres LM)");
ABSL_FLAG(int, max_iterations, 1000, "solver iterations per start");
ABSL_FLAG(int, boundary_probes, 8, "restart this many of the best end points with E -> 0 (0: none)");
ABSL_FLAG(int, max_starts, 5000, "refuse start grids larger than this");
ABSL_FLAG(int, threads, 1, "threads over starts and bootstrap resamples");
ABSL_FLAG(std::string, target, "",
          "quantity whose interval to shrink: n_opt@C,U (log optimal params at C FLOPs, U unique "
          "tokens), r_d_star or r_n_star (required)");
ABSL_FLAG(int, k, 4, "runs to choose");
ABSL_FLAG(std::optional<double>, budget_flops, std::nullopt, "the chosen runs' total FLOPs at most this (default: no limit)");
ABSL_FLAG(int, resamples, 64, "bootstrap resamples (the ensemble)");
ABSL_FLAG(int64_t, seed, 1, "bootstrap seed");
ABSL_FLAG(std::optional<double>, noise_sigma, std::nullopt,
          "standard deviation of a measured log loss (default: the fit's residual RMSE in log loss)");
ABSL_FLAG(double, confidence, 0.95, "percentile interval level");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "output: text or json");

namespace datawall::sim {
namespace {

constexpr char kUsage[] =
    "design --candidates=FILE --target=n_opt@C,U|r_d_star|r_n_star [--runs=FILE] [--k=4]\n"
    "    [--budget_flops=X] [--resamples=64] [--seed=1] [--noise_sigma=S] [--law=... --fixed=...]\n"
    "    [--format=text|json]\n"
    "Fits the law to the runs, bootstraps it, and picks the next k candidates that shrink the\n"
    "target's bootstrap interval most per FLOP (ensemble Kalman criterion, greedy).";

void PrintJson(const json::Json& doc) {
  absl::StatusOr<std::string> text = json::Dump(doc);
  if (!text.ok()) cli::InternalError("refusing to print a non-finite result: " + std::string(text.status().message()));
  std::cout << *text << "\n";
}

int Main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  const bool json_out = absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson;

  // Options, all checked before any file is read or any fit runs.
  if (absl::GetFlag(FLAGS_target).empty()) cli::UsageError("--target: required (n_opt@C,U, r_d_star or r_n_star)");
  absl::StatusOr<DesignTarget> target = ParseDesignTarget(absl::GetFlag(FLAGS_target));
  if (!target.ok()) cli::UsageError("--" + std::string(target.status().message()));
  if (absl::GetFlag(FLAGS_candidates).empty()) cli::UsageError("--candidates: required (a CSV with params,tokens,unique_tokens)");
  const int threads = cli::InRange(FLAGS_threads, 1, 256);
  DesignOptions design_options;
  design_options.k = cli::InRange(FLAGS_k, 1, 100000);
  if (std::optional<double> budget = cli::Positive(FLAGS_budget_flops)) design_options.budget_flops = *budget;
  design_options.confidence = absl::GetFlag(FLAGS_confidence);
  const std::optional<double> noise_flag = absl::GetFlag(FLAGS_noise_sigma);
  if (noise_flag && !(*noise_flag >= 0 && std::isfinite(*noise_flag))) {
    cli::UsageError(absl::StrCat("--noise_sigma: must be a finite number >= 0, got ", *noise_flag));
  }
  std::string error;
  if (!design_options.IsValid(&error)) cli::UsageError("--" + error);

  laws::FitOptions fit_options;
  const std::optional<laws::Form> form = laws::FormFromName(absl::GetFlag(FLAGS_law));
  if (!form) cli::UsageError("--law: unknown form '" + absl::GetFlag(FLAGS_law) + "'");
  fit_options.form = *form;
  fit_options.fixed = absl::GetFlag(FLAGS_fixed);
  fit_options.tie_alpha_beta = absl::GetFlag(FLAGS_tie_alpha_beta);
  fit_options.num_threads = threads;
  fit_options.max_iterations = absl::GetFlag(FLAGS_max_iterations);
  fit_options.boundary_probes = absl::GetFlag(FLAGS_boundary_probes);
  fit_options.max_starts = absl::GetFlag(FLAGS_max_starts);
  const std::string method = absl::GetFlag(FLAGS_method);
  if (method == "lm") {
    fit_options.method = laws::FitOptions::Method::kLevenbergMarquardt;
  } else if (method != "bfgs") {
    cli::UsageError("--method: must be bfgs or lm");
  }
  if (const std::string init = absl::GetFlag(FLAGS_init); init != "paper") {
    absl::StatusOr<laws::Law> law = laws::ReadLawFile(paths::UserPath(init));
    if (!law.ok()) cli::UsageError("--init: " + std::string(law.status().message()));
    fit_options.init = *law;
  }
  if (!fit_options.IsValid(&error)) cli::UsageError("--" + error);
  laws::BootstrapOptions boot_options;
  boot_options.num_resamples = cli::InRange(FLAGS_resamples, 3, 100000);
  boot_options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  boot_options.confidence = design_options.confidence;
  boot_options.num_threads = threads;
  if (!boot_options.IsValid(&error)) cli::UsageError("--" + error);

  // Inputs.
  absl::StatusOr<std::vector<Candidate>> candidates =
      ReadCandidatesCsv(paths::UserPath(absl::GetFlag(FLAGS_candidates)));
  if (!candidates.ok()) cli::UsageError("--candidates: " + std::string(candidates.status().message()));
  std::string runs_path = paths::UserPath(absl::GetFlag(FLAGS_runs));
  if (runs_path.empty()) {  // the paper's released runs (laws/released_runs.h)
    absl::StatusOr<std::string> released = laws::ReleasedRunsCsv();
    if (!released.ok()) cli::UsageError(std::string(released.status().message()));
    runs_path = *released;
  }
  absl::StatusOr<laws::RunTable> table = laws::ReadRunTableCsv(runs_path, absl::GetFlag(FLAGS_subset));
  if (!table.ok()) cli::UsageError("--runs: " + std::string(table.status().message()));
  const std::vector<laws::RunPoint>& runs = table->runs();

  // Fit, ensemble, design.
  absl::StatusOr<laws::FitSummary> fit = laws::Fit(runs, fit_options);
  if (!fit.ok()) {
    if (absl::IsInvalidArgument(fit.status())) cli::UsageError(std::string(fit.status().message()));
    std::cerr << "design: fit: " << fit.status().message() << "\n";
    return 3;
  }
  absl::StatusOr<laws::BootstrapSummary> boot = laws::Bootstrap(runs, fit_options, *fit, boot_options);
  if (!boot.ok()) {
    std::cerr << "design: bootstrap: " << boot.status().message() << "\n";
    return 3;
  }
  design_options.noise_sigma = noise_flag ? *noise_flag : fit->evaluation.rmse_log;
  absl::StatusOr<DesignResult> design = DesignNextRuns(boot->samples, *candidates, *target, design_options);
  if (!design.ok()) {
    const std::string message(design.status().message());
    // A target the form lacks is the user's choice of flags; too few usable samples is not.
    if (message.rfind("target:", 0) == 0) cli::UsageError("--" + message);
    std::cerr << "design: " << message << "\n";
    return 3;
  }
  double fitted_target = std::nan("");
  if (absl::StatusOr<double> t = LogTargetValue(fit->law, *target); t.ok()) fitted_target = *t;

  // Output.
  const std::string sigma_source = noise_flag ? "flag" : "fit_rmse";
  if (json_out) {
    json::Json doc = json::Json::object();
    doc["target"] = target->Name();
    doc["scale"] = "log";
    doc["runs"] = static_cast<int>(runs.size());
    doc["fit_converged"] = fit->converged;
    if (std::isfinite(fitted_target)) doc["fitted_log_target"] = fitted_target;
    doc["resamples"] = boot->num_resamples;
    doc["samples"] = design->num_samples;
    doc["samples_used"] = design->num_used;
    doc["noise_sigma"] = design_options.noise_sigma;
    doc["noise_sigma_source"] = sigma_source;
    if (std::isfinite(design_options.budget_flops)) doc["budget_flops"] = design_options.budget_flops;
    doc["confidence"] = design_options.confidence;
    doc["median"] = design->estimate;
    doc["lower"] = design->lower_before;
    doc["upper"] = design->upper_before;
    doc["width"] = design->width_before;
    doc["variance"] = design->variance_before;
    json::Json chosen = json::Json::array();
    for (const DesignStep& step : design->steps) {
      const Candidate& c = (*candidates)[step.candidate];
      chosen.push_back({{"candidate", step.candidate},
                        {"params", c.params},
                        {"tokens", c.tokens},
                        {"unique_tokens", c.unique_tokens},
                        {"flops", step.flops},
                        {"cumulative_flops", step.cumulative_flops},
                        {"score", step.score},
                        {"variance_reduction", step.variance_reduction},
                        {"variance_after", step.variance_after},
                        {"width_after", step.width_after}});
    }
    doc["chosen"] = std::move(chosen);
    doc["stopped_by"] = design->stopped_by;
    PrintJson(doc);
  } else {
    std::cout << absl::StrFormat(
        "target: log %s; %d runs fitted (%s), %d/%d bootstrap samples used, noise sigma %.4g (%s)\n",
        target->Name(), static_cast<int>(runs.size()), fit->converged ? "converged" : "NOT CONVERGED",
        design->num_used, design->num_samples, design_options.noise_sigma, sigma_source);
    std::cout << absl::StrFormat("now: median %.6g, %.0f%% interval [%.6g, %.6g], width %.6g (log scale)\n",
                                 design->estimate, 100 * design_options.confidence,
                                 design->lower_before, design->upper_before, design->width_before);
    std::cout << absl::StrFormat("%4s %9s %12s %12s %12s %11s %11s %11s %11s\n", "#", "candidate", "params",
                                 "tokens", "unique", "flops", "cum_flops", "score", "width_after");
    for (size_t i = 0; i < design->steps.size(); ++i) {
      const DesignStep& step = design->steps[i];
      const Candidate& c = (*candidates)[step.candidate];
      std::cout << absl::StrFormat("%4d %9d %12.4g %12.4g %12.4g %11.4g %11.4g %11.4g %11.6g\n",
                                   static_cast<int>(i + 1), step.candidate, c.params, c.tokens,
                                   c.unique_tokens, step.flops, step.cumulative_flops, step.score,
                                   step.width_after);
    }
    if (!design->stopped_by.empty()) {
      std::cout << "stopped after " << design->steps.size() << " of " << design_options.k
                << ": no " << (design->stopped_by == "budget" ? "candidate fits the remaining budget"
                                                                : "candidates left")
                << "\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace datawall::sim

int main(int argc, char** argv) { return datawall::sim::Main(argc, argv); }
