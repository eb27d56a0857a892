#include "laws/profile.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/fit.h"

namespace datawall::laws {
namespace {

std::vector<double> LogAxis(double lo, double hi, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) {
    v[i] = n == 1 ? lo : std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * i / (n - 1));
  }
  return v;
}

absl::StatusOr<DecayProfile> ProfileImpl(const Law& law, const std::vector<RunPoint>& runs,
                                         const FitOptions& fit_options,
                                         const ProfileOptions& options, bool refit);

}  // namespace

bool ProfileOptions::IsValid(std::string* error) const {
  if (!(rd_star_min > 0) || !(rd_star_max >= rd_star_min) || !std::isfinite(rd_star_max) ||
      !(rn_star_min > 0) || !(rn_star_max >= rn_star_min) || !std::isfinite(rn_star_max)) {
    *error = "profile: axis ranges must be positive, finite and ordered";
    return false;
  }
  if (rd_star_points < 1 || rn_star_points < 1 || rd_star_points * rn_star_points > 1000000) {
    *error = "profile: between 1 and 1e6 grid points";
    return false;
  }
  if (!(huber_delta > 0) || !(near_optimal >= 0)) {
    *error = "profile: huber_delta must be positive and near_optimal non-negative";
    return false;
  }
  return true;
}

absl::StatusOr<DecayProfile> ProfileDecayConstants(const Law& law,
                                                   const std::vector<RunPoint>& runs,
                                                   const ProfileOptions& options) {
  FitOptions none;
  none.form = law.form();
  return ProfileImpl(law, runs, none, options, /*refit=*/false);
}

absl::StatusOr<DecayProfile> ProfileDecayConstantsRefit(const Law& law,
                                                        const std::vector<RunPoint>& runs,
                                                        const FitOptions& fit_options,
                                                        const ProfileOptions& options) {
  return ProfileImpl(law, runs, fit_options, options, /*refit=*/true);
}

namespace {

absl::StatusOr<DecayProfile> ProfileImpl(const Law& law, const std::vector<RunPoint>& runs,
                                         const FitOptions& fit_options,
                                         const ProfileOptions& options, bool refit) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  const auto& names = Info(law.form()).coefficients;
  int rd = -1, rn = -1;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "rd_star") rd = static_cast<int>(i);
    if (names[i] == "rn_star") rn = static_cast<int>(i);
  }
  if (rd < 0 || rn < 0) {
    return absl::InvalidArgumentError(absl::StrCat("profile: form ", std::string(Info(law.form()).name),
                                                   " has no rd_star and rn_star"));
  }
  if (runs.empty()) return absl::InvalidArgumentError("profile: no runs");
  DecayProfile p;
  p.rd_star = LogAxis(options.rd_star_min, options.rd_star_max, options.rd_star_points);
  p.rn_star = LogAxis(options.rn_star_min, options.rn_star_max, options.rn_star_points);
  p.min_objective = INFINITY;
  // The refit: the fit's free coefficients other than the two, if any.
  FitOptions inner = fit_options;
  bool others_free = false;
  if (refit) {
    std::set<std::string> fixed(inner.fixed.begin(), inner.fixed.end());
    fixed.insert("rd_star");
    fixed.insert("rn_star");
    inner.fixed.assign(fixed.begin(), fixed.end());
    inner.grid.clear();
    inner.num_threads = 1;
    inner.huber_delta = options.huber_delta;
    std::string error;
    others_free = inner.IsValid(&error);  // false when nothing else is free
  }
  for (double x : p.rd_star) {
    double ridge_best = INFINITY, ridge_rn = NAN;
    auto row_start = law.coefficients();  // warm start carried along the row
    for (double y : p.rn_star) {
      auto c = law.coefficients();
      c[rd] = x;
      c[rn] = y;
      double objective = Evaluate(Law(law.form(), c), runs, options.huber_delta).objective;
      if (others_free) {
        auto start = row_start;
        start[rd] = x;
        start[rn] = y;
        inner.init = Law(law.form(), start);
        inner.starts = {*inner.init};
        absl::StatusOr<FitSummary> fit = Fit(runs, inner);
        if (fit.ok() && fit->evaluation.objective < objective) {
          objective = fit->evaluation.objective;
          row_start = fit->law.coefficients();
        }
      }
      p.objective.push_back(objective);
      if (objective < ridge_best) {
        ridge_best = objective;
        ridge_rn = y;
      }
      if (objective < p.min_objective) {
        p.min_objective = objective;
        p.argmin_rd_star = x;
        p.argmin_rn_star = y;
      }
    }
    p.ridge_rn_star.push_back(ridge_rn);
    p.ridge_objective.push_back(ridge_best);
  }
  for (double v : p.objective) {
    if (v <= p.min_objective * (1 + options.near_optimal)) ++p.num_near_optimal;
  }
  return p;
}

}  // namespace

std::string DecayProfile::Report() const {
  std::string out = absl::StrFormat(
      "profile over %d x %d (rd_star in [%g, %g], rn_star in [%g, %g], log-spaced): minimum "
      "%.8g at rd_star=%.4g rn_star=%.4g; %d grid points within 0.1%% of it\n"
      "ridge (rd_star, best rn_star, objective):\n",
      static_cast<int>(rd_star.size()), static_cast<int>(rn_star.size()), rd_star.front(),
      rd_star.back(), rn_star.front(), rn_star.back(), min_objective, argmin_rd_star,
      argmin_rn_star, num_near_optimal);
  for (size_t i = 0; i < rd_star.size(); ++i) {
    absl::StrAppend(&out, absl::StrFormat("  %10.4g %10.4g %.8g\n", rd_star[i], ridge_rn_star[i],
                                          ridge_objective[i]));
  }
  return out;
}

std::string DecayProfile::ToCsv() const {
  std::string out = "rd_star,rn_star,objective\n";
  for (size_t i = 0; i < rd_star.size(); ++i) {
    for (size_t j = 0; j < rn_star.size(); ++j) {
      absl::StrAppend(&out, absl::StrFormat("%.10g,%.10g,%.10g\n", rd_star[i], rn_star[j],
                                            objective[i * rn_star.size() + j]));
    }
  }
  return out;
}

}  // namespace datawall::laws
