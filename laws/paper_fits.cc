#include "laws/paper_fits.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace datawall::laws {
namespace {

std::vector<double> Linspace(double lo, double hi, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * i / (n - 1);
  return v;
}

PaperVariant Make(std::string name, std::string label, Form form, std::string subset, double r2,
                  double objective, std::map<std::string, std::vector<double>> grid) {
  PaperVariant v;
  v.name = std::move(name);
  v.label = std::move(label);
  v.form = form;
  v.subset = std::move(subset);
  v.paper_law = DefaultInit(form);  // DefaultInit holds the Table 1 constants of every form
  v.paper_r2 = r2;
  v.paper_objective = objective;
  v.options.form = form;
  v.options.fixed = {"a", "b", "e", "alpha", "beta"};
  v.options.grid = std::move(grid);
  return v;
}

}  // namespace

const std::vector<PaperVariant>& PaperTable1() {
  static const auto* table = [] {
    const std::vector<double> r_grid = Linspace(0, 20, 6);  // the paper's {0, 4, ..., 20}
    auto* t = new std::vector<PaperVariant>;
    t->push_back(Make("no_decay", "No decay", Form::kNoDecay, "in_fit_set", 0.4452, std::nan(""),
                      {}));
    t->push_back(Make("decay_params_only", "Eq. 14 but only decay N", Form::kDecayParamsOnly,
                      "in_fit_set", 0.4488, 0.024107778444886208, {{"rn_star", r_grid}}));
    t->push_back(Make("decay_data_only", "Eq. 14 but only decay D", Form::kDecayDataOnly,
                      "in_fit_set", 0.7354, 0.016922350972890854, {{"rd_star", r_grid}}));
    t->push_back(Make("eq14", "Eq. 14", Form::kDataConstrained, "in_fit_set", 0.7722,
                      0.015825936570763588, {{"rd_star", r_grid}, {"rn_star", r_grid}}));
    // The notebook's grids for Eq. 10 and 18 are not recorded; DefaultGrid's are used.
    t->push_back(Make("geometric", "Eq. 10 for both N and D", Form::kGeometric, "in_fit_set",
                      0.7988, 0.015477441251277924, {}));
    t->push_back(Make("explicit_exponential", "Eq. 18 for both N and D",
                      Form::kExplicitExponential, "in_fit_set", 0.7987, 0.015477441251277924, {}));
    t->push_back(Make("alpha_beta_decay", "Eq. 22", Form::kAlphaBetaDecay, "", 0.5110, 0.0596,
                      {{"rd_star", Linspace(0, 100000, 50)}, {"rn_star", Linspace(0, 100000, 50)}}));
    return t;
  }();
  return *table;
}

absl::StatusOr<PaperVariant> FindPaperVariant(const std::string& name) {
  std::vector<std::string> names;
  for (const PaperVariant& v : PaperTable1()) {
    if (v.name == name) return v;
    names.push_back(v.name);
  }
  return absl::InvalidArgumentError(absl::StrCat("no Table 1 variant '", name, "' (one of ",
                                                 absl::StrJoin(names, ", "), ")"));
}

absl::StatusOr<std::vector<RunPoint>> PaperVariantRuns(const PaperVariant& variant,
                                                       const RunTable& all_runs) {
  if (variant.subset.empty()) return all_runs.runs();
  absl::StatusOr<RunTable> subset = all_runs.Subset(variant.subset);
  if (!subset.ok()) return subset.status();
  return subset->runs();
}

absl::StatusOr<std::vector<RunPoint>> PaperVariantR2Runs(const PaperVariant& variant,
                                                         const RunTable& all_runs) {
  if (variant.r2_subset.empty()) return all_runs.runs();
  absl::StatusOr<RunTable> subset = all_runs.Subset(variant.r2_subset);
  if (!subset.ok()) return subset.status();
  return subset->runs();
}

absl::StatusOr<FitSummary> FitPaperVariant(const PaperVariant& variant, const RunTable& all_runs,
                                           int num_threads) {
  absl::StatusOr<std::vector<RunPoint>> runs = PaperVariantRuns(variant, all_runs);
  if (!runs.ok()) return runs.status();
  if (Info(variant.form).coefficients.size() == variant.options.fixed.size()) {
    FitSummary summary;
    summary.law = variant.paper_law;
    summary.evaluation = Evaluate(variant.paper_law, *runs, variant.options.huber_delta);
    LocalMinimum only;
    only.law = variant.paper_law;
    only.objective = summary.evaluation.objective;
    only.converged = true;
    summary.minima.push_back(only);
    summary.converged = true;
    for (const RunPoint& run : *runs) summary.run_keys.push_back(run.key);
    return summary;
  }
  FitOptions options = variant.options;
  options.num_threads = num_threads;
  return Fit(*runs, options);
}

}  // namespace datawall::laws
