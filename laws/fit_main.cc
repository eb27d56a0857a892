// fit: fits a scaling law to a table of runs with the paper's robust objective (see fit.h), with
// optional bootstrap intervals, (R_D*, R_N*) profile, held-out validation and Table 1 refits.
// Thin main: flags -> library -> text or JSON. Exit 0 ok, 2 bad input, 3 fit did not converge
// (the best point is still printed, marked as such), 1 internal error.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/fit_json.h"
#include "laws/holdout.h"
#include "laws/law_io.h"
#include "laws/paper_fits.h"
#include "laws/profile.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, runs, "",
          "CSV of runs: key,params,tokens,unique_tokens,val_loss[,extra...] (default: the paper's "
          "released runs, see --runs_csv)");
ABSL_FLAG(std::string, subset, "", "fit only rows whose column of this name is 1 (e.g. in_fit_set)");
ABSL_FLAG(std::string, law, "data_constrained",
          "form: chinchilla, data_constrained, no_decay, decay_data_only, decay_params_only, "
          "geometric, explicit_exponential, alpha_beta_decay, overfitting_penalty");
ABSL_FLAG(std::vector<std::string>, fixed, {}, "comma list of coefficients held at their init values");
ABSL_FLAG(bool, tie_alpha_beta, false, "fit one exponent for both alpha and beta");
ABSL_FLAG(std::string, init, "paper", "init/frozen values: 'paper' (the form's paper values) or a law file");
ABSL_FLAG(std::string, grid, "",
          "start grid override, e.g. 'rd_star=0:20:6;rn_star=1,5,10' (lo:hi:n = n evenly spaced)");
ABSL_FLAG(std::string, method, "bfgs", "per-start minimiser: bfgs (Ceres line search) or lm (Ceres LM)");
ABSL_FLAG(std::string, objective, "huber",
          "huber (the paper's sum of Huber losses) or huber_mle (likelihood of a Huber density "
          "with a free scale, Besiroglu et al. 2024; needs --method=bfgs)");
ABSL_FLAG(int, max_iterations, 1000, "solver iterations per start");
ABSL_FLAG(int, boundary_probes, 8,
          "restart this many of the best end points with E -> 0 (e = -30), a basin no grid start "
          "reaches (0: none)");
ABSL_FLAG(int, max_starts, 5000, "refuse start grids larger than this");
ABSL_FLAG(int, threads, 1, "threads over starts and bootstrap resamples");
ABSL_FLAG(int, bootstrap, 0, "bootstrap resamples (0: none)");
ABSL_FLAG(int64_t, seed, 1, "bootstrap seed");
ABSL_FLAG(bool, bootstrap_from_grid, false,
          "refit each resample from the whole start grid (default: from the full fit's best minima)");
ABSL_FLAG(double, confidence, 0.95, "bootstrap percentile interval level");
ABSL_FLAG(std::string, ci_out, "", "write the bootstrap intervals as CSV here (needs --bootstrap)");
ABSL_FLAG(datawall::cli::NumberList, budgets, {}, "comma list of FLOP budgets for N_opt/D_opt intervals");
ABSL_FLAG(bool, profile, false, "print the objective profile over (rd_star, rn_star)");
ABSL_FLAG(std::string, profile_out, "", "write the profile grid as CSV here (implies --profile)");
ABSL_FLAG(std::string, holdout, "", "held-out validation: fit on 'params<X' or 'flops<X', test on the rest");
ABSL_FLAG(std::string, table1, "",
          "refit Table 1 the paper's way: a variant name or 'all' (needs the released runs table; "
          "ignores --law/--fixed/--grid/--subset)");
ABSL_FLAG(std::string, out, "", "write the fitted law (with bootstrap samples) as a text-proto law file");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "output: text or json");

namespace datawall::laws {
namespace {

constexpr char kUsage[] =
    "fit [--runs=FILE] [--subset=in_fit_set] [--law=data_constrained] [--fixed=a,b,e,alpha,beta]\n"
    "    [--init=paper|FILE] [--grid=...] [--bootstrap=N] [--profile[_out=FILE]] [--holdout=params<X]\n"
    "    [--out=law.textproto] [--format=text|json]\n"
    "Fits a scaling law with the paper's Huber(1e-3) objective on log losses from a grid of starts\n"
    "and reports every distinct local minimum. Exit 3 if the best point did not converge.";

bool ParseDouble(const std::string& text, double* value) {
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && errno != ERANGE &&
         std::isfinite(*value);
}

std::vector<std::string> SplitList(const std::string& text, char sep) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, sep, absl::SkipWhitespace())) {
    out.emplace_back(part);
  }
  return out;
}

