#include "laws/fit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ceres/ceres.h"
#include "laws/fit_objective.h"
#include "paper/paper.h"
#include "tools/parallel/parallel.h"

namespace datawall::laws {
namespace {

using internal::Finite;
using internal::FromSearch;
using internal::Mapping;
using internal::PreparedRun;
using internal::ToSearch;
using internal::Transform;

constexpr double kInf = std::numeric_limits<double>::infinity();
// The boundary probes' e: E = e^-30 ~ 1e-13, nothing next to a loss, and d/de ~ 0.
constexpr double kProbeE = -30;

// r = log L_hat(N, D, U) - log L for one run, as a function of the free coefficients.
template <int K>
struct LogResidual {
  const Mapping* m;
  double n, d, u, log_loss;
  template <typename T>
  bool operator()(const T* x, T* r) const {
    T c[kMaxCoefficients];
    for (int i = 0; i < kMaxCoefficients; ++i) c[i] = m->index[i] < 0 ? T(m->fixed[i]) : x[m->index[i]];
    r[0] = LogLoss(m->form, c, n, d, u) - log_loss;
    return Finite(r[0]);
  }
};

template <int K>
ceres::CostFunction* MakeCostK(const Mapping* m, const RunPoint& run) {
  return new ceres::AutoDiffCostFunction<LogResidual<K>, 1, K>(
      new LogResidual<K>{m, run.params, run.tokens, run.unique_tokens, std::log(run.val_loss)});
}

ceres::CostFunction* MakeCost(const Mapping* m, const RunPoint& run) {
  switch (m->k) {
    case 1: return MakeCostK<1>(m, run);
    case 2: return MakeCostK<2>(m, run);
    case 3: return MakeCostK<3>(m, run);
    case 4: return MakeCostK<4>(m, run);
    case 5: return MakeCostK<5>(m, run);
    case 6: return MakeCostK<6>(m, run);
    case 7: return MakeCostK<7>(m, run);
    default: return MakeCostK<8>(m, run);
  }
}

// Whether x sits on a bound of t (within 0.1% of the searched range).
bool OnBound(double x, double lo, double hi) {
  if (std::isfinite(lo) && std::isfinite(hi)) {
    const bool log_scale = lo > 0;
    const double v = log_scale ? std::log(x) : x;
    const double a = log_scale ? std::log(lo) : lo, b = log_scale ? std::log(hi) : hi;
    return (v - a) <= 1e-3 * (b - a) || (b - v) <= 1e-3 * (b - a);
  }
  const double width = 1e-6 * std::max(1.0, std::abs(x));
  return x <= lo + width || x >= hi - width;
}

// Which terms of the law have dropped out on these runs (every form has E = e^e, A/N'^alpha and
// B/D'^beta, with log-scale a, b, e): "E -> 0" when E is below `tol`, "no N dependence" / "no D
// dependence" when a term varies by less than `tol` over the runs (it vanishes, or it is a
// constant that E absorbs). Empty: every term matters.
std::vector<std::string> DroppedTerms(const Law& law, const std::vector<RunPoint>& runs, double tol) {
  std::vector<std::string> out;
  if (std::exp(law.coefficients()[kE]) < tol) out.push_back("E -> 0");
  for (const auto& [slot, what] : {std::pair{kA, "no N dependence"}, std::pair{kB, "no D dependence"}}) {
    auto c = law.coefficients();
    c[slot] = -745;  // exp(-745) == 0 in double: the term alone removed
    const Law without(law.form(), c);
    double lo = kInf, hi = -kInf;
    for (const RunPoint& run : runs) {
      const double term = std::exp(law.LogLoss(run.params, run.tokens, run.unique_tokens)) -
                          std::exp(without.LogLoss(run.params, run.tokens, run.unique_tokens));
      lo = std::min(lo, term);
      hi = std::max(hi, term);
    }
    if (hi - lo < tol) out.push_back(what);
  }
  return out;
}

double Huber(double r, double delta) {
  const double a = std::abs(r);
  return a < delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

int SlotOf(Form form, const std::string& name) {
  const auto& names = Info(form).coefficients;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<double> Linspace(double lo, double hi, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
  return v;
}

// Outcome of one start.
struct StartResult {
  enum Status { kConverged, kIterationLimit, kLineSearchFailure, kFailed } status = kFailed;
  std::vector<double> x;
  double objective = kInf;
  int iterations = 0;
};

}  // namespace

Law DefaultInit(Form form) {
  // The paper's constants for its forms: Table 1's rows (App. A, App. F; Eq. 14's row is the
  // paper's law), App. B's Chinchilla coefficients otherwise.
  for (const paper::Table1Row& row : paper::kTable1) {
    if (FormFromName(row.form) == form) return PaperTable1Law(row);
  }
  std::array<double, kMaxCoefficients> c = {paper::kLogA, paper::kLogB, paper::kLogE,
                                            paper::kAlpha, paper::kBeta, 0, 0, 0};
  if (form == Form::kOverfittingPenalty) c[5] = -5, c[6] = 1, c[7] = 0.5;  // not the paper's
  // Bounded: Eq. 14's decay constants; L0 = E + e^2.2 ~ 10.9, about log(50257), the loss of a
  // uniform guess over GPT-2's vocabulary.
  if (form == Form::kBounded) c[5] = paper::kRdStar, c[6] = paper::kRnStar, c[7] = 2.2;
  return Law(form, c);
}

std::vector<double> DefaultGrid(Form form, const std::string& name) {
  auto grid = [](const paper::LinspaceGrid& g) { return Linspace(g.low, g.high, g.points); };
  if (name == "a" || name == "b") return grid(paper::kAppBGridLogAB);  // App. B's grids
  if (name == "e") return grid(paper::kAppBGridLogE);
  if (name == "alpha" || name == "beta") return grid(paper::kAppBGridExponent);
  if (name == "delta_d" || name == "delta_n") return {0.05, 0.25, 0.45, 0.65, 0.85};
  if (name == "p") return {-10, -5, 0};
  if (name == "delta") return {0.5, 1, 2};
  if (name == "kappa") return {0, 0.5, 1};
  if (name == "l0") return {1.5, 2.2, 3};
  if (form == Form::kAlphaBetaDecay) return grid(paper::kAppFGridDecay);
  if (form == Form::kExplicitExponential) return {0.01, 0.1, 0.5, 1, 2};  // e^-R* per repeat
  return grid(paper::kAppAGridDecay);  // R_D*, R_N*: App. A's {0, 4, ..., 20}
}

std::pair<double, double> CoefficientBounds(Form form, const std::string& name) {
  if (name == "alpha" || name == "beta") return {1e-4, 10};
  if (name == "rd_star" || name == "rn_star") return {1e-4, 1e9};
  if (name == "delta_d" || name == "delta_n") return {1e-9, 1 - 1e-9};
  if (name == "delta") return {1e-4, 10};
  return {-kInf, kInf};
}

bool FitOptions::IsValid(std::string* error) const {
  const FormInfo& info = Info(form);
  const std::string form_name(info.name);
  auto fail = [&](std::string message) {
    *error = std::move(message);
    return false;
  };
  if (objective == Objective::kHuberMle && method != Method::kLineSearchBfgs) {
    return fail("objective: huber_mle needs the line-search (bfgs) method");
  }
  std::set<std::string> fixed_set;
  for (const std::string& name : fixed) {
    if (SlotOf(form, name) < 0) {
      return fail(absl::StrCat("fixed: form ", form_name, " has no coefficient '", name, "'"));
    }
    if (!fixed_set.insert(name).second) return fail(absl::StrCat("fixed: '", name, "' twice"));
  }
  int num_free = 0;
  for (auto name : info.coefficients) {
    const std::string n(name);
    if (fixed_set.count(n) == 0 && !(tie_alpha_beta && n == "beta")) ++num_free;
  }
  if (tie_alpha_beta && fixed_set.count("alpha") != fixed_set.count("beta")) {
    return fail("tie_alpha_beta: alpha and beta must be both fixed or both free");
  }
  if (num_free == 0) return fail("fixed: every coefficient is fixed; nothing to fit");
  for (const auto& [name, values] : grid) {
    if (SlotOf(form, name) < 0) {
      return fail(absl::StrCat("grid: form ", form_name, " has no coefficient '", name, "'"));
    }
    if (fixed_set.count(name)) return fail(absl::StrCat("grid: '", name, "' is fixed"));
    if (tie_alpha_beta && name == "beta") return fail("grid: beta is tied to alpha; grid alpha");
    if (values.empty()) return fail(absl::StrCat("grid: '", name, "' has no values"));
    for (double v : values) {
      if (!std::isfinite(v)) return fail(absl::StrCat("grid: '", name, "' has a non-finite value"));
    }
  }
  if (init.has_value() && init->form() != form) {
    return fail(absl::StrCat("init: law of form ", std::string(Info(init->form()).name),
                             ", expected ", form_name));
  }
  for (const Law& start : starts) {
    if (start.form() != form) return fail("starts: a start of another form");
  }
  if (!(huber_delta > 0) || !std::isfinite(huber_delta)) {
    return fail("huber_delta must be positive and finite");
  }
  if (max_iterations < 1) return fail("max_iterations must be at least 1");
  if (!(function_tolerance > 0) || !(gradient_tolerance > 0) || !(parameter_tolerance > 0)) {
    return fail("tolerances must be positive");
  }
  if (num_threads < 1) return fail("num_threads must be at least 1");
  if (max_starts < 1) return fail("max_starts must be at least 1");
  if (!(minimum_tolerance > 0)) return fail("minimum_tolerance must be positive");
  if (!(basin_objective_tolerance >= 0) || !(basin_prediction_tolerance >= 0)) {
    return fail("basin tolerances must be non-negative");
  }
  if (boundary_probes < 0) return fail("boundary_probes must be non-negative");
  return true;
}

Evaluation Evaluate(const Law& law, const std::vector<RunPoint>& runs, double huber_delta) {
  Evaluation ev;
  ev.n_runs = static_cast<int>(runs.size());
  double mean = 0, ss_res = 0, ss_tot = 0, sq_log = 0;
  for (const RunPoint& run : runs) mean += run.val_loss;
  mean /= std::max<size_t>(1, runs.size());
  for (const RunPoint& run : runs) {
    const double log_pred = law.LogLoss(run.params, run.tokens, run.unique_tokens);
    const double r = log_pred - std::log(run.val_loss);
    const double pred = std::exp(log_pred);
    ev.predicted_loss.push_back(pred);
    ev.residual_log.push_back(r);
    ev.objective += Huber(r, huber_delta);
    ss_res += (run.val_loss - pred) * (run.val_loss - pred);
    ss_tot += (run.val_loss - mean) * (run.val_loss - mean);
    sq_log += r * r;
  }
  ev.r2 = 1 - ss_res / ss_tot;
  ev.rmse_log = std::sqrt(sq_log / std::max<size_t>(1, runs.size()));
  return ev;
}

absl::StatusOr<FitSummary> Fit(const std::vector<RunPoint>& runs, const FitOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  if (runs.empty()) return absl::InvalidArgumentError("no runs to fit");
  const Form form = options.form;
  const FormInfo& info = Info(form);
  const int num_coefficients = static_cast<int>(info.coefficients.size());
  const Law init = options.init.value_or(DefaultInit(form));

  // Free coefficients, in the form's order (beta folded into alpha when tied).
  Mapping m;
  m.form = form;
  m.fixed = init.coefficients();
  m.index.fill(-1);
  std::set<std::string> fixed(options.fixed.begin(), options.fixed.end());
  std::vector<std::string> free_names;
  std::vector<int> free_slots;
  for (int i = 0; i < num_coefficients; ++i) {
    const std::string name(info.coefficients[i]);
    if (fixed.count(name)) continue;
    if (options.tie_alpha_beta && i == kBeta) {
      m.index[i] = m.index[kAlpha];
      continue;
    }
    m.index[i] = static_cast<int>(free_names.size());
    free_names.push_back(name);
    free_slots.push_back(i);
  }
  if (options.tie_alpha_beta && fixed.count("alpha")) m.fixed[kBeta] = m.fixed[kAlpha];
  m.k = static_cast<int>(free_names.size());
  if (m.k > kMaxCoefficients) return absl::InternalError("too many free coefficients");

  std::vector<std::pair<double, double>> bounds;
  for (const std::string& name : free_names) bounds.push_back(CoefficientBounds(form, name));

  // Starts: explicit laws, or the Cartesian product of the per-coefficient grids.
  std::vector<std::vector<double>> starts;
  if (!options.starts.empty()) {
    for (const Law& law : options.starts) {
      std::vector<double> x;
      for (int slot : free_slots) x.push_back(law.coefficients()[slot]);
      starts.push_back(std::move(x));
    }
  } else {
    std::vector<std::vector<double>> axes;
    double count = 1;
    for (const std::string& name : free_names) {
      auto it = options.grid.find(name);
      axes.push_back(it != options.grid.end() ? it->second : DefaultGrid(form, name));
      count *= axes.back().size();
    }
    if (count > options.max_starts) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "grid: %.0f starts exceed max_starts (%d); fix coefficients or give a smaller grid",
          count, options.max_starts));
    }
    starts.emplace_back();
    for (const auto& axis : axes) {
      std::vector<std::vector<double>> next;
      for (const auto& prefix : starts) {
        for (double v : axis) {
          next.push_back(prefix);
          next.back().push_back(v);
        }
      }
      starts = std::move(next);
    }
  }

