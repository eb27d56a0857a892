// JSON renderings of fit results for the CLIs' --format=json (field names are the CLI contract:
// law, coefficients, objective, r2, rmse_log, n_runs, minima, ci, ...). Text reports live with
// each summary type (FullReport, Report); this file only writes JSON.
#ifndef DATAWALL_LAWS_FIT_JSON_H_
#define DATAWALL_LAWS_FIT_JSON_H_

#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/holdout.h"
#include "laws/json_writer.h"
#include "laws/profile.h"

namespace datawall::laws {

// "coefficients": {name: value, ..., "A", "B", "E"} (the object only; the caller writes the key).
void WriteCoefficientsJson(const Law& law, JsonWriter* json);
// Keys law, coefficients, objective, r2, rmse_log, n_runs (written into an open object).
void WriteEvaluationFieldsJson(const Law& law, const Evaluation& ev, JsonWriter* json);
// Per-run residuals array: [{key, val_loss?, predicted, log_residual}].
void WriteResidualsJson(const std::vector<std::string>& keys, const Evaluation& ev,
                        JsonWriter* json);
// The fields of a fit (evaluation fields + converged, minima, starts, residuals, wall_ms).
void WriteFitFieldsJson(const FitSummary& fit, JsonWriter* json);
void WriteBootstrapJson(const BootstrapSummary& boot, JsonWriter* json);  // the "ci" object
void WriteProfileJson(const DecayProfile& profile, JsonWriter* json);
void WriteHeldOutJson(const HeldOutSummary& heldout, JsonWriter* json);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_FIT_JSON_H_
