#include "laws/fit_json.h"

namespace datawall::laws {

using json::Json;

Json CoefficientsJson(const Law& law) {
  Json out = Json::object();
  const auto& names = Info(law.form()).coefficients;
  for (size_t i = 0; i < names.size(); ++i) out[std::string(names[i])] = law.coefficients()[i];
  out["A"] = law.A();
  out["B"] = law.B();
  out["E"] = law.E();
  return out;
}

void AddEvaluationFieldsJson(const Law& law, const Evaluation& ev, Json* out) {
  (*out)["law"] = std::string(Info(law.form()).name);
  (*out)["coefficients"] = CoefficientsJson(law);
  (*out)["objective"] = ev.objective;
  (*out)["r2"] = ev.r2;
  (*out)["rmse_log"] = ev.rmse_log;
  (*out)["n_runs"] = ev.n_runs;
}

Json ResidualsJson(const std::vector<std::string>& keys, const Evaluation& ev) {
  Json out = Json::array();
  for (size_t i = 0; i < keys.size() && i < ev.residual_log.size(); ++i) {
    out.push_back({{"key", keys[i]},
                   {"predicted", ev.predicted_loss[i]},
                   {"log_residual", ev.residual_log[i]}});
  }
  return out;
}

void AddFitFieldsJson(const FitSummary& fit, Json* out) {
  AddEvaluationFieldsJson(fit.law, fit.evaluation, out);
  // "objective" stays the paper's Huber sum at the best law (comparable across objectives);
  // the minimised one is fit_objective (the same number for huber).
  (*out)["objective_kind"] = ObjectiveName(fit.objective_kind);
  (*out)["fit_objective"] = fit.objective;
  if (fit.objective_kind == FitOptions::Objective::kHuberMle) (*out)["scale"] = fit.scale;
  (*out)["converged"] = fit.converged;
  (*out)["free"] = fit.free_coefficients;
  (*out)["starts"] = fit.num_starts;
  (*out)["starts_converged"] = fit.num_converged;
  (*out)["starts_iteration_limit"] = fit.num_iteration_limit;
  (*out)["starts_line_search_failure"] = fit.num_line_search_failure;
  (*out)["starts_failed"] = fit.num_failed;
  (*out)["boundary_probes"] = fit.num_probes;
  Json minima = Json::array();
  for (const LocalMinimum& m : fit.minima) {
    Json range = Json::object();
    for (size_t j = 0; j < fit.free_coefficients.size() && j < m.lower.size(); ++j) {
      range[fit.free_coefficients[j]] = {m.lower[j], m.upper[j]};
    }
    minima.push_back({{"objective", m.objective},
                      {"worst_objective", m.worst_objective},
                      {"starts", m.num_starts},
                      {"starts_converged", m.num_converged},
                      {"starts_iteration_limit", m.num_iteration_limit},
                      {"starts_line_search_failure", m.num_line_search_failure},
                      {"converged", m.converged},
                      {"at_bound", m.at_bound},
                      {"degenerate", m.degenerate},
                      {"range", std::move(range)},
                      {"coefficients", CoefficientsJson(m.law)}});
  }
  (*out)["minima"] = std::move(minima);
  (*out)["residuals"] = ResidualsJson(fit.run_keys, fit.evaluation);
  (*out)["wall_ms"] = fit.wall_seconds * 1e3;
}

Json BootstrapJson(const BootstrapSummary& boot) {
  Json intervals = Json::object();
  for (const Interval& i : boot.intervals) {
    intervals[i.name] = {{"estimate", i.estimate},
                         {"lower", i.lower},
                         {"upper", i.upper},
                         {"median", i.median}};
  }
  return {{"confidence", boot.confidence},
          {"resamples", boot.num_resamples},
          {"failed", boot.num_failed},
          {"not_converged", boot.num_not_converged},
          {"wall_ms", boot.wall_seconds * 1e3},
          {"intervals", std::move(intervals)}};
}

Json ProfileJson(const DecayProfile& p) {
  Json ridge = Json::array();
  for (size_t i = 0; i < p.rd_star.size(); ++i) {
    ridge.push_back({{"rd_star", p.rd_star[i]},
                     {"rn_star", p.ridge_rn_star[i]},
                     {"objective", p.ridge_objective[i]}});
  }
  return {{"min_objective", p.min_objective},
          {"argmin_rd_star", p.argmin_rd_star},
          {"argmin_rn_star", p.argmin_rn_star},
          {"near_optimal_points", p.num_near_optimal},
          {"ridge", std::move(ridge)}};
}

Json HeldOutJson(const HeldOutSummary& h) {
  Json fitted = Json::object();
  AddEvaluationFieldsJson(h.fit.law, h.train, &fitted);
  return {{"split", h.split.ToString()},
          {"n_train", h.train.n_runs},
          {"n_test", h.test.n_runs},
          {"converged", h.fit.converged},
          {"fitted", std::move(fitted)},
          {"test",
           {{"r2", h.test.r2},
            {"rmse_log", h.test.rmse_log},
            {"objective", h.test.objective},
            {"mean_abs_rel_error", h.test_mean_abs_rel_error},
            {"max_abs_rel_error", h.test_max_abs_rel_error},
            {"residuals", ResidualsJson(h.test_keys, h.test)}}}};
}

}  // namespace datawall::laws
