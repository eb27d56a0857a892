// Section "Table 1": the paper's comparison of parametric fits, regenerated from runs.csv.
//
// For each of the seven variants (laws/paper_fits.h): our fit with the paper's recipe, R^2 at our
// fit and at the paper's constants (both on the 182 fit-set runs, as the paper), the v4 R^2
// recomputed with the bug it had (U_N x epochs passed as N), the published values (paper::kTable1)
// beside them,
// bootstrap CIs of the fitted decay constants, and the (R_D*, R_N*) ridge of Eq. 14.
// Not here: the fitting itself (laws/), rendering (writers), other sections.
#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/allocation.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/paper_fits.h"
#include "laws/profile.h"
#include "paper/paper.h"
#include "reports/format.h"
#include "reports/sections.h"

namespace datawall::reports {
namespace {

// R^2 as the v4 notebook computed it: scaling_law(U_N (R_D + 1), U (R_D + 1), U), i.e. the
// parameter count replaced by U_N x epochs (why Table 1's R^2 changed in the later version).
double BuggyV4R2(const laws::Law& law, const std::vector<laws::RunPoint>& runs) {
  const double g = laws::AllocationG(law);
  const double ratio = law.coefficient("beta") / law.coefficient("alpha");
  double mean = 0;
  for (const auto& r : runs) mean += r.val_loss;
  mean /= runs.size();
  double ss_res = 0, ss_tot = 0;
  for (const auto& r : runs) {
    const double u = std::min(r.unique_tokens, r.tokens);
    const double u_n = std::min(r.params, g * std::pow(g * u, ratio));
    const double epochs = r.tokens / u;
    const double pred = law.Loss(u_n * epochs, u * epochs, u);
    ss_res += (r.val_loss - pred) * (r.val_loss - pred);
    ss_tot += (r.val_loss - mean) * (r.val_loss - mean);
  }
  return 1 - ss_res / ss_tot;
}

// The two decay-constant slots of a form, as (name of R_D*-slot, name of R_N*-slot); "" = none.
std::pair<std::string, std::string> DecaySlots(laws::Form form) {
  switch (form) {
    case laws::Form::kDecayParamsOnly: return {"", "rn_star"};
    case laws::Form::kDecayDataOnly: return {"rd_star", ""};
    case laws::Form::kGeometric: return {"delta_d", "delta_n"};
    case laws::Form::kDataConstrained:
    case laws::Form::kExplicitExponential:
    case laws::Form::kAlphaBetaDecay: return {"rd_star", "rn_star"};
    default: return {"", ""};
  }
}

std::string Constant(double v) {
  if (!std::isfinite(v)) return "–";
  if (std::fabs(v) >= 1e5) return Sci(v, 3);
  if (std::fabs(v) >= 1000) return Fixed(v, 3);
  if (std::fabs(v) >= 0.1) return Fixed(v, 4);
  return absl::StrFormat("%.4g", v);
}

std::string WithInterval(double v, const laws::Interval* ci) {
  if (!std::isfinite(v)) return "–";
  std::string s = Constant(v);
  if (ci != nullptr) s += " [" + Constant(ci->lower) + ", " + Constant(ci->upper) + "]";
  return s;
}

struct VariantResult {
  const laws::PaperVariant* variant = nullptr;
  const paper::Table1Row* published = nullptr;  // its row of the paper's Table 1
  int n_fit_runs = 0;
  double r2_paper_constants = NAN;
  double r2_our_fit = NAN;
  double r2_v4_bug = NAN;
  double objective_paper_constants = NAN;
  double objective_our_fit = NAN;
  double r_d = NAN, r_n = NAN;  // our fitted decay constants
  std::map<std::string, laws::Interval> intervals;
  int bootstrap_ok = 0, bootstrap_failed = 0;
  double fit_seconds = 0, bootstrap_seconds = 0;
  int num_minima = 0;
  bool converged = false;
  std::string problem;
  std::optional<laws::Law> fitted;
  std::vector<laws::Law> samples;
};

}  // namespace

void AddTable1Section(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Table 1: parametric fits regenerated", "table-1");
  doc->Paragraph(absl::StrCat(
      "Every variant is refitted from `", inputs->runs_source,
      "` with the paper's recipe (laws/paper_fits.h): a, b, e, alpha = beta frozen at the App. B "
      "values, only the decay constants free, Huber (delta = 1e-3) on log losses, Ceres from a "
      "grid of starts, on the ",
      inputs->fit_set->size(), " `in_fit_set` runs (Eq. 22: all ", inputs->runs->size(),
      " runs). R² is always computed on the ", inputs->fit_set->size(),
      " fit-set runs, as the paper's corrected notebook does. Bootstrap intervals: ",
      inputs->options.bootstrap_resamples,
      " resamples of the fitted runs, refitted from the full fit's best minima, 95% percentile "
      "intervals (seed ",
      inputs->options.seed, ")."));

  const auto& variants = laws::PaperTable1();
  std::vector<VariantResult> results;
  for (const laws::PaperVariant& v : variants) {
    VariantResult res;
    res.variant = &v;
    res.published = paper::FindTable1Row(v.name);
    absl::StatusOr<std::vector<laws::RunPoint>> runs = laws::PaperVariantRuns(v, *inputs->runs);
    if (!runs.ok()) {
      res.problem = std::string(runs.status().message());
      results.push_back(std::move(res));
      continue;
    }
    res.n_fit_runs = static_cast<int>(runs->size());
    const std::vector<laws::RunPoint>& fit_set = inputs->fit_set->runs();
    res.r2_paper_constants = laws::Evaluate(v.paper_law, fit_set).r2;
    res.objective_paper_constants = laws::Evaluate(v.paper_law, *runs).objective;
    res.r2_v4_bug = BuggyV4R2(v.paper_law, fit_set);
    absl::StatusOr<laws::FitSummary> fit =
        laws::FitPaperVariant(v, *inputs->runs, inputs->options.threads);
    if (!fit.ok()) {
      res.problem = std::string(fit.status().message());
      inputs->problems.push_back(absl::StrCat("Table 1 ", v.name, ": ", res.problem));
      results.push_back(std::move(res));
      continue;
    }
    res.fitted = fit->law;
    res.fit_seconds = fit->wall_seconds;
    res.num_minima = static_cast<int>(fit->minima.size());
    res.converged = fit->converged;
    res.r2_our_fit = laws::Evaluate(fit->law, fit_set).r2;
    res.objective_our_fit = fit->evaluation.objective;
    const auto [d_slot, n_slot] = DecaySlots(v.form);
    if (!d_slot.empty()) res.r_d = fit->law.coefficient(d_slot);
    if (!n_slot.empty()) res.r_n = fit->law.coefficient(n_slot);
    if (inputs->options.bootstrap_resamples > 0 && !fit->free_coefficients.empty()) {
      laws::BootstrapOptions bo;
      bo.num_resamples = inputs->options.bootstrap_resamples;
      bo.seed = inputs->options.seed;
      bo.num_threads = inputs->options.threads;
      absl::StatusOr<laws::BootstrapSummary> boot = laws::Bootstrap(*runs, v.options, *fit, bo);
      if (boot.ok()) {
        for (const laws::Interval& i : boot->intervals) res.intervals[i.name] = i;
        res.bootstrap_ok = static_cast<int>(boot->samples.size());
        res.bootstrap_failed = boot->num_failed;
        res.bootstrap_seconds = boot->wall_seconds;
        res.samples = boot->samples;
      } else {
        inputs->problems.push_back(absl::StrCat("Table 1 ", v.name, " bootstrap: ",
                                                std::string(boot.status().message())));
      }
    }
    if (v.form == laws::Form::kDataConstrained) {
      inputs->fitted_law = fit->law;
      inputs->bootstrap_samples = res.samples;
    }
    results.push_back(std::move(res));
  }

  // Table 1a: the R^2 column.
  Table r2;
  r2.id = "table-1-r2";
  r2.caption = "Table 1 — R² on the 182 fit-set runs: ours beside the paper's two columns";
  r2.header = {"Parametric fit",
               "R² at the paper's constants (ours, recomputed)",
               "R² at our fit (ours)",
               "paper R² (corrected)",
               "paper-constants R² = corrected to 4 dp?",
               "R² with the v4 bug (ours, recomputed)",
               "paper R² (v4 / NeurIPS, buggy)"};
  r2.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight,
              Align::kCenter, Align::kRight, Align::kRight};
  for (const VariantResult& res : results) {
    const double published = res.published ? res.published->r2_corrected : NAN;
    const bool match = std::isfinite(res.r2_paper_constants) &&
                       Fixed(res.r2_paper_constants, 4) == Fixed(published, 4);
    r2.rows.push_back({res.variant->label, Fixed(res.r2_paper_constants, 4),
                       Fixed(res.r2_our_fit, 4), Fixed(published, 4), match ? "yes" : "**no**",
                       Fixed(res.r2_v4_bug, 4),
                       res.published && std::isfinite(res.published->r2_v4)
                           ? Fixed(res.published->r2_v4, 4)
                           : "– (notebook: −4701.95)"});
  }
  r2.note =
      "\"At the paper's constants\": the law with the published (notebook-precision) constants "
      "evaluated on the released losses. \"At our fit\": the same form with our refitted decay "
      "constants. The v4 bug passed U_N × epochs as the parameter count. Paper columns: Table 1 "
      "of v4 / NeurIPS and of the later version.";
  doc->AddTable(r2);
  for (const VariantResult& res : results) {
    if (res.variant->form == laws::Form::kDataConstrained && res.fitted &&
        std::isfinite(res.objective_our_fit)) {
      doc->Paragraph(absl::StrFormat(
          "Our Eq. 14 fit reaches a lower objective (%.6f) than the paper's constants (%.6f) at "
          "R_D* = %.4g, R_N* = %.4g, and a higher R² (%.4f vs %.4f): the paper's LBFGS stopped "
          "on a nearly flat ridge (see the profile below), where many (R_D*, R_N*) pairs fit "
          "almost equally well. The R² acceptance column therefore reproduces the paper at its "
          "own constants; our fit is reported beside it, not instead of it.",
          res.objective_our_fit, res.objective_paper_constants, res.r_d, res.r_n, res.r2_our_fit,
          res.r2_paper_constants));
    }
    if (res.variant->form == laws::Form::kDecayParamsOnly && res.fitted) {
      doc->Paragraph(absl::StrFormat(
          "\"Only decay N\" differs most: the notebook's fit objective used the unique tokens "
          "U_D in the data term while its R² cell used D; our form uses D in both, as the R² cell "
          "does, and finds R_N* = %.4g (objective %.6f, R² %.4f) instead of %.7g.",
          res.r_n, res.objective_our_fit, res.r2_our_fit,
          paper::FindTable1Row("decay_params_only")->rn_slot));
    }
  }

