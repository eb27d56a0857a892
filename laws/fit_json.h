// JSON renderings of fit results for the CLIs' --format=json (field names are the CLI contract:
// law, coefficients, objective, r2, rmse_log, n_runs, minima, ci, ...). Text reports live with
// each summary type (FullReport, Report); this file only builds JSON values (tools/json), which
// the mains print with json::Dump (a non-finite number is an error naming its field).
#ifndef DATAWALL_LAWS_FIT_JSON_H_
#define DATAWALL_LAWS_FIT_JSON_H_

#include <string>
#include <vector>

#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/holdout.h"
#include "laws/profile.h"
#include "tools/json/json.h"

namespace datawall::laws {

// {name: value, ..., "A", "B", "E"}.
json::Json CoefficientsJson(const Law& law);
// Sets law, coefficients, objective, r2, rmse_log, n_runs in the object *out.
void AddEvaluationFieldsJson(const Law& law, const Evaluation& ev, json::Json* out);
// Per-run residuals array: [{key, predicted, log_residual}].
json::Json ResidualsJson(const std::vector<std::string>& keys, const Evaluation& ev);
// Sets the fields of a fit (evaluation fields + converged, free, starts, minima, residuals,
// wall_ms) in the object *out.
void AddFitFieldsJson(const FitSummary& fit, json::Json* out);
json::Json BootstrapJson(const BootstrapSummary& boot);  // the "ci" object
json::Json ProfileJson(const DecayProfile& profile);
json::Json HeldOutJson(const HeldOutSummary& heldout);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_FIT_JSON_H_
