// Experiment summaries (see summary.h).
#include "experiments/analysis/summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "experiments/analysis/filter_arms.h"
#include "experiments/analysis/shift_ablation.h"
#include "experiments/records/message_json.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/law.h"
#include "paper/paper.h"
#include "sim/allocate.h"

namespace datawall::analysis {
namespace {

using experiments::EpochCheck;
using experiments::ExperimentSpec;
using experiments::FrontierPoint;
using experiments::LawFit;
using experiments::SummaryRun;
using experiments::SweepPlan;

struct MeanStd {
  double mean = 0, std = 0;
  int n = 0;
};

MeanStd Stats(const std::vector<double>& v) {
  MeanStd s;
  s.n = static_cast<int>(v.size());
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= v.size();
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.std = std::sqrt(ss / (v.size() - 1));
  }
  return s;
}

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

// The paper's final-test-loss change from 1 to 4 epochs at equal compute for the IsoFLOP family
// an experiment reproduces (§6; paper::kIsoFlopFamilies), 0 for any other experiment.
double PaperFourEpochChange(const std::string& experiment) {
  constexpr std::string_view kPrefix = "return_isoflop_";
  if (experiment.rfind(kPrefix, 0) != 0) return 0;
  const paper::IsoFlopFamily* family =
      paper::FindIsoFlopFamily(std::string_view(experiment).substr(kPrefix.size()));
  return family ? family->four_epoch_change : 0;
}

std::vector<laws::RunPoint> FitPoints(const ExperimentSummary& s) {
  std::vector<laws::RunPoint> points;
  for (const SummaryRun& r : s.runs()) {
    if (!r.complete() || !(r.final_val_loss() > 0)) continue;
    laws::RunPoint p;
    p.key = r.name();
    p.params = static_cast<double>(r.params());
    p.tokens = static_cast<double>(r.total_tokens());
    p.unique_tokens = static_cast<double>(r.unique_tokens());
    p.val_loss = r.final_val_loss();
    points.push_back(p);
  }
  return points;
}

// Fits the data-constrained law; returns the law when the fit succeeded.
std::optional<laws::Law> FitLaw(const ExperimentSpec& spec, const SummaryOptions& options,
                                ExperimentSummary* s) {
  LawFit* fit = s->mutable_fit();
  fit->set_form("data_constrained");
  if (!options.fit_law) {
    fit->set_status("not fitted: disabled");
    return std::nullopt;
  }
  if (spec.kind() == experiments::CODE_MIXING) {
    fit->set_status("not fitted: the law has no term for a second data source");
    return std::nullopt;
  }
  if (spec.kind() == experiments::DATA_FILTERING) {
    fit->set_status("not fitted: the law has no term for data quality (the arms differ in it)");
    return std::nullopt;
  }
  const std::vector<laws::RunPoint> points = FitPoints(*s);
  std::set<std::tuple<double, double, double>> distinct;
  for (const auto& p : points) distinct.insert({p.params, p.tokens, p.unique_tokens});
  fit->set_n_runs(static_cast<int>(points.size()));
  if (static_cast<int>(distinct.size()) < options.min_runs_for_fit) {
    fit->set_status(absl::StrCat("not fitted: ", distinct.size(),
                                 " complete runs with distinct (N, D, U), need ",
                                 options.min_runs_for_fit));
    return std::nullopt;
  }
  laws::FitOptions fo;
  fo.form = laws::Form::kDataConstrained;
  fo.tie_alpha_beta = true;
  fo.num_threads = std::max(1, options.threads);
  std::string method;
  if (spec.kind() == experiments::ALLOCATION) {
    // Sizes and epochs both vary: every coefficient is free (alpha = beta as in App. B).
    fo.grid = {{"a", {0, 5, 10}},        {"b", {0, 5, 10}},       {"e", {-1, 0, 1}},
               {"alpha", {0.2, 0.5, 1}}, {"rd_star", {1, 5, 20}}, {"rn_star", {1, 5, 20}}};
    method = "free a, b, e, alpha = beta, R_D*, R_N*; 729 starts";
  } else {
    // One model size: exponents and R_N* are not identifiable; held at the paper's values.
    fo.fixed = {"alpha", "beta", "rn_star"};
    fo.tie_alpha_beta = false;
    fo.grid = {{"a", {0, 5, 10}}, {"b", {0, 5, 10}}, {"e", {-1, 0, 1}}, {"rd_star", {1, 5, 20, 60}}};
    method = "one model size: alpha = beta and R_N* held at the paper's values; free a, b, e, R_D*; "
             "108 starts";
  }
  absl::StatusOr<laws::FitSummary> full = laws::Fit(points, fo);
  if (!full.ok()) {
    fit->set_status(absl::StrCat("not fitted: ", full.status().message()));
    return std::nullopt;
  }
  fit->set_status("fitted");
  fit->set_converged(full->converged);
  fit->set_r2(full->evaluation.r2);
  fit->set_rmse_log(full->evaluation.rmse_log);
  std::map<std::string, laws::Interval> intervals;
  if (options.bootstrap_resamples > 0) {
    laws::BootstrapOptions bo;
    bo.num_resamples = options.bootstrap_resamples;
    bo.seed = options.bootstrap_seed;
    bo.num_threads = std::max(1, options.threads);
    bo.confidence = options.confidence;
    absl::StatusOr<laws::BootstrapSummary> boot = laws::Bootstrap(points, fo, *full, bo);
    if (boot.ok()) {
      for (const laws::Interval& i : boot->intervals) intervals[i.name] = i;
      fit->set_bootstrap_resamples(boot->num_resamples - boot->num_failed);
      fit->set_confidence(options.confidence);
      absl::StrAppend(&method, "; ", options.bootstrap_resamples, " bootstrap resamples over runs");
    } else {
      absl::StrAppend(&method, "; bootstrap failed: ", boot.status().message());
    }
  }
  fit->set_method(method);
  const laws::Law paper = laws::PaperLaw();
  for (std::string_view name : laws::Info(fo.form).coefficients) {
    const std::string n(name);
    auto* c = fit->add_coefficients();
    c->set_name(n);
    c->set_value(full->law.coefficient(n));
    c->set_paper_value(paper.coefficient(n));
    const bool fixed = std::find(fo.fixed.begin(), fo.fixed.end(), n) != fo.fixed.end();
    c->set_fixed(fixed);
    auto it = intervals.find(n == "beta" ? "alpha" : n);
    if (!fixed && it != intervals.end()) {
      c->set_lower(it->second.lower);
      c->set_upper(it->second.upper);
    }
  }
  return full->law;
}

void Frontier(const std::optional<laws::Law>& law, ExperimentSummary* s) {
  std::vector<const SummaryRun*> runs;
  for (const SummaryRun& r : s->runs()) {
    if (r.complete()) runs.push_back(&r);
  }
  std::sort(runs.begin(), runs.end(), [](const SummaryRun* a, const SummaryRun* b) {
    return a->flops() != b->flops() ? a->flops() < b->flops() : a->final_val_loss() < b->final_val_loss();
  });
  double best = INFINITY;
  for (const SummaryRun* r : runs) {
    if (!(r->final_val_loss() < best)) continue;
    best = r->final_val_loss();
    FrontierPoint* p = s->add_frontier();
    p->set_flops(r->flops());
    p->set_run(r->name());
    p->set_params(r->params());
    p->set_epochs(r->epochs());
    p->set_loss(r->final_val_loss());
    if (law) {
      absl::StatusOr<sim::Allocation> a = sim::Allocate(*law, r->flops(), r->unique_tokens());
      if (a.ok()) {
        p->set_law_params(a->params);
        p->set_law_epochs(a->epochs);
        p->set_law_loss(a->loss);
      }
    }
  }
}

// Mean final loss over seeds of the complete runs matching `pred`.
template <typename Pred>
MeanStd LossOf(const ExperimentSummary& s, Pred pred) {
  std::vector<double> v;
  for (const SummaryRun& r : s.runs()) {
    if (r.complete() && pred(r)) v.push_back(r.final_val_loss());
  }
  return Stats(v);
}

void AddCheck(const std::string& name, double epochs, const MeanStd& a, double ref_epochs,
              const MeanStd& ref, double paper, double law_change, const std::string& note,
              ExperimentSummary* s) {
  EpochCheck* c = s->add_checks();
  c->set_name(name);
  c->set_epochs(epochs);
  c->set_loss(a.mean);
  c->set_loss_std(a.std);
  c->set_n(a.n);
  c->set_reference_epochs(ref_epochs);
  c->set_reference_loss(ref.mean);
  c->set_reference_std(ref.std);
  c->set_reference_n(ref.n);
  if (a.n > 0 && ref.n > 0) c->set_relative_change(a.mean / ref.mean - 1);
  c->set_paper_relative_change(paper);
  c->set_fitted_law_relative_change(law_change);
  c->set_note(note);
}

void Checks(const ExperimentSpec& spec, const std::optional<laws::Law>& law, ExperimentSummary* s) {
  switch (spec.kind()) {
    case experiments::RETURN_ISOFLOP: {
      std::set<double> epochs;
      const SummaryRun* one = nullptr;
      for (const SummaryRun& r : s->runs()) {
        epochs.insert(r.epochs());
        if (Near(r.epochs(), 1)) one = &r;
      }
      const MeanStd ref = LossOf(*s, [](const SummaryRun& r) { return Near(r.epochs(), 1); });
      for (double e : epochs) {
        if (Near(e, 1)) continue;
        const MeanStd a = LossOf(*s, [&](const SummaryRun& r) { return Near(r.epochs(), e); });
        double law_change = 0;
        const SummaryRun* run = nullptr;
        for (const SummaryRun& r : s->runs()) {
          if (Near(r.epochs(), e)) run = &r;
        }
        if (law && one && run) {
          law_change = law->Loss(run->params(), run->total_tokens(), run->unique_tokens()) /
                           law->Loss(one->params(), one->total_tokens(), one->unique_tokens()) - 1;
        }
        std::string name = absl::StrFormat("%g epochs vs 1 epoch (equal compute)", e);
        std::string note;
        double paper = 0;
        if (Near(e, paper::kNegligibleRepetitionEpochs)) {
          name = "4 epochs vs 1 epoch (equal compute): 'almost as good as unique data'";
          paper = PaperFourEpochChange(spec.name());
        } else if (e >= paper::kWorthlessRepetitionEpochs) {
          name = absl::StrFormat("%g epochs vs 1 epoch (equal compute): the 40-epoch point", e);
          note = "paper: repeating ~40 times makes added data worthless; its fit underestimates these losses";
        }
        AddCheck(name, e, a, 1, ref, paper, law_change, note, s);
      }
      break;
    }
    case experiments::ALLOCATION: {
      std::map<int, std::vector<const SummaryRun*>> by_shape;
      for (const SummaryRun& r : s->runs()) by_shape[r.shape_index()].push_back(&r);
      for (const auto& [shape, runs] : by_shape) {
        double max_epochs = 0;
        for (const SummaryRun* r : runs) max_epochs = std::max(max_epochs, r->epochs());
        const int64_t params = runs.front()->params();
        auto same_shape = [&, shape = shape](double e) {
          return [&, e, shape](const SummaryRun& r) { return r.shape_index() == shape && Near(r.epochs(), e); };
        };
        const MeanStd ref = LossOf(*s, same_shape(1));
        if (ref.n == 0) continue;
        for (double e : {4.0, max_epochs}) {
          const MeanStd a = LossOf(*s, same_shape(e));
          if (a.n == 0 || Near(e, 1)) continue;
          double law_change = 0;
          if (law) {
            const double u = static_cast<double>(runs.front()->unique_tokens());
            law_change = law->Loss(params, e * u, u) / law->Loss(params, u, u) - 1;
          }
          AddCheck(absl::StrFormat("N=%d: %g epochs vs 1 epoch (same model, %gx compute)", params, e, e),
                   e, a, 1, ref, 0, law_change, "", s);
        }
      }
      break;
    }
    case experiments::CODE_MIXING: {
      // The grid's runs only (the repeat arm also has 0% code but fewer unique tokens).
      std::set<double> fractions;
      for (const SummaryRun& r : s->runs()) {
        if (!r.repeat_arm()) fractions.insert(r.code_fraction());
      }
      const MeanStd ref = LossOf(*s, [](const SummaryRun& r) {
        return !r.repeat_arm() && Near(r.code_fraction(), 0);
      });
      for (double f : fractions) {
        if (Near(f, 0)) continue;
        const MeanStd a = LossOf(*s, [&](const SummaryRun& r) {
          return !r.repeat_arm() && Near(r.code_fraction(), f);
        });
        AddCheck(absl::StrFormat("%g%% code vs 0%% (natural-language validation loss)", f * 100), 1,
                 a, 1, ref, 0, 0,
                 f <= 0.5 + 1e-9 ? "paper: up to 50% code, no deterioration on its 19 natural-language tasks" : "",
                 s);
      }
      break;
    }
    default:
      break;
  }
}

std::string Percent(double f) { return absl::StrFormat("%g%%", f * 100); }

// CODE_MIXING with a repeat arm: per f, "fill with code" vs "repeat the natural language",
// and the paper's claim (filling up to 50% with code is about as good as repeating).
void CodeVsRepeatRows(const SummaryOptions& options, ExperimentSummary* s) {
  std::set<double> arm;
  for (const SummaryRun& r : s->runs()) {
    if (r.repeat_arm()) arm.insert(r.repeat_of_code_fraction());
  }
  if (arm.empty()) return;
  const double tol = options.code_repeat_tolerance;
  std::vector<std::string> better_or_equal, worse, changes;
  bool single_seed = false;  // a row of the claim with one seed in an arm: no noise estimate
  for (double f : arm) {
    const MeanStd code = LossOf(*s, [&](const SummaryRun& r) {
      return !r.repeat_arm() && Near(r.code_fraction(), f);
    });
    const MeanStd rep = LossOf(*s, [&](const SummaryRun& r) {
      return r.repeat_arm() && Near(r.repeat_of_code_fraction(), f);
    });
    experiments::CodeVsRepeat* row = s->add_code_vs_repeat();
    row->set_code_fraction(f);
    for (const SummaryRun& r : s->runs()) {
      if (r.repeat_arm() && Near(r.repeat_of_code_fraction(), f)) {
        row->set_unique_nl_tokens(r.unique_tokens());
        row->set_total_tokens(r.total_tokens());
        row->set_repeat_epochs(r.epochs());
        break;
      }
    }
    row->set_code_loss(code.mean);
    row->set_code_std(code.std);
    row->set_code_n(code.n);
    row->set_repeat_loss(rep.mean);
    row->set_repeat_std(rep.std);
    row->set_repeat_n(rep.n);
    if (code.n == 0 || rep.n == 0) {
      row->set_verdict("not measured");
      continue;
    }
    const double change = code.mean / rep.mean - 1;
    const double noise =
        std::sqrt(code.std * code.std / code.n + rep.std * rep.std / rep.n) / rep.mean;
    const double allowed = tol + 2 * noise;
    row->set_relative_change(change);
    row->set_allowed(allowed);
    row->set_verdict(change < -allowed ? "code better" : change <= allowed ? "about equal" : "repeat better");
    if (f <= options.code_repeat_max_fraction + 1e-9) {
      single_seed = single_seed || code.n < 2 || rep.n < 2;
      changes.push_back(absl::StrFormat("%s %+.2f%% (allowed %+.2f%%)", Percent(f), change * 100,
                                        allowed * 100));
      (change <= allowed ? better_or_equal : worse).push_back(Percent(f));
    }
  }
  experiments::CodeRepeatClaim* claim = s->mutable_code_repeat_claim();
  claim->set_max_code_fraction(options.code_repeat_max_fraction);
  claim->set_tolerance(tol);
  const std::string paper = absl::StrFormat(
      "paper (Figure 6): filling up to %s of the budget with code is about as good as repeating "
      "natural language",
      Percent(options.code_repeat_max_fraction));
  if (changes.empty()) {
    claim->set_status("not measured");
    claim->set_statement(absl::StrCat(paper, "; not measured here (no complete pair at f <= ",
                                      Percent(options.code_repeat_max_fraction), ")"));
    return;
  }
  claim->set_status(worse.empty() ? "holds" : "does not hold");
  std::string statement = absl::StrCat(
      paper, "; here (natural-language validation loss, fill with code vs repeat; holds where "
      "the change is <= ", absl::StrFormat("%g%%", tol * 100), " + 2 x seed noise): ", absl::StrJoin(changes, ", "), ": ",
      claim->status());
  if (!worse.empty() && !better_or_equal.empty()) {
    absl::StrAppend(&statement, " (code as good or better at ", absl::StrJoin(better_or_equal, ", "),
                    "; worse at ", absl::StrJoin(worse, ", "), ")");
  }
  if (single_seed) {
    absl::StrAppend(&statement, "; rows with one seed in an arm carry no seed-noise allowance");
  }
  claim->set_statement(statement);
}

const char* KindName(experiments::ExperimentKind kind) {
  switch (kind) {
    case experiments::ALLOCATION: return "allocation";
    case experiments::RETURN_ISOFLOP: return "return_isoflop";
    case experiments::CODE_MIXING: return "code_mixing";
    case experiments::DATA_FILTERING: return "data_filtering";
    default: return "unknown";
  }
}

}  // namespace