  FitSummary summary;
  summary.free_coefficients = free_names;
  summary.num_starts = static_cast<int>(starts.size());
  for (auto& x : starts) {
    bool clamped = false;
    for (int j = 0; j < m.k; ++j) {
      const double v = std::clamp(x[j], bounds[j].first, bounds[j].second);
      if (v != x[j]) clamped = true;
      x[j] = v;
    }
    summary.num_clamped += clamped;
  }

  // Cost functions and the loss are stateless and shared by every start (and thread).
  std::vector<std::unique_ptr<ceres::CostFunction>> costs;
  for (const RunPoint& run : runs) costs.emplace_back(MakeCost(&m, run));
  ceres::HuberLoss huber(options.huber_delta);

  auto full_law = [&](const std::vector<double>& x) {
    std::array<double, kMaxCoefficients> c = m.fixed;
    for (int i = 0; i < kMaxCoefficients; ++i) {
      if (m.index[i] >= 0) c[i] = x[m.index[i]];
    }
    return Law(form, c);
  };
  const bool mle = options.objective == FitOptions::Objective::kHuberMle;
  auto objective_of = [&](const std::vector<double>& x, double* scale = nullptr) {
    const Law law = full_law(x);
    std::vector<double> r;
    double total = 0;
    for (const RunPoint& run : runs) {
      r.push_back(law.LogLoss(run.params, run.tokens, run.unique_tokens) - std::log(run.val_loss));
      total += Huber(r.back(), options.huber_delta);
    }
    if (!mle) return total;
    // -inf (a law through every run) is refused as non-finite, as the objective does.
    return internal::ProfiledHuberNll(r.data(), static_cast<int>(r.size()), options.huber_delta,
                                      scale);
  };

