#include "laws/leaderboard.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <limits>
#include <cmath>
#include <map>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "laws/bootstrap.h"
#include "tools/parallel/parallel.h"

namespace datawall::laws {
namespace {

uint64_t Mix(uint64_t x) {  // SplitMix64's finaliser: independent streams from small integers
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::vector<RunPoint> Pick(const std::vector<RunPoint>& runs, const std::vector<int>& index) {
  std::vector<RunPoint> out;
  for (int i : index) out.push_back(runs[i]);
  return out;
}

// Keeps every other value (both ends kept) of the longest axis until the product fits.
void Thin(std::vector<std::vector<double>>* axes, int max_product) {
  auto product = [&] {
    double p = 1;
    for (const auto& a : *axes) p *= a.size();
    return p;
  };
  while (product() > max_product) {
    auto longest = std::max_element(axes->begin(), axes->end(),
                                    [](const auto& x, const auto& y) { return x.size() < y.size(); });
    if (longest->size() <= 1) return;
    std::vector<double> kept;
    for (size_t i = 0; i < longest->size(); i += 2) kept.push_back((*longest)[i]);
    if (kept.back() != longest->back()) kept.push_back(longest->back());
    if (kept.size() == longest->size()) kept.pop_back();  // size 2: keep the first
    *longest = std::move(kept);
  }
}

// Held-out predictions of one form on one fold.
struct FoldResult {
  bool ok = false;
  std::vector<double> error;             // log L_hat - log L per test run
  std::vector<bool> covered, covered_law;
  std::vector<double> width;
};

}  // namespace

bool LeaderboardOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& message) {
    *error = message;
    return false;
  };
  if (!(params_threshold > 0) || !std::isfinite(params_threshold)) {
    return fail("params_threshold: must be positive and finite");
  }
  if (!(epochs_threshold >= 1) || !std::isfinite(epochs_threshold)) {
    return fail("epochs_threshold: must be finite and at least 1");
  }
  if (!(flops_fraction > 0 && flops_fraction < 1)) return fail("flops_fraction: must be in (0, 1)");
  if (min_runs_per_budget < 1) return fail("min_runs_per_budget: must be at least 1");
  if (min_train_runs < 1) return fail("min_train_runs: must be at least 1");
  if (max_form_starts < 1) return fail("max_form_starts: must be at least 1");
  if (bootstrap_resamples < 10) return fail("bootstrap_resamples: must be at least 10");
  if (bootstrap_starts < 1) return fail("bootstrap_starts: must be at least 1");
  if (!(confidence > 0 && confidence < 1)) return fail("confidence: must be in (0, 1)");
  if (num_threads < 1) return fail("num_threads: must be at least 1");
  for (Form form : forms) {
    if (std::count(forms.begin(), forms.end(), form) > 1) {
      return fail(absl::StrCat("forms: ", std::string(Info(form).name), " twice"));
    }
  }
  FitOptions chinchilla = fit;
  chinchilla.form = Form::kChinchilla;
  chinchilla.fixed.clear();
  chinchilla.grid.clear();
  chinchilla.starts.clear();
  chinchilla.init.reset();
  chinchilla.tie_alpha_beta = false;
  std::string fit_error;
  if (!chinchilla.IsValid(&fit_error)) return fail(fit_error);
  return true;
}