ExperimentSummary Summarize(const ExperimentSpec& spec, const SweepPlan& plan,
                            const std::vector<records::RunRow>& rows,
                            const SummaryOptions& options) {
  std::map<std::string, const records::RunRow*> by_hash;
  for (const records::RunRow& row : rows) {
    if (row.complete) by_hash[row.hash] = &row;
  }
  ExperimentSummary s;
  s.set_experiment(plan.experiment());
  s.set_scale(plan.scale());
  s.set_kind(KindName(spec.kind()));
  s.set_planned(plan.runs_size());
  const laws::Law paper = laws::PaperLaw();
  int complete = 0;
  for (int i = 0; i < plan.runs_size(); ++i) {
    const experiments::PlannedRun& p = plan.runs(i);
    SummaryRun* r = s.add_runs();
    r->set_hash(p.hash());
    r->set_name(p.spec().name());
    r->set_params(p.params());
    r->set_total_tokens(p.spec().total_tokens());
    r->set_unique_tokens(p.spec().unique_tokens());
    r->set_epochs(p.epochs());
    r->set_code_fraction(p.code_fraction());
    r->set_seed(p.spec().seed());
    r->set_flops(p.flops());
    r->set_paper_run(p.paper_run());
    r->set_shape_index(p.shape_index());
    r->set_repeat_arm(p.repeat_arm());
    r->set_repeat_of_code_fraction(p.repeat_of_code_fraction());
    r->set_filter(p.filter());
    r->set_paper_law_loss(paper.Loss(p.params(), p.spec().total_tokens(), p.spec().unique_tokens()));
    const auto found = by_hash.find(p.hash());
    if (found != by_hash.end()) {
      const records::RunRow& row = *found->second;
      ++complete;
      r->set_complete(true);
      r->set_final_val_loss(row.final_val_loss);
      if (row.params > 0) {
        r->set_params(row.params);
        r->set_flops(6.0 * row.params * p.spec().total_tokens());
      }
      r->set_wall_seconds(row.wall_seconds);
      r->set_tokens_per_second(row.tokens_per_second);
    }
  }
  s.set_complete(complete);
  if (complete < plan.runs_size()) {
    s.add_notes(absl::StrCat(plan.runs_size() - complete, " of ", plan.runs_size(),
                             " planned runs have no complete record: every figure below uses the ",
                             complete, " complete ones"));
  }
  if (HasSeveralBudgetOrders(plan)) {
    // The repetition_vs_shift ablation: pooled checks or one law over both arms would mix the
    // budget orders; its own analysis compares them paired by seed.
    s.add_notes("runs use two budget orders (whole documents and representative): no pooled "
                "checks or law fit; see the shift ablation below");
    s.mutable_fit()->set_status("not fitted: two budget orders");
    if (auto shift = AnalyzeShift(plan, rows)) *s.mutable_shift_ablation() = *shift;
    return s;
  }
  const std::optional<laws::Law> law = FitLaw(spec, options, &s);
  if (law) {
    for (SummaryRun& r : *s.mutable_runs()) {
      r.set_fitted_law_loss(law->Loss(r.params(), r.total_tokens(), r.unique_tokens()));
    }
  }
  if (spec.kind() == experiments::ALLOCATION) Frontier(law, &s);
  Checks(spec, law, &s);
  if (spec.kind() == experiments::CODE_MIXING) CodeVsRepeatRows(options, &s);
  if (spec.kind() == experiments::DATA_FILTERING && options.filter_evidence != nullptr) {
    if (auto filters = CompareFilterArms(spec, plan, rows, *options.filter_evidence)) {
      *s.mutable_filters() = *std::move(filters);
    }
  }
  return s;
}