std::map<std::string, std::vector<double>> ParseGrid(const std::string& text) {
  std::map<std::string, std::vector<double>> grid;
  for (const std::string& entry : SplitList(text, ';')) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos) cli::UsageError("--grid: '" + entry + "' is not name=values");
    const std::string name = entry.substr(0, eq), values = entry.substr(eq + 1);
    std::vector<double>& axis = grid[name];
    const std::vector<std::string> range = SplitList(values, ':');
    if (range.size() == 3) {
      double lo, hi, n;
      if (!ParseDouble(range[0], &lo) || !ParseDouble(range[1], &hi) || !ParseDouble(range[2], &n) ||
          n < 1 || n > 100000 || n != std::floor(n)) {
        cli::UsageError("--grid: '" + entry + "': lo:hi:n needs numbers and an integer n >= 1");
      }
      for (int i = 0; i < n; ++i) axis.push_back(n == 1 ? lo : lo + (hi - lo) * i / (n - 1));
    } else {
      for (const std::string& v : SplitList(values, ',')) {
        double x;
        if (!ParseDouble(v, &x)) cli::UsageError("--grid: '" + v + "' is not a number");
        axis.push_back(x);
      }
    }
    if (axis.empty()) cli::UsageError("--grid: '" + name + "' has no values");
  }
  return grid;
}

// A result that is not finite is not printed (tools/json's policy): an internal error, exit 1.
void PrintJson(const json::Json& doc) {
  absl::StatusOr<std::string> text = json::Dump(doc);
  if (!text.ok()) cli::InternalError("refusing to print a non-finite result: " + std::string(text.status().message()));
  std::cout << *text << "\n";
}

void Fail(const absl::Status& status, const std::string& flag = "") {
  cli::UsageError(flag.empty() ? std::string(status.message())
                               : absl::StrCat("--", flag, ": ", std::string(status.message())));
}

int RunTable1(const std::string& which, const std::string& runs_path, int threads, bool json_out) {
  absl::StatusOr<RunTable> table = ReadRunTableCsv(runs_path);
  if (!table.ok()) Fail(table.status(), "runs");
  std::vector<PaperVariant> variants;
  if (which == "all") {
    variants = PaperTable1();
  } else {
    absl::StatusOr<PaperVariant> v = FindPaperVariant(which);
    if (!v.ok()) Fail(v.status(), "table1");
    variants.push_back(*v);
  }
  json::Json rows = json::Json::array();
  bool all_converged = true;
  if (!json_out) {
    std::cout << "R2: on the in_fit_set rows (Table 1); objectives: on the rows each variant is "
                 "fitted on (Eq. 22: all rows)\n";
    std::cout << absl::StrFormat("%-24s %8s %8s %12s %12s | %12s %8s %s\n", "variant",
                                 "R2 paper", "R2 ours", "obj paper", "obj ours", "obj refit",
                                 "R2 refit", "refit constants");
  }
  for (const PaperVariant& v : variants) {
    absl::StatusOr<std::vector<RunPoint>> r2_runs = PaperVariantR2Runs(v, *table);
    if (!r2_runs.ok()) Fail(r2_runs.status(), "runs");
    absl::StatusOr<std::vector<RunPoint>> fit_runs = PaperVariantRuns(v, *table);
    if (!fit_runs.ok()) Fail(fit_runs.status(), "runs");
    const Evaluation at_paper = Evaluate(v.paper_law, *r2_runs);
    const double objective_at_paper = Evaluate(v.paper_law, *fit_runs).objective;
    absl::StatusOr<FitSummary> fit = FitPaperVariant(v, *table, threads);
    if (!fit.ok()) cli::InternalError(std::string(fit.status().message()));
    all_converged &= fit->converged;
    std::string constants;
    const auto& names = Info(v.form).coefficients;
    for (size_t i = 5; i < names.size(); ++i) {
      absl::StrAppend(&constants, std::string(names[i]), "=",
                      absl::StrFormat("%.6g ", fit->law.coefficients()[i]));
    }
    if (json_out) {
      json::Json row = {{"variant", v.name}, {"label", v.label}, {"paper_r2", v.paper_r2},
                        {"r2_at_paper_constants", at_paper.r2}};
      // The paper publishes no objective for some variants: the field is absent, not NaN.
      if (!std::isnan(v.paper_objective)) row["paper_objective"] = v.paper_objective;
      row["objective_at_paper_constants"] = objective_at_paper;
      row["refit_r2_on_r2_runs"] = Evaluate(fit->law, *r2_runs).r2;
      json::Json refit = json::Json::object();
      AddFitFieldsJson(*fit, &refit);
      row["refit"] = std::move(refit);
      rows.push_back(std::move(row));
    } else {
      const std::string paper_objective = std::isnan(v.paper_objective)
                                              ? "-"
                                              : absl::StrFormat("%.8g", v.paper_objective);
      std::cout << absl::StrFormat("%-24s %8.4f %8.4f %12s %12.8g | %12.8g %8.4f %s(%d minima%s)\n",
                                   v.label, v.paper_r2, at_paper.r2, paper_objective,
                                   objective_at_paper, fit->evaluation.objective,
                                   Evaluate(fit->law, *r2_runs).r2, constants,
                                   static_cast<int>(fit->minima.size()),
                                   fit->converged ? "" : ", NOT CONVERGED");
    }
  }
  if (json_out) PrintJson(rows);
  return all_converged ? 0 : 3;
}