absl::StatusOr<std::vector<Split>> StandardSplits(const std::vector<RunPoint>& runs,
                                                  const LeaderboardOptions& options,
                                                  std::vector<std::string>* skipped) {
  const int n = static_cast<int>(runs.size());
  std::vector<Split> splits;
  auto two_sided = [&](std::string name, std::string description, std::string fold_name,
                       const std::function<bool(const RunPoint&)>& train) {
    Fold fold{std::move(fold_name), {}, {}};
    for (int i = 0; i < n; ++i) (train(runs[i]) ? fold.train : fold.test).push_back(i);
    if (fold.train.empty() || fold.test.empty()) {
      skipped->push_back(absl::StrFormat("%s: %s leaves %s side empty", name, fold.name,
                                         fold.train.empty() ? "the training" : "the test"));
      return;
    }
    if (static_cast<int>(fold.train.size()) < options.min_train_runs) {
      skipped->push_back(absl::StrFormat("%s: %s leaves %d runs to train on (< %d)", name,
                                         fold.name, static_cast<int>(fold.train.size()),
                                         options.min_train_runs));
      return;
    }
    splits.push_back({std::move(name), std::move(description), {std::move(fold)}});
  };
  const double p = options.params_threshold, e = options.epochs_threshold;
  two_sided("params", absl::StrFormat("train N < %g, test N >= %g", p, p),
            absl::StrFormat("params<%g", p), [&](const RunPoint& r) { return r.params < p; });
  two_sided("epochs", absl::StrFormat("train D/U_D <= %g epochs, test more", e),
            absl::StrFormat("epochs<=%g", e),
            [&](const RunPoint& r) { return r.tokens / std::min(r.unique_tokens, r.tokens) <= e; });
  {
    std::vector<double> flops;
    for (const RunPoint& r : runs) flops.push_back(6 * r.params * r.tokens);
    std::vector<double> sorted = flops;
    std::sort(sorted.begin(), sorted.end());
    const int k = static_cast<int>(std::floor(options.flops_fraction * n));
    const double cut = k >= 1 && k < n ? sorted[k] : 0;  // the cheapest test run's FLOPs
    two_sided("flops",
              absl::StrFormat("train the cheapest %g%% of runs by 6ND (C < %.3g), test the rest",
                              100 * options.flops_fraction, cut),
              absl::StrFormat("flops<%.3g", cut),
              [&](const RunPoint& r) { return k >= 1 && 6 * r.params * r.tokens < cut; });
  }
  {
    std::map<double, std::vector<int>> by_budget;
    for (int i = 0; i < n; ++i) by_budget[runs[i].unique_tokens].push_back(i);
    Split split{"unique_budget",
                absl::StrFormat("leave one unique-data budget out (budgets with >= %d runs)",
                                options.min_runs_per_budget),
                {}};
    for (const auto& [budget, members] : by_budget) {
      if (static_cast<int>(members.size()) < options.min_runs_per_budget) continue;
      if (n - static_cast<int>(members.size()) < options.min_train_runs) continue;
      Fold fold{absl::StrFormat("U=%g", budget), {}, members};
      for (int i = 0; i < n; ++i) {
        if (runs[i].unique_tokens != budget) fold.train.push_back(i);
      }
      split.folds.push_back(std::move(fold));
    }
    if (split.folds.empty()) {
      skipped->push_back(absl::StrFormat(
          "unique_budget: no unique-data budget has >= %d runs and >= %d others beside it",
          options.min_runs_per_budget, options.min_train_runs));
    } else {
      splits.push_back(std::move(split));
    }
  }
  if (splits.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no split of these runs has both sides: ", absl::StrJoin(*skipped, "; ")));
  }
  return splits;
}