std::string SummaryText(const ExperimentSummary& s) {
  std::string out = absl::StrFormat("%s at scale %s (%s): %d of %d runs complete\n",
                                    s.experiment(), s.scale(), s.kind(), s.complete(), s.planned());
  for (const std::string& n : s.notes()) absl::StrAppend(&out, "note: ", n, "\n");
  absl::StrAppend(&out, "\nRuns\n",
                  absl::StrFormat("  %-16s %10s %12s %12s %8s %5s %4s %9s %9s %9s\n", "hash",
                                  "params", "tokens", "unique", "epochs", "code%", "seed",
                                  "val_loss", "fit_law", "paper_law"));
  for (const SummaryRun& r : s.runs()) {
    absl::StrAppend(
        &out, absl::StrFormat("  %-16s %10d %12d %12d %8.3g %5.0f %4d %9s %9s %9.4f\n", r.hash(),
                              r.params(), r.total_tokens(), r.unique_tokens(), r.epochs(),
                              r.code_fraction() * 100, r.seed(),
                              r.complete() ? absl::StrFormat("%.4f", r.final_val_loss()) : "-",
                              r.fitted_law_loss() > 0 ? absl::StrFormat("%.4f", r.fitted_law_loss()) : "-",
                              r.paper_law_loss()));
  }
  const auto& f = s.fit();
  absl::StrAppend(&out, "\nLaw fitted to this experiment's runs: ", f.status(), "\n");
  if (f.status() == "fitted") {
    absl::StrAppend(&out, absl::StrFormat("  %d runs, R^2 %.4f, RMSE(log loss) %.4f, converged %s\n  %s\n",
                                          f.n_runs(), f.r2(), f.rmse_log(), f.converged() ? "yes" : "no",
                                          f.method()));
    absl::StrAppend(&out, absl::StrFormat("  %-8s %12s %25s %12s\n", "coef", "ours",
                                          absl::StrFormat("%g%% interval", f.confidence() * 100),
                                          "paper"));
    for (const auto& c : f.coefficients()) {
      std::string interval = c.fixed() ? "(held at paper value)"
                             : c.upper() > c.lower()
                                 ? absl::StrFormat("[%.4g, %.4g]", c.lower(), c.upper())
                                 : "-";
      absl::StrAppend(&out, absl::StrFormat("  %-8s %12.5g %25s %12.5g\n", c.name(), c.value(),
                                            interval, c.paper_value()));
    }
  }
  if (!s.frontier().empty()) {
    absl::StrAppend(&out, "\nEfficient frontier: empirical (best loss at <= C) vs the fitted law's optimum at the same C, U\n",
                    absl::StrFormat("  %10s %10s %8s %9s | %12s %8s %9s\n", "flops", "params",
                                    "epochs", "loss", "law_params", "epochs", "law_loss"));
    for (const auto& p : s.frontier()) {
      absl::StrAppend(&out, absl::StrFormat("  %10.3g %10d %8.3g %9.4f | %12s %8s %9s\n", p.flops(),
                                            p.params(), p.epochs(), p.loss(),
                                            p.law_params() > 0 ? absl::StrFormat("%.4g", p.law_params()) : "-",
                                            p.law_params() > 0 ? absl::StrFormat("%.3g", p.law_epochs()) : "-",
                                            p.law_params() > 0 ? absl::StrFormat("%.4f", p.law_loss()) : "-"));
    }
  }
  if (!s.checks().empty()) {
    absl::StrAppend(&out, "\nChecks (mean over seeds; change = loss / reference - 1)\n");
    for (const auto& c : s.checks()) {
      absl::StrAppend(&out, absl::StrFormat("  %s\n    loss %.4f (sd %.4f, n %d) vs %.4f (sd %.4f, n %d): %+.2f%%",
                                            c.name(), c.loss(), c.loss_std(), c.n(),
                                            c.reference_loss(), c.reference_std(), c.reference_n(),
                                            c.relative_change() * 100));
      if (c.fitted_law_relative_change() != 0) {
        absl::StrAppend(&out, absl::StrFormat("; fitted law %+.2f%%", c.fitted_law_relative_change() * 100));
      }
      if (c.paper_relative_change() != 0) {
        absl::StrAppend(&out, absl::StrFormat("; paper %+.2f%%", c.paper_relative_change() * 100));
      }
      absl::StrAppend(&out, "\n");
      if (!c.note().empty()) absl::StrAppend(&out, "    ", c.note(), "\n");
    }
  }
  if (!s.shift_ablation().at().empty()) {
    const auto& a = s.shift_ablation();
    absl::StrAppend(&out, "\nRepetition vs distribution shift (cost = L(e) / L(1) - 1 paired by seed; ",
                    absl::StrFormat("%.0f%%", a.confidence() * 100),
                    " Student-t intervals over seeds; share: exact seed bootstrap)\n");
    absl::StrAppend(&out, absl::StrFormat(
                              "  budget source_tv at 1 epoch: documents %.3f, representative %.3f; "
                              "mean validation standard error %.4f nats\n",
                              a.documents_source_tv_1(), a.representative_source_tv_1(),
                              a.mean_validation_se()));
    for (const std::string& line : a.statements()) absl::StrAppend(&out, "  ", line, "\n");
  }
  if (!s.code_vs_repeat().empty()) {
    absl::StrAppend(&out, "\nFill with code vs repeat natural language (same NL unique budget U = (1 - f) D; NL validation loss, mean over seeds)\n",
                    absl::StrFormat("  %6s %12s %8s %24s %24s %9s %8s  %s\n", "code%", "U_NL", "rep_ep",
                                    "fill with code", "repeat NL", "change", "allowed", "verdict"));
    for (const auto& c : s.code_vs_repeat()) {
      auto cell = [](double loss, double sd, int n) {
        return n == 0 ? std::string("-") : absl::StrFormat("%.4f (sd %.4f, n %d)", loss, sd, n);
      };
      absl::StrAppend(&out, absl::StrFormat("  %6.0f %12d %8.3g %24s %24s %9s %8s  %s\n", c.code_fraction() * 100,
                                            c.unique_nl_tokens(), c.repeat_epochs(),
                                            cell(c.code_loss(), c.code_std(), c.code_n()),
                                            cell(c.repeat_loss(), c.repeat_std(), c.repeat_n()),
                                            c.code_n() && c.repeat_n()
                                                ? absl::StrFormat("%+.2f%%", c.relative_change() * 100)
                                                : "-",
                                            c.code_n() && c.repeat_n()
                                                ? absl::StrFormat("%.2f%%", c.allowed() * 100)
                                                : "-",
                                            c.verdict()));
    }
    absl::StrAppend(&out, "  claim: ", s.code_repeat_claim().statement(), "\n");
  }
  if (!s.filters().arms().empty()) {
    const auto& f = s.filters();
    absl::StrAppend(&out, "\nFilter arms (loss mean over seeds; change = loss / unfiltered - 1, allowed = 2 x seed noise)\n",
                    absl::StrFormat("  %-15s %6s %10s %6s %6s %3s %24s %24s %24s\n", "filter", "docs", "pool", "share",
                                    "epochs", "n", "final_val_loss", "whole validation", "high-quality subset"));
    auto cell = [](const experiments::SeedMean& m, double change, double allowed) {
      if (m.n() == 0) return std::string("-");
      return absl::StrFormat("%.4f %+.2f%% (±%.2f%%)", m.mean(), 100 * change, 100 * allowed);
    };
    for (const auto& a : f.arms()) {
      absl::StrAppend(&out, absl::StrFormat("  %-15s %6d %10d %5.1f%% %6.3g %3d %24s %24s %24s\n", a.filter(),
                                            a.documents(), a.pool_tokens(), 100 * a.pool_share(), a.epochs(),
                                            a.final_loss().n(), cell(a.final_loss(), a.final_change(), a.final_allowed()),
                                            cell(a.full_loss(), a.full_change(), a.full_allowed()),
                                            cell(a.quality_loss(), a.quality_change(), a.quality_allowed())));
    }
    absl::StrAppend(&out, absl::StrFormat("  seed sd of one run: final %.4f, whole validation %.4f, high-quality %.4f; "
                                          "%d validation tokens, %d high-quality (%s)\n",
                                          f.final_seed_sd(), f.full_seed_sd(), f.quality_seed_sd(), f.validation_tokens(),
                                          f.quality_validation_tokens(), absl::StrJoin(f.quality_sources(), ", ")));
  }
  return out;
}

absl::StatusOr<std::string> SummaryJson(const ExperimentSummary& s) { return records::MessageJson(s); }

}  // namespace datawall::analysis