  // Table 1b: the constants and objectives.
  Table k;
  k.id = "table-1-constants";
  k.caption = "Table 1 — fitted decay constants (ours, 95% bootstrap CI) beside the paper's";
  k.header = {"Parametric fit", "runs fitted", "R_D* (ours)", "R_N* (ours)", "objective (ours)",
              "paper R_D* / R_N* (as printed)", "objective at the paper's constants",
              "paper objective", "minima / converged"};
  k.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight, Align::kRight,
             Align::kRight, Align::kRight, Align::kRight, Align::kCenter};
  for (const VariantResult& res : results) {
    const auto [d_slot, n_slot] = DecaySlots(res.variant->form);
    auto ci = [&](const std::string& slot) -> const laws::Interval* {
      auto it = res.intervals.find(slot);
      return it == res.intervals.end() ? nullptr : &it->second;
    };
    k.rows.push_back(
        {res.variant->label, std::to_string(res.n_fit_runs),
         d_slot.empty() ? "–" : WithInterval(res.r_d, ci(d_slot)),
         n_slot.empty() ? "–" : WithInterval(res.r_n, ci(n_slot)),
         res.problem.empty() ? absl::StrFormat("%.6f", res.objective_our_fit) : res.problem,
         res.published ? std::string(res.published->printed_constants) : "",
         absl::StrFormat("%.6f", res.objective_paper_constants),
         res.published && std::isfinite(res.published->objective)
             ? absl::StrFormat("%.6f", res.published->objective)
             : "–",
         res.fitted ? absl::StrCat(res.num_minima, " / ", res.converged ? "yes" : "no") : "–"});
  }
  k.note =
      "Eq. 10's constants are the decay rates delta_D, delta_N (R* ≈ 1/delta). Objectives: sum of "
      "Huber(1e-3) on log-loss residuals (the paper's). Eq. 22 is fitted on all runs, so its "
      "objective is over 296 runs. Paper columns: Table 1 (objectives at the fits' printed "
      "precision).";
  doc->AddTable(k);

  // Timing, for the record.
  std::vector<std::string> timing;
  for (const VariantResult& res : results) {
    if (!res.fitted) continue;
    timing.push_back(absl::StrFormat("%s: fit %.2f s, bootstrap %d resamples (%d failed) %.2f s",
                                     res.variant->name, res.fit_seconds, res.bootstrap_ok,
                                     res.bootstrap_failed, res.bootstrap_seconds));
  }
  if (!timing.empty()) {
    doc->Paragraph("Fit and bootstrap times (this run, " +
                   std::to_string(inputs->options.threads) + " threads):");
    doc->List(timing);
  }

  // The (R_D*, R_N*) ridge of Eq. 14.
  doc->Heading(3, "The (R_D*, R_N*) ridge of Eq. 14", "ridge");
  const laws::Law center = inputs->fitted_law.value_or(inputs->paper_law);
  laws::ProfileOptions po;
  po.rd_star_min = 1;
  po.rd_star_max = 1000;
  po.rd_star_points = 61;
  po.rn_star_min = 0.5;
  po.rn_star_max = 200;
  po.rn_star_points = 61;
  po.near_optimal = 0.01;
  absl::StatusOr<laws::DecayProfile> profile =
      laws::ProfileDecayConstants(center, inputs->fit_set->runs(), po);
  if (!profile.ok()) {
    inputs->problems.push_back(absl::StrCat("profile: ", std::string(profile.status().message())));
    doc->Note(absl::StrCat("The profile could not be computed: ",
                           std::string(profile.status().message())));
    return;
  }
  doc->Paragraph(absl::StrFormat(
      "The Huber objective of Eq. 14 on a %d × %d log grid of (R_D*, R_N*) (a, b, e, alpha, beta "
      "at the App. B values) has its grid minimum %.6f at R_D* = %.3g, R_N* = %.3g; %d grid "
      "points are within 1%% of it. Along the ridge (for each R_D*, the best R_N*) the objective "
      "barely changes over a wide band of R_D*: the data pin down a combination of the two "
      "constants better than either one, which is why the bootstrap intervals below are wide "
      "and correlated.",
      po.rd_star_points, po.rn_star_points, profile->min_objective, profile->argmin_rd_star,
      profile->argmin_rn_star, profile->num_near_optimal));

  Plot ridge;
  ridge.title = "Eq. 14: where the fit can put (R_D*, R_N*)";
  ridge.x_label = "R_D* (repetitions of data; log scale)";
  ridge.y_label = "R_N* (excess parameters / U_N; log scale)";
  ridge.log_x = ridge.log_y = true;
  ridge.x_range = std::make_pair(po.rd_star_min, 3000.0);
  ridge.y_range = std::make_pair(0.05, po.rn_star_max);
  ridge.key = "bottom left";
  Series near;
  near.title = "grid points within 1% of the minimum objective";
  near.style = Series::kPoints;
  near.point_type = 5;
  near.point_size = 0.5;
  near.color = "#C9D7EE";
  const size_t nn = profile->rn_star.size();
  for (size_t i = 0; i < profile->rd_star.size(); ++i) {
    for (size_t j = 0; j < nn; ++j) {
      if (profile->objective[i * nn + j] <= profile->min_objective * (1 + po.near_optimal)) {
        near.x.push_back(profile->rd_star[i]);
        near.y.push_back(profile->rn_star[j]);
      }
    }
  }
  Series boot;
  boot.title = absl::StrCat("bootstrap refits (", inputs->bootstrap_samples.size(), ")");
  boot.style = Series::kPoints;
  boot.point_type = 7;
  boot.point_size = 0.45;
  boot.color = "#E69F00";
  for (const laws::Law& s : inputs->bootstrap_samples) {
    boot.x.push_back(s.coefficient("rd_star"));
    boot.y.push_back(s.coefficient("rn_star"));
  }
  Series line;
  line.title = "ridge: best R_N* for each R_D*";
  line.x = profile->rd_star;
  line.y = profile->ridge_rn_star;
  line.color = "#0072B2";
  Series ours;
  ours.title = "our fit";
  ours.style = Series::kPoints;
  ours.point_type = 9;
  ours.point_size = 1.8;
  ours.color = "#D55E00";
  if (inputs->fitted_law) {
    ours.x = {inputs->fitted_law->coefficient("rd_star")};
    ours.y = {inputs->fitted_law->coefficient("rn_star")};
  }
  Series paper_point;
  paper_point.title = absl::StrFormat("paper (%.2f, %.2f)", paper::kRdStar, paper::kRnStar);
  paper_point.style = Series::kPoints;
  paper_point.point_type = 3;
  paper_point.point_size = 2.2;
  paper_point.color = "#000000";
  paper_point.x = {paper::kRdStar};
  paper_point.y = {paper::kRnStar};
  ridge.series = {near, boot, line, ours, paper_point};
  AddPlot(inputs, doc, "ridge", ridge,
          "The near-optimal region of the Eq. 14 objective over (R_D*, R_N*) on the 182 fit-set "
          "runs, the ridge line, our fit, the paper's constants, and the bootstrap refits.");

  Plot excess;
  excess.title = "Objective along the ridge";
  excess.x_label = "R_D* (repetitions; log scale)";
  excess.y_label = "objective excess over the minimum (%)";
  excess.log_x = true;
  excess.key = "off";
  Series ex;
  ex.x = profile->rd_star;
  for (double o : profile->ridge_objective) {
    ex.y.push_back(100 * (o / profile->min_objective - 1));
  }
  ex.style = Series::kLinesPoints;
  ex.point_size = 0.5;
  excess.series = {ex};
  excess.height = 340;
  AddPlot(inputs, doc, "ridge-objective", excess,
          "The profiled objective (R_N* optimised for each R_D*), relative to its minimum.");
}

}  // namespace datawall::reports