absl::StatusOr<Leaderboard> RunLeaderboard(const std::vector<RunPoint>& runs,
                                           const LeaderboardOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  if (runs.empty()) return absl::InvalidArgumentError("runs: none");
  Leaderboard board;
  board.num_runs = static_cast<int>(runs.size());
  board.confidence = options.confidence;
  absl::StatusOr<std::vector<Split>> splits = StandardSplits(runs, options, &board.skipped_splits);
  if (!splits.ok()) return splits.status();
  board.splits = std::move(*splits);

  std::vector<Form> forms = options.forms;
  if (forms.empty()) {
    for (const FormInfo& info : AllForms()) {
      if (info.form != Form::kNoDecay) forms.push_back(info.form);
    }
  }
  struct FoldRef {
    int split, fold;
  };
  std::vector<FoldRef> folds;
  for (size_t s = 0; s < board.splits.size(); ++s) {
    for (size_t f = 0; f < board.splits[s].folds.size(); ++f) {
      folds.push_back({static_cast<int>(s), static_cast<int>(f)});
    }
  }
  auto fold_of = [&](const FoldRef& r) -> const Fold& { return board.splits[r.split].folds[r.fold]; };
  auto fresh = [&](Form form) {
    FitOptions f = options.fit;
    f.form = form;
    f.init.reset();
    f.fixed.clear();
    f.grid.clear();
    f.starts.clear();
    f.tie_alpha_beta = false;
    f.num_threads = 1;
    return f;
  };

  // (1) The Chinchilla base of every fold.
  std::vector<std::optional<FitSummary>> base(folds.size());
  parallel::ParallelFor(static_cast<int64_t>(folds.size()), options.num_threads, [&](int64_t i) {
    absl::StatusOr<FitSummary> fit = Fit(Pick(runs, fold_of(folds[i]).train), fresh(Form::kChinchilla));
    if (fit.ok()) base[i] = std::move(*fit);
  });

  // (2) + (3) every form on every fold.
  const int num_forms = static_cast<int>(forms.size());
  std::vector<FoldResult> results(folds.size() * num_forms);
  parallel::ParallelFor(static_cast<int64_t>(results.size()), options.num_threads, [&](int64_t job) {
    const int fold_index = static_cast<int>(job / num_forms), form_index = static_cast<int>(job % num_forms);
    if (!base[fold_index].has_value()) return;
    const Fold& fold = fold_of(folds[fold_index]);
    const std::vector<RunPoint> train = Pick(runs, fold.train);
    const Form form = forms[form_index];
    const FormInfo& info = Info(form);
    FitOptions f = fresh(form);
    // Starts: the base's a, b, e, alpha, beta with the form's grid over the rest.
    std::vector<std::vector<double>> axes;
    for (size_t c = kBeta + 1; c < info.coefficients.size(); ++c) {
      axes.push_back(DefaultGrid(form, std::string(info.coefficients[c])));
    }
    Thin(&axes, options.max_form_starts);
    std::vector<std::vector<double>> combos = {{}};
    for (const auto& axis : axes) {
      std::vector<std::vector<double>> next;
      for (const auto& prefix : combos) {
        for (double v : axis) {
          next.push_back(prefix);
          next.back().push_back(v);
        }
      }
      combos = std::move(next);
    }
    const auto& b = base[fold_index]->law.coefficients();
    for (const auto& combo : combos) {
      std::array<double, kMaxCoefficients> c = DefaultInit(form).coefficients();
      for (int i = 0; i <= kBeta; ++i) c[i] = b[i];
      for (size_t j = 0; j < combo.size(); ++j) c[kBeta + 1 + j] = combo[j];
      f.starts.push_back(Law(form, c));
    }
    absl::StatusOr<FitSummary> fit = Fit(train, f);
    if (!fit.ok()) return;
    BootstrapOptions boot;
    boot.num_resamples = options.bootstrap_resamples;
    boot.seed = Mix(options.seed ^ Mix(static_cast<uint64_t>(job) + 1));
    boot.num_threads = 1;
    boot.confidence = options.confidence;
    boot.max_starts = options.bootstrap_starts;
    FitOptions per_resample = f;
    per_resample.boundary_probes = 0;  // the full fit's probed basins are among its starts
    absl::StatusOr<BootstrapSummary> samples = Bootstrap(train, per_resample, *fit, boot);
    if (!samples.ok() || samples->samples.size() < 10) return;
    FoldResult& out = results[job];
    const std::vector<double>& residuals = fit->evaluation.residual_log;
    std::mt19937_64 rng(Mix(boot.seed + 7));
    std::uniform_int_distribution<size_t> draw(0, residuals.size() - 1);
    const double lo_q = (1 - options.confidence) / 2, hi_q = 1 - lo_q;
    for (int t : fold.test) {
      const RunPoint& run = runs[t];
      const double observed = std::log(run.val_loss);
      out.error.push_back(fit->law.LogLoss(run.params, run.tokens, run.unique_tokens) - observed);
      std::vector<double> law_only, predictive;
      for (const Law& law : samples->samples) {
        const double v = law.LogLoss(run.params, run.tokens, run.unique_tokens);
        law_only.push_back(v);
        predictive.push_back(v + residuals[draw(rng)]);
      }
      const double lo = Percentile(predictive, lo_q), hi = Percentile(predictive, hi_q);
      out.covered.push_back(lo <= observed && observed <= hi);
      out.covered_law.push_back(Percentile(law_only, lo_q) <= observed &&
                                observed <= Percentile(law_only, hi_q));
      out.width.push_back(hi - lo);
    }
    out.ok = std::all_of(out.error.begin(), out.error.end(), [](double x) { return std::isfinite(x); });
  });

  // Pool per (form, split); rank per split by RMSE, forms with a failed fold last.
  for (int fi = 0; fi < num_forms; ++fi) {
    FormRow row;
    row.form = forms[fi];
    row.name = std::string(Info(forms[fi]).name);
    row.coefficients = static_cast<int>(Info(forms[fi]).coefficients.size());
    for (size_t s = 0; s < board.splits.size(); ++s) {
      SplitScore score;
      score.split = board.splits[s].name;
      double sq = 0, covered = 0, covered_law = 0, width = 0;
      for (size_t k = 0; k < folds.size(); ++k) {
        if (folds[k].split != static_cast<int>(s)) continue;
        ++score.folds;
        const FoldResult& r = results[k * num_forms + fi];
        if (!r.ok) {
          ++score.failed_folds;
          continue;
        }
        for (size_t i = 0; i < r.error.size(); ++i) {
          sq += r.error[i] * r.error[i];
          score.max_abs_log = std::max(score.max_abs_log, std::abs(r.error[i]));
          covered += r.covered[i];
          covered_law += r.covered_law[i];
          width += r.width[i];
          ++score.test_runs;
        }
      }
      if (score.test_runs > 0) {
        score.rmse_log = std::sqrt(sq / score.test_runs);
        score.coverage = covered / score.test_runs;
        score.coverage_law = covered_law / score.test_runs;
        score.mean_interval_width = width / score.test_runs;
      }
      row.splits.push_back(score);
    }
    board.rows.push_back(std::move(row));
  }
  for (size_t s = 0; s < board.splits.size(); ++s) {
    auto key = [&](const FormRow& r) {
      const SplitScore& x = r.splits[s];
      return std::pair<int, double>(x.failed_folds > 0 || x.test_runs == 0, x.rmse_log);
    };
    for (FormRow& row : board.rows) {
      double better = 0, tied = 0;
      for (const FormRow& other : board.rows) {
        if (&other == &row) continue;
        if (key(other) < key(row)) ++better;
        if (key(other) == key(row)) ++tied;
      }
      row.splits[s].rank = 1 + better + tied / 2;
    }
  }
  for (FormRow& row : board.rows) {
    double log_sum = 0;
    bool complete = true;
    for (const SplitScore& x : row.splits) {
      row.mean_rank += x.rank / row.splits.size();
      row.mean_rmse_log += x.rmse_log / row.splits.size();
      row.mean_coverage += x.coverage / row.splits.size();
      complete = complete && x.failed_folds == 0 && x.test_runs > 0 && x.rmse_log > 0;
      if (complete) log_sum += std::log(x.rmse_log);
    }
    row.geomean_rmse_log = complete ? std::exp(log_sum / row.splits.size())
                                    : std::numeric_limits<double>::infinity();
  }
  std::stable_sort(board.rows.begin(), board.rows.end(), [](const FormRow& x, const FormRow& y) {
    return std::pair(x.geomean_rmse_log, x.mean_rank) < std::pair(y.geomean_rmse_log, y.mean_rank);
  });
  board.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return board;
}