int Main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);  // Ceres' warnings only with --verbose
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  const bool json_out = absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson;
  const int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 1 || threads > 256) cli::UsageError("--threads: must be in [1, 256]");
  std::string runs_path = paths::UserPath(absl::GetFlag(FLAGS_runs));
  if (runs_path.empty()) {  // the paper's released runs (laws/released_runs.h)
    absl::StatusOr<std::string> released = ReleasedRunsCsv();
    if (!released.ok()) cli::UsageError(std::string(released.status().message()));
    runs_path = *released;
  }
  if (!absl::GetFlag(FLAGS_table1).empty()) {
    return RunTable1(absl::GetFlag(FLAGS_table1), runs_path, threads, json_out);
  }

  // Options.
  FitOptions options;
  const std::optional<Form> form = FormFromName(absl::GetFlag(FLAGS_law));
  if (!form) cli::UsageError("--law: unknown form '" + absl::GetFlag(FLAGS_law) + "'");
  options.form = *form;
  options.fixed = absl::GetFlag(FLAGS_fixed);
  options.tie_alpha_beta = absl::GetFlag(FLAGS_tie_alpha_beta);
  options.num_threads = threads;
  options.max_iterations = absl::GetFlag(FLAGS_max_iterations);
  options.boundary_probes = absl::GetFlag(FLAGS_boundary_probes);
  options.max_starts = absl::GetFlag(FLAGS_max_starts);
  const std::string init = absl::GetFlag(FLAGS_init);
  if (init != "paper") {
    absl::StatusOr<Law> law = ReadLawFile(paths::UserPath(init));
    if (!law.ok()) Fail(law.status(), "init");
    options.init = *law;
  }
  options.grid = ParseGrid(absl::GetFlag(FLAGS_grid));
  const std::string objective = absl::GetFlag(FLAGS_objective);
  if (objective == "huber_mle") {
    options.objective = FitOptions::Objective::kHuberMle;
  } else if (objective != "huber") {
    cli::UsageError("--objective: must be huber or huber_mle");
  }
  const std::string method = absl::GetFlag(FLAGS_method);
  if (method == "lm") {
    options.method = FitOptions::Method::kLevenbergMarquardt;
  } else if (method != "bfgs") {
    cli::UsageError("--method: must be bfgs or lm");
  }
  std::string error;
  if (!options.IsValid(&error)) cli::UsageError("--" + error);

  BootstrapOptions boot_options;
  boot_options.num_resamples = absl::GetFlag(FLAGS_bootstrap);
  boot_options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  boot_options.confidence = absl::GetFlag(FLAGS_confidence);
  boot_options.num_threads = threads;
  boot_options.restart_from_grid = absl::GetFlag(FLAGS_bootstrap_from_grid);
  for (double flops : absl::GetFlag(FLAGS_budgets).values) {
    if (!(flops > 0)) cli::UsageError(absl::StrCat("--budgets: ", flops, " is not positive"));
    boot_options.budgets_flops.push_back(flops);
  }
  if (absl::GetFlag(FLAGS_bootstrap) < 0) cli::UsageError("--bootstrap: must be >= 0");
  if (!absl::GetFlag(FLAGS_ci_out).empty() && boot_options.num_resamples == 0) {
    cli::UsageError("--ci_out: needs --bootstrap=N");
  }
  if (boot_options.num_resamples > 0 && !boot_options.IsValid(&error)) cli::UsageError("--" + error);
  std::optional<HeldOutSplit> split;
  if (!absl::GetFlag(FLAGS_holdout).empty()) {
    absl::StatusOr<HeldOutSplit> parsed = ParseHeldOutSplit(absl::GetFlag(FLAGS_holdout));
    if (!parsed.ok()) Fail(parsed.status(), "holdout");
    split = *parsed;
  }
  const bool profile = absl::GetFlag(FLAGS_profile) || !absl::GetFlag(FLAGS_profile_out).empty();
  if (profile) {
    const auto& names = Info(options.form).coefficients;
    if (std::find(names.begin(), names.end(), "rn_star") == names.end() ||
        std::find(names.begin(), names.end(), "rd_star") == names.end()) {
      cli::UsageError("--profile: form " + absl::GetFlag(FLAGS_law) + " has no rd_star and rn_star");
    }
  }

  // Data and fit.
  absl::StatusOr<RunTable> table = ReadRunTableCsv(runs_path);
  if (!table.ok()) Fail(table.status(), "runs");
  if (!absl::GetFlag(FLAGS_subset).empty()) {
    table = ReadRunTableCsv(runs_path, absl::GetFlag(FLAGS_subset));
    if (!table.ok()) Fail(table.status(), "subset");
  }
  const std::vector<RunPoint>& runs = table->runs();
  absl::StatusOr<FitSummary> fit = Fit(runs, options);
  if (!fit.ok()) {
    if (absl::IsInvalidArgument(fit.status())) Fail(fit.status());
    std::cerr << "fit: " << fit.status().message() << "\n";
    return 3;
  }
  std::optional<BootstrapSummary> boot;
  if (boot_options.num_resamples > 0) {
    absl::StatusOr<BootstrapSummary> b = Bootstrap(runs, options, *fit, boot_options);
    if (!b.ok()) {
      std::cerr << "fit: " << b.status().message() << "\n";
      return 3;
    }
    boot = std::move(*b);
    if (!absl::GetFlag(FLAGS_ci_out).empty()) {
      const Result written = io::WriteFileAtomically(paths::UserPath(absl::GetFlag(FLAGS_ci_out)), boot->ToCsv());
      if (!written.ok()) cli::UsageError("--ci_out: " + written.message());
    }
  }
  std::optional<DecayProfile> prof;
  if (profile) {
    // Other free coefficients (if any) are re-optimised at every grid point.
    absl::StatusOr<DecayProfile> p =
        ProfileDecayConstantsRefit(fit->law, runs, options, ProfileOptions{});
    if (!p.ok()) Fail(p.status(), "profile");
    prof = std::move(*p);
    if (!absl::GetFlag(FLAGS_profile_out).empty()) {
      const Result written = io::WriteFileAtomically(paths::UserPath(absl::GetFlag(FLAGS_profile_out)), prof->ToCsv());
      if (!written.ok()) cli::UsageError("--profile_out: " + written.message());
    }
  }
  std::optional<HeldOutSummary> heldout;
  if (split) {
    absl::StatusOr<HeldOutSummary> h = FitHeldOut(runs, options, *split);
    if (!h.ok()) Fail(h.status(), "holdout");
    heldout = std::move(*h);
  }
  if (!absl::GetFlag(FLAGS_out).empty()) {
    if (!fit->converged) {
      std::cerr << "fit: not writing --out: the fit did not converge\n";
    } else {
      proto::Law proto = LawToProto(
          fit->law, absl::StrFormat("laws/fit on %s%s (%d runs), objective %.10g, R^2 %.6f",
                                    runs_path,
                                    absl::GetFlag(FLAGS_subset).empty()
                                        ? ""
                                        : " [" + absl::GetFlag(FLAGS_subset) + "]",
                                    fit->evaluation.n_runs, fit->evaluation.objective,
                                    fit->evaluation.r2));
      if (boot) {
        for (const Law& sample : boot->samples) {
          proto::CoefficientSample* s = proto.add_bootstrap_sample();
          for (int i = 0; i < sample.NumCoefficients(); ++i) s->add_value(sample.coefficients()[i]);
        }
      }
      const Result written = io::WriteFileAtomically(paths::UserPath(absl::GetFlag(FLAGS_out)), LawToText(proto));
      if (!written.ok()) cli::UsageError("--out: " + written.message());
    }
  }

  // Output.
  if (json_out) {
    json::Json doc = json::Json::object();
    AddFitFieldsJson(*fit, &doc);
    if (boot) doc["ci"] = BootstrapJson(*boot);
    if (prof) doc["profile"] = ProfileJson(*prof);
    if (heldout) doc["holdout"] = HeldOutJson(*heldout);
    PrintJson(doc);
  } else {
    std::cout << fit->FullReport();
    if (boot) std::cout << boot->Report();
    if (prof) std::cout << prof->Report();
    if (heldout) std::cout << heldout->Report();
  }
  if (!fit->converged) {
    std::cerr << "fit: the best point did not converge (shown above, marked NOT CONVERGED)\n";
    return 3;
  }
  return 0;
}

}  // namespace
}  // namespace datawall::laws

int main(int argc, char** argv) { return datawall::laws::Main(argc, argv); }