  std::vector<PreparedRun> prepared;
  for (const RunPoint& run : runs) {
    prepared.push_back({run.params, run.tokens, run.unique_tokens, std::log(run.val_loss)});
  }
  std::vector<Transform> transforms;
  for (const auto& [lo, hi] : bounds) {
    Transform t;
    if (std::isfinite(lo) && std::isfinite(hi)) {
      t.kind = lo > 0 ? Transform::kLogBox : Transform::kBox;
      t.lo = lo > 0 ? std::log(lo) : lo;
      t.hi = lo > 0 ? std::log(hi) : hi;
    }
    transforms.push_back(t);
  }
  std::vector<StartResult> results(starts.size());
  auto solve = [&](int s) {
    StartResult& result = results[s];
    result.x = starts[s];
    if (!std::isfinite(objective_of(result.x))) return;  // e.g. 0/0 at the start: kFailed
    if (options.method == FitOptions::Method::kLineSearchBfgs) {
      ceres::GradientProblem problem(internal::MakeObjective(
          &m, &prepared, &transforms, options.huber_delta, /*analytic=*/true, mle));
      std::vector<double> y(m.k);
      for (int j = 0; j < m.k; ++j) y[j] = ToSearch(result.x[j], transforms[j]);
      ceres::GradientProblemSolver::Options solver_options;
      solver_options.line_search_direction_type = ceres::BFGS;
      solver_options.logging_type = ceres::SILENT;
      solver_options.max_num_iterations = options.max_iterations;
      solver_options.function_tolerance = options.function_tolerance;
      solver_options.gradient_tolerance = options.gradient_tolerance;
      solver_options.parameter_tolerance = options.parameter_tolerance;
      ceres::GradientProblemSolver::Summary solver_summary;
      ceres::Solve(solver_options, problem, y.data(), &solver_summary);
      for (int j = 0; j < m.k; ++j) result.x[j] = FromSearch(y[j], transforms[j]);
      result.iterations = static_cast<int>(solver_summary.iterations.size());
      result.objective = objective_of(result.x);
      // A failure before the first step (e.g. a non-finite gradient at the start) leaves the
      // start itself: that is a failed start, not a minimum. A line-search failure after
      // progress leaves a real, if unconverged, end point (typically on a kink of the Huber sum).
      const bool failed_at_start = solver_summary.termination_type == ceres::FAILURE &&
                                   solver_summary.iterations.size() <= 1;
      result.status = !std::isfinite(result.objective) || failed_at_start ? StartResult::kFailed
                      : solver_summary.termination_type == ceres::CONVERGENCE
                          ? StartResult::kConverged
                      : solver_summary.termination_type == ceres::NO_CONVERGENCE
                          ? StartResult::kIterationLimit
                          : StartResult::kLineSearchFailure;
      return;
    }
    ceres::Problem::Options problem_options;
    problem_options.cost_function_ownership = ceres::DO_NOT_TAKE_OWNERSHIP;
    problem_options.loss_function_ownership = ceres::DO_NOT_TAKE_OWNERSHIP;
    ceres::Problem problem(problem_options);
    for (const auto& cost : costs) problem.AddResidualBlock(cost.get(), &huber, result.x.data());
    for (int j = 0; j < m.k; ++j) {
      if (std::isfinite(bounds[j].first)) {
        problem.SetParameterLowerBound(result.x.data(), j, bounds[j].first);
      }
      if (std::isfinite(bounds[j].second)) {
        problem.SetParameterUpperBound(result.x.data(), j, bounds[j].second);
      }
    }
    ceres::Solver::Options solver_options;
    solver_options.linear_solver_type = ceres::DENSE_QR;
    solver_options.logging_type = ceres::SILENT;
    solver_options.max_num_iterations = options.max_iterations;
    solver_options.function_tolerance = options.function_tolerance;
    solver_options.gradient_tolerance = options.gradient_tolerance;
    solver_options.parameter_tolerance = options.parameter_tolerance;
    solver_options.num_threads = 1;
    ceres::Solver::Summary ceres_summary;
    ceres::Solve(solver_options, &problem, &ceres_summary);
    result.iterations = static_cast<int>(ceres_summary.iterations.size());
    result.objective = objective_of(result.x);
    if (!std::isfinite(result.objective) ||
        ceres_summary.termination_type == ceres::FAILURE ||
        ceres_summary.termination_type == ceres::USER_FAILURE) {
      result.status = StartResult::kFailed;
    } else if (ceres_summary.termination_type == ceres::CONVERGENCE) {
      result.status = StartResult::kConverged;
    } else {
      result.status = StartResult::kIterationLimit;
    }
  };
  parallel::ParallelFor(static_cast<int64_t>(starts.size()), options.num_threads,
                        [&](int64_t s) { solve(static_cast<int>(s)); });

