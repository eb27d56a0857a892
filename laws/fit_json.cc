#include "laws/fit_json.h"

namespace datawall::laws {

void WriteCoefficientsJson(const Law& law, JsonWriter* json) {
  json->BeginObject();
  const auto& names = Info(law.form()).coefficients;
  for (size_t i = 0; i < names.size(); ++i) json->Key(names[i]).Number(law.coefficients()[i]);
  json->Key("A").Number(law.A()).Key("B").Number(law.B()).Key("E").Number(law.E());
  json->EndObject();
}

void WriteEvaluationFieldsJson(const Law& law, const Evaluation& ev, JsonWriter* json) {
  json->Key("law").String(Info(law.form()).name);
  json->Key("coefficients");
  WriteCoefficientsJson(law, json);
  json->Key("objective").Number(ev.objective);
  json->Key("r2").Number(ev.r2);
  json->Key("rmse_log").Number(ev.rmse_log);
  json->Key("n_runs").Int(ev.n_runs);
}

void WriteResidualsJson(const std::vector<std::string>& keys, const Evaluation& ev,
                        JsonWriter* json) {
  json->BeginArray();
  for (size_t i = 0; i < keys.size() && i < ev.residual_log.size(); ++i) {
    json->BeginObject();
    json->Key("key").String(keys[i]);
    json->Key("predicted").Number(ev.predicted_loss[i]);
    json->Key("log_residual").Number(ev.residual_log[i]);
    json->EndObject();
  }
  json->EndArray();
}

void WriteFitFieldsJson(const FitSummary& fit, JsonWriter* json) {
  WriteEvaluationFieldsJson(fit.law, fit.evaluation, json);
  json->Key("converged").Bool(fit.converged);
  json->Key("free").BeginArray();
  for (const std::string& name : fit.free_coefficients) json->String(name);
  json->EndArray();
  json->Key("starts").Int(fit.num_starts);
  json->Key("starts_converged").Int(fit.num_converged);
  json->Key("starts_not_converged").Int(fit.num_not_converged);
  json->Key("starts_failed").Int(fit.num_failed);
  json->Key("minima").BeginArray();
  for (const LocalMinimum& m : fit.minima) {
    json->BeginObject();
    json->Key("objective").Number(m.objective);
    json->Key("starts").Int(m.num_starts);
    json->Key("converged").Bool(m.converged);
    json->Key("at_bound").Bool(m.at_bound);
    json->Key("coefficients");
    WriteCoefficientsJson(m.law, json);
    json->EndObject();
  }
  json->EndArray();
  json->Key("residuals");
  WriteResidualsJson(fit.run_keys, fit.evaluation, json);
  json->Key("wall_ms").Number(fit.wall_seconds * 1e3);
}

void WriteBootstrapJson(const BootstrapSummary& boot, JsonWriter* json) {
  json->BeginObject();
  json->Key("confidence").Number(boot.confidence);
  json->Key("resamples").Int(boot.num_resamples);
  json->Key("failed").Int(boot.num_failed);
  json->Key("not_converged").Int(boot.num_not_converged);
  json->Key("wall_ms").Number(boot.wall_seconds * 1e3);
  json->Key("intervals").BeginObject();
  for (const Interval& i : boot.intervals) {
    json->Key(i.name).BeginObject();
    json->Key("estimate").Number(i.estimate);
    json->Key("lower").Number(i.lower);
    json->Key("upper").Number(i.upper);
    json->Key("median").Number(i.median);
    json->EndObject();
  }
  json->EndObject();
  json->EndObject();
}

void WriteProfileJson(const DecayProfile& p, JsonWriter* json) {
  json->BeginObject();
  json->Key("min_objective").Number(p.min_objective);
  json->Key("argmin_rd_star").Number(p.argmin_rd_star);
  json->Key("argmin_rn_star").Number(p.argmin_rn_star);
  json->Key("near_optimal_points").Int(p.num_near_optimal);
  json->Key("ridge").BeginArray();
  for (size_t i = 0; i < p.rd_star.size(); ++i) {
    json->BeginObject();
    json->Key("rd_star").Number(p.rd_star[i]);
    json->Key("rn_star").Number(p.ridge_rn_star[i]);
    json->Key("objective").Number(p.ridge_objective[i]);
    json->EndObject();
  }
  json->EndArray();
  json->EndObject();
}

void WriteHeldOutJson(const HeldOutSummary& h, JsonWriter* json) {
  json->BeginObject();
  json->Key("split").String(h.split.ToString());
  json->Key("n_train").Int(h.train.n_runs);
  json->Key("n_test").Int(h.test.n_runs);
  json->Key("converged").Bool(h.fit.converged);
  json->Key("fitted").BeginObject();
  WriteEvaluationFieldsJson(h.fit.law, h.train, json);
  json->EndObject();
  json->Key("test").BeginObject();
  json->Key("r2").Number(h.test.r2);
  json->Key("rmse_log").Number(h.test.rmse_log);
  json->Key("objective").Number(h.test.objective);
  json->Key("mean_abs_rel_error").Number(h.test_mean_abs_rel_error);
  json->Key("max_abs_rel_error").Number(h.test_max_abs_rel_error);
  json->Key("residuals");
  WriteResidualsJson(h.test_keys, h.test, json);
  json->EndObject();
  json->EndObject();
}

}  // namespace datawall::laws