std::string Leaderboard::Report() const {
  int num_folds = 0;
  for (const Split& s : splits) num_folds += static_cast<int>(s.folds.size());
  std::string out = absl::StrFormat(
      "law leaderboard: %d runs, %d forms, %d splits (%d folds); held-out RMSE and max |error| of "
      "log loss, coverage of %g%% bootstrap prediction intervals (law-only intervals in "
      "parentheses); %.1f s\n",
      num_runs, static_cast<int>(rows.size()), static_cast<int>(splits.size()), num_folds,
      100 * confidence, wall_seconds);
  for (const Split& s : splits) {
    std::vector<std::string> names;
    for (const Fold& f : s.folds) {
      names.push_back(absl::StrFormat("%s (%d train / %d test)", f.name,
                                      static_cast<int>(f.train.size()),
                                      static_cast<int>(f.test.size())));
    }
    absl::StrAppend(&out, "  ", s.name, ": ", s.description, "; ", absl::StrJoin(names, ", "), "\n");
  }
  for (const std::string& s : skipped_splits) absl::StrAppend(&out, "  skipped ", s, "\n");
  absl::StrAppend(&out, absl::StrFormat("%-4s %-21s %2s %8s %6s", "rank", "form", "k", "geomean", "mean"));
  for (const Split& s : splits) absl::StrAppend(&out, absl::StrFormat(" | %-30s", s.name));
  absl::StrAppend(&out, "\n", absl::StrFormat("%-4s %-21s %2s %8s %6s", "", "", "", "RMSE", "rank"));
  for (size_t i = 0; i < splits.size(); ++i) {
    absl::StrAppend(&out, absl::StrFormat(" | %6s %6s %16s", "RMSE", "max", "coverage"));
  }
  absl::StrAppend(&out, "\n");
  for (size_t r = 0; r < rows.size(); ++r) {
    const FormRow& row = rows[r];
    absl::StrAppend(&out, absl::StrFormat("%-4d %-21s %2d %8.4f %6.2f", static_cast<int>(r + 1),
                                          row.name, row.coefficients, row.geomean_rmse_log,
                                          row.mean_rank));
    for (const SplitScore& x : row.splits) {
      if (x.test_runs == 0) {
        absl::StrAppend(&out, absl::StrFormat(" | %-30s", "failed"));
        continue;
      }
      absl::StrAppend(&out, absl::StrFormat(" | %6.4f %6.4f %6.1f%% (%5.1f%%)%s", x.rmse_log,
                                            x.max_abs_log, 100 * x.coverage, 100 * x.coverage_law,
                                            x.failed_folds > 0 ? "!" : ""));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out,
                  "(ranked by the geometric mean of the splits' held-out RMSE; ! = a fold of that "
                  "split could not be fitted: ranked last there, and overall)\n");
  return out;
}

}  // namespace datawall::laws