  // Boundary probes: the best basins' end points restarted with E -> 0 (e = kProbeE), where the
  // gradient in e vanishes and no grid start goes. The paper's authors' procedure ends in such a
  // basin on the released runs (App. B fit: e -> -669).
  const int e_index = m.index[kE];  // every form has e; -1 when it is frozen
  if (options.boundary_probes > 0 && e_index >= 0) {
    std::vector<int> best;
    for (size_t s = 0; s < results.size(); ++s) {
      if (results[s].status != StartResult::kFailed) best.push_back(static_cast<int>(s));
    }
    std::sort(best.begin(), best.end(),
              [&](int x, int y) { return results[x].objective < results[y].objective; });
    std::vector<std::vector<double>> probes;
    for (int s : best) {
      if (static_cast<int>(probes.size()) >= options.boundary_probes) break;
      std::vector<double> x = results[s].x;
      if (x[e_index] <= kProbeE) continue;  // already there
      x[e_index] = kProbeE;
      bool seen = false;  // one probe per distinct point (many starts end at the same one)
      for (const auto& p : probes) {
        double diff = 0;
        for (int j = 0; j < m.k; ++j) diff = std::max(diff, std::abs(p[j] - x[j]) / std::max(1.0, std::abs(x[j])));
        seen = seen || diff <= options.minimum_tolerance;
      }
      if (!seen) probes.push_back(std::move(x));
    }
    const size_t first_probe = results.size();
    summary.num_probes = static_cast<int>(probes.size());
    summary.num_starts += summary.num_probes;
    for (auto& x : probes) starts.push_back(std::move(x));
    results.resize(starts.size());
    parallel::ParallelFor(static_cast<int64_t>(starts.size() - first_probe), options.num_threads,
                          [&](int64_t s) { solve(static_cast<int>(first_probe + s)); });
  }

