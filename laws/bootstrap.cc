#include "laws/bootstrap.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/allocation.h"
#include "tools/parallel/parallel.h"

namespace datawall::laws {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A derived quantity: its name and how to compute it from a law.
struct Quantity {
  std::string name;
  std::function<double(const Law&)> value;
};

}  // namespace

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double pos = q * (values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - lo) * (values[hi] - values[lo]);
}

bool BootstrapOptions::IsValid(std::string* error) const {
  if (num_resamples < 1) {
    *error = "bootstrap: num_resamples must be at least 1";
    return false;
  }
  if (num_threads < 0) {
    *error = "bootstrap: num_threads must be >= 0";
    return false;
  }
  if (!(confidence > 0 && confidence < 1)) {
    *error = "bootstrap: confidence must lie in (0, 1)";
    return false;
  }
  if (max_starts < 1) {
    *error = "bootstrap: max_starts must be at least 1";
    return false;
  }
  for (double c : budgets_flops) {
    if (!(c > 0) || !std::isfinite(c)) {
      *error = "bootstrap: budgets must be positive and finite";
      return false;
    }
  }
  return true;
}

absl::StatusOr<BootstrapSummary> Bootstrap(const std::vector<RunPoint>& runs,
                                           const FitOptions& fit_options,
                                           const FitSummary& full_fit,
                                           const BootstrapOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  if (runs.empty()) return absl::InvalidArgumentError("bootstrap: no runs");
  if (full_fit.minima.empty()) return absl::InvalidArgumentError("bootstrap: the full fit has no minima");

  FitOptions per_resample = fit_options;
  per_resample.num_threads = 1;
  if (!options.restart_from_grid) {
    per_resample.starts.clear();
    // Interior minima first (a minimum on a bound is a poor start: it sits where the search
    // variable's logistic is flat); bound ones only if there is no interior one.
    for (bool interior : {true, false}) {
      for (const LocalMinimum& m : full_fit.minima) {
        if (static_cast<int>(per_resample.starts.size()) == options.max_starts) break;
        if (m.at_bound != interior) per_resample.starts.push_back(m.law);
      }
      if (!per_resample.starts.empty()) break;
    }
  }

  const int n = static_cast<int>(runs.size());
  std::vector<std::optional<FitSummary>> fits(options.num_resamples);
  auto resample = [&](int i) {
    std::mt19937_64 rng(SplitMix64(options.seed ^ SplitMix64(static_cast<uint64_t>(i) + 1)));
    std::uniform_int_distribution<int> pick(0, n - 1);
    std::vector<RunPoint> sample(n);
    for (int k = 0; k < n; ++k) sample[k] = runs[pick(rng)];
    absl::StatusOr<FitSummary> fit = Fit(sample, per_resample);
    if (fit.ok()) fits[i] = std::move(*fit);
  };
  parallel::ParallelFor(options.num_resamples, parallel::ThreadCount(options.num_threads),
                        [&](int64_t i) { resample(static_cast<int>(i)); });

  BootstrapSummary summary;
  summary.num_resamples = options.num_resamples;
  summary.confidence = options.confidence;
  for (const auto& fit : fits) {
    if (!fit.has_value()) {
      ++summary.num_failed;
      continue;
    }
    if (!fit->converged) ++summary.num_not_converged;
    summary.samples.push_back(fit->law);
  }
  if (summary.samples.empty()) {
    return absl::FailedPreconditionError("bootstrap: every resample failed to fit");
  }

  // Quantities: the free coefficients, then derived ones that depend on them.
  std::vector<Quantity> quantities;
  std::set<std::string> free(full_fit.free_coefficients.begin(),
                             full_fit.free_coefficients.end());
  const Form form = full_fit.law.form();
  const auto& names = Info(form).coefficients;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string name(names[i]);
    const bool tied_beta = name == "beta" && fit_options.tie_alpha_beta && free.count("alpha");
    if (!free.count(name) && !tied_beta) continue;
    quantities.push_back({name, [i](const Law& law) { return law.coefficients()[i]; }});
  }
  if (free.count("a")) quantities.push_back({"A", [](const Law& l) { return l.A(); }});
  if (free.count("b")) quantities.push_back({"B", [](const Law& l) { return l.B(); }});
  if (free.count("e")) quantities.push_back({"E", [](const Law& l) { return l.E(); }});
  if (free.count("a") || free.count("b") || free.count("alpha") || free.count("beta")) {
    quantities.push_back({"G", [](const Law& l) { return AllocationG(l); }});
    for (double c : options.budgets_flops) {
      quantities.push_back({absl::StrFormat("n_opt@%g", c),
                            [c](const Law& l) { return OptimalParams(l, c); }});
      quantities.push_back({absl::StrFormat("d_opt@%g", c),
                            [c](const Law& l) { return OptimalTokens(l, c); }});
    }
  }
  const double tail = (1 - options.confidence) / 2;
  for (const Quantity& q : quantities) {
    std::vector<double> values;
    for (const Law& law : summary.samples) values.push_back(q.value(law));
    Interval interval;
    interval.name = q.name;
    interval.estimate = q.value(full_fit.law);
    interval.lower = Percentile(values, tail);
    interval.upper = Percentile(values, 1 - tail);
    interval.median = Percentile(values, 0.5);
    summary.intervals.push_back(interval);
  }
  summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

std::string BootstrapSummary::Report() const {
  std::string out = absl::StrFormat(
      "bootstrap: %d resamples (%d failed, %d not converged), %.0f%% percentile intervals, "
      "%.2f s\n",
      num_resamples, num_failed, num_not_converged, confidence * 100, wall_seconds);
  for (const Interval& i : intervals) {
    absl::StrAppend(&out, absl::StrFormat("  %-16s %-14.8g [%.8g, %.8g]  median %.8g\n", i.name,
                                          i.estimate, i.lower, i.upper, i.median));
  }
  return out;
}

std::string BootstrapSummary::ToCsv() const {
  std::string out = "name,estimate,lower,upper,median\n";
  for (const Interval& i : intervals) {
    absl::StrAppend(&out, absl::StrFormat("%s,%.10g,%.10g,%.10g,%.10g\n", i.name, i.estimate,
                                          i.lower, i.upper, i.median));
  }
  return out;
}

}  // namespace datawall::laws
