#include "laws/paper_fits.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "paper/paper.h"

namespace datawall::laws {
namespace {

// A row of Table 1 with the paper's recipe: a, b, e, alpha, beta frozen at App. B, the decay
// constants started from `grid` (empty: DefaultGrid's).
PaperVariant Make(std::string_view id, std::map<std::string, std::vector<double>> grid) {
  const paper::Table1Row& row = *paper::FindTable1Row(id);
  PaperVariant v;
  v.name = std::string(row.id);
  v.label = std::string(row.label);
  v.form = *FormFromName(row.form);
  v.subset = row.fit_on_all_runs ? "" : "in_fit_set";
  v.paper_law = PaperTable1Law(row);
  v.paper_r2 = row.r2_corrected;
  v.paper_objective = row.objective;
  v.options.form = v.form;
  v.options.fixed = {"a", "b", "e", "alpha", "beta"};
  v.options.grid = std::move(grid);
  return v;
}

}  // namespace

const std::vector<PaperVariant>& PaperTable1() {
  static const auto* table = [] {
    // App. A's grid for the decay constants ({0, 4, ..., 20}; App. F's for Eq. 22), as
    // DefaultGrid gives them.
    auto grid = [](Form form, const std::string& name) { return DefaultGrid(form, name); };
    auto* t = new std::vector<PaperVariant>;
    t->push_back(Make("no_decay", {}));
    t->push_back(Make("decay_params_only",
                      {{"rn_star", grid(Form::kDecayParamsOnly, "rn_star")}}));
    t->push_back(Make("decay_data_only", {{"rd_star", grid(Form::kDecayDataOnly, "rd_star")}}));
    t->push_back(Make("eq14", {{"rd_star", grid(Form::kDataConstrained, "rd_star")},
                               {"rn_star", grid(Form::kDataConstrained, "rn_star")}}));
    // The notebook's grids for Eq. 10 and 18 are not recorded; DefaultGrid's are used.
    t->push_back(Make("geometric", {}));
    t->push_back(Make("explicit_exponential", {}));
    t->push_back(Make("alpha_beta_decay", {{"rd_star", grid(Form::kAlphaBetaDecay, "rd_star")},
                                           {"rn_star", grid(Form::kAlphaBetaDecay, "rn_star")}}));
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