  // Group the end points into distinct minima, lowest objective first.
  std::vector<int> order;
  for (size_t s = 0; s < results.size(); ++s) {
    const StartResult& r = results[s];
    summary.total_iterations += r.iterations;
    if (r.status == StartResult::kFailed) {
      ++summary.num_failed;
      continue;
    }
    switch (r.status) {
      case StartResult::kConverged: ++summary.num_converged; break;
      case StartResult::kIterationLimit: ++summary.num_iteration_limit; break;
      default: ++summary.num_line_search_failure; break;
    }
    order.push_back(static_cast<int>(s));
  }
  if (order.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "fit of ", std::string(info.name), " failed: none of ", starts.size(),
        " starts has a finite objective"));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return results[x].objective < results[y].objective; });
  std::vector<std::vector<double>> centres;
  std::vector<std::vector<double>> centre_predictions;  // log L_hat per run
  auto predictions = [&](const std::vector<double>& x) {
    const Law law = full_law(x);
    std::vector<double> p;
    for (const RunPoint& run : runs) p.push_back(law.LogLoss(run.params, run.tokens, run.unique_tokens));
    return p;
  };
  double min_loss = kInf;
  for (const RunPoint& run : runs) min_loss = std::min(min_loss, run.val_loss);
  const double negligible = 1e-3 * min_loss;  // a term this small changes no prediction by 0.1%
  std::vector<std::vector<std::string>> signatures;  // per basin: DroppedTerms of its best point
  for (int s : order) {
    const StartResult& r = results[s];
    const std::vector<double> p = predictions(r.x);
    std::vector<std::string> dropped = DroppedTerms(full_law(r.x), runs, negligible);
    // The family: the dropped terms, or without any, the coefficients held by a bound (a term
    // drops out in several ways, e.g. alpha -> 0 or alpha -> its upper bound with A large).
    std::vector<std::string> signature = dropped;
    for (int j = 0; j < m.k && dropped.empty(); ++j) {
      if (OnBound(r.x[j], bounds[j].first, bounds[j].second)) {
        signature.push_back(free_names[j] + " at its bound");
      }
    }
    size_t found = centres.size();
    // A degenerate end point joins its family (same signature): fits in which a term of the
    // law is gone or a coefficient is held by its bound, whatever else differs (the family's
    // objective range is shown).
    for (size_t c = 0; c < centres.size() && !signature.empty(); ++c) {
      if (signatures[c] == signature) {
        found = c;
        break;
      }
    }
    for (size_t c = 0; c < centres.size() && found == centres.size(); ++c) {
      if (!signatures[c].empty()) continue;
      // One basin: the objective agrees with the basin's best and so does the prediction of
      // every run, whatever the coefficients say (end points strung along a flat direction,
      // e.g. e -> -inf where E vanishes, or a valley the solver stops in at different places).
      const double objective_c = summary.minima[c].objective;
      if (std::abs(r.objective - objective_c) <=
          options.basin_objective_tolerance * std::abs(objective_c)) {
        double max_diff = 0;
        for (size_t i = 0; i < p.size(); ++i) {
          max_diff = std::max(max_diff, std::abs(p[i] - centre_predictions[c][i]));
        }
        if (max_diff <= options.basin_prediction_tolerance) {
          found = c;
          break;
        }
      }
      bool same = true;
      for (int j = 0; j < m.k && same; ++j) {
        // Compare on the search scale: log for positive boxes, so "R* -> 1e9" points merge.
        const bool log_scale = transforms[j].kind == Transform::kLogBox;
        const double u = log_scale ? std::log(r.x[j]) : r.x[j];
        const double v = log_scale ? std::log(centres[c][j]) : centres[c][j];
        same = std::abs(u - v) <= options.minimum_tolerance * std::max(1.0, std::abs(v));
      }
      if (same) found = c;
    }
    if (found == centres.size()) {
      centres.push_back(r.x);
      centre_predictions.push_back(p);
      signatures.push_back(signature);
      LocalMinimum minimum;
      minimum.law = full_law(r.x);
      minimum.objective = r.objective;
      minimum.worst_objective = r.objective;
      for (int j = 0; j < m.k; ++j) {
        if (OnBound(r.x[j], bounds[j].first, bounds[j].second)) {
          minimum.at_bound = true;
          minimum.degenerate.push_back(
              absl::StrFormat("%s at its bound (%.6g)", free_names[j], r.x[j]));
        }
      }
      for (const std::string& term : dropped) {
        minimum.degenerate.push_back(
            term == "E -> 0" ? absl::StrFormat("E -> 0 (e = %.6g)", minimum.law.coefficients()[kE])
                             : term);
      }
      minimum.lower = minimum.upper = r.x;
      summary.minima.push_back(minimum);
    }
    LocalMinimum& basin = summary.minima[found];
    basin.worst_objective = std::max(basin.worst_objective, r.objective);
    basin.num_starts++;
    basin.converged |= r.status == StartResult::kConverged;
    switch (r.status) {
      case StartResult::kConverged: ++basin.num_converged; break;
      case StartResult::kIterationLimit: ++basin.num_iteration_limit; break;
      default: ++basin.num_line_search_failure; break;
    }
    for (int j = 0; j < m.k; ++j) {
      basin.lower[j] = std::min(basin.lower[j], r.x[j]);
      basin.upper[j] = std::max(basin.upper[j], r.x[j]);
    }
  }
  summary.law = summary.minima.front().law;
  summary.objective_kind = options.objective;
  summary.objective = summary.minima.front().objective;
  if (mle) objective_of(centres.front(), &summary.scale);
  summary.converged = summary.minima.front().converged;
  summary.evaluation = Evaluate(summary.law, runs, options.huber_delta);
  for (const RunPoint& run : runs) summary.run_keys.push_back(run.key);
  summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

namespace {

std::string CoefficientList(const Law& law) {
  std::vector<std::string> parts;
  const auto& names = Info(law.form()).coefficients;
  for (size_t i = 0; i < names.size(); ++i) {
    parts.push_back(absl::StrFormat("%s=%.8g", std::string(names[i]), law.coefficients()[i]));
  }
  return absl::StrJoin(parts, " ");
}

}  // namespace

const char* ObjectiveName(FitOptions::Objective objective) {
  return objective == FitOptions::Objective::kHuberMle ? "huber_mle" : "huber";
}

std::string FitSummary::BriefReport() const {
  int degenerate = 0;
  for (const LocalMinimum& m : minima) degenerate += !m.degenerate.empty();
  const std::string label =
      objective_kind == FitOptions::Objective::kHuberMle
          ? absl::StrFormat("objective (huber_mle, negative log likelihood) %.8g, sigma %.6g, "
                            "Huber sum",
                            objective, scale)
          : "objective";
  return absl::StrFormat(
      "%s fit on %d runs: %s %.8g, R^2 %.6f, RMSE(log) %.6g; %s%s; %d basins (%d "
      "degenerate) from %d starts incl. %d boundary probes (%d converged, %d at the iteration "
      "limit, %d line-search failures, %d failed); %d iterations; %.1f ms",
      std::string(Info(law.form()).name), evaluation.n_runs, label, evaluation.objective, evaluation.r2,
      evaluation.rmse_log, converged ? "converged" : "NOT CONVERGED (best point shown)",
      minima.empty() || minima.front().degenerate.empty()
          ? ""
          : ", best basin degenerate: " + absl::StrJoin(minima.front().degenerate, ", "),
      static_cast<int>(minima.size()), degenerate, num_starts, num_probes, num_converged,
      num_iteration_limit, num_line_search_failure, num_failed, total_iterations,
      wall_seconds * 1e3);
}

std::string FitSummary::FullReport() const {
  std::string out = BriefReport() + "\n";
  absl::StrAppend(&out, "free coefficients: ", absl::StrJoin(free_coefficients, ", "),
                  "; starts moved onto a bound: ", num_clamped, "\n");
  absl::StrAppend(&out, "best: ", CoefficientList(law), "\n");
  absl::StrAppend(&out,
                  "basins (objective, starts: converged / iteration limit / line-search failure, "
                  "best point, degenerate):\n");
  for (const LocalMinimum& minimum : minima) {
    absl::StrAppend(&out, absl::StrFormat("  %.10g%s  %4d: %d/%d/%d  %s%s\n", minimum.objective,
                                          minimum.worst_objective - minimum.objective > 1e-9 * std::abs(minimum.objective)
                                              ? absl::StrFormat(" (to %.6g)", minimum.worst_objective)
                                              : std::string(),
                                          minimum.num_starts, minimum.num_converged,
                                          minimum.num_iteration_limit,
                                          minimum.num_line_search_failure,
                                          CoefficientList(minimum.law),
                                          minimum.degenerate.empty()
                                              ? ""
                                              : "  [" + absl::StrJoin(minimum.degenerate, "; ") + "]"));
  }
  absl::StrAppend(&out, "residuals (key, predicted loss, log residual):\n");
  for (size_t i = 0; i < run_keys.size(); ++i) {
    absl::StrAppend(&out, absl::StrFormat("  %-24s %.6f %+.6f\n", run_keys[i],
                                          evaluation.predicted_loss[i],
                                          evaluation.residual_log[i]));
  }
  return out;
}

}  // namespace datawall::laws
