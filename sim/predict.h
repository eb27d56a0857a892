// Predict: the loss of one run (N params, D total tokens, U unique tokens) under a law, with
// the law's decomposition (U_D, R_D, U_N, R_N, effective data D', effective params N', and each
// additive term), and a bootstrap confidence interval when the law file carries resamples.
//
// Unlike laws::Law::Loss (which reads U > D as U_D = D), Predict rejects U > D as bad input: a
// run cannot have seen more unique tokens than tokens. Not here: allocation, printing.
#ifndef DATAWALL_SIM_PREDICT_H_
#define DATAWALL_SIM_PREDICT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "laws/law.h"

namespace datawall::sim {

// The pieces of L = E + A / N'^alpha + B / D'^beta (+ a penalty for the Lovelace form). For
// forms without effective counts (Chinchilla) N' = N and D' = D; for Eq. 22 the terms use the
// decayed exponents.
struct Decomposition {
  double unique_tokens_used = 0;  // U_D = min(U, D)
  double r_d = 0;                 // R_D = D / U_D - 1 (repetitions, = epochs - 1)
  double unique_params = 0;       // U_N = min(N, N_opt(U_D))  (Eq. 15)
  double r_n = 0;                 // R_N = N / U_N - 1
  double effective_tokens = 0;    // D' (Eq. 5 for the data-constrained law)
  double effective_params = 0;    // N' (Eq. 6)
  double params_term = 0;         // A / N'^alpha
  double data_term = 0;           // B / D'^beta
  double irreducible_loss = 0;    // E
  double penalty_term = 0;        // overfitting penalty (Lovelace form only), else 0
};

Decomposition Decompose(const laws::Law& law, double params, double tokens, double unique_tokens);

struct PredictOptions {
  // Two-sided coverage of the bootstrap interval (percentile method).
  double confidence = 0.95;
};

struct Prediction {
  double params = 0;
  double tokens = 0;
  double unique_tokens = 0;
  double epochs = 0;   // D / U
  double flops = 0;    // 6 N D
  double loss = 0;
  bool data_constrained = false;  // D > U: the run repeats data
  Decomposition decomposition;
  // Bootstrap band (only when samples were given): percentiles of the samples' losses.
  int bootstrap_samples = 0;
  double confidence = 0;
  double loss_low = 0;
  double loss_high = 0;
};

// Errors (InvalidArgument) start with the input's CLI name: parameters:, tokens:, unique_tokens:.
absl::StatusOr<Prediction> Predict(const laws::Law& law, double params, double tokens,
                                   double unique_tokens,
                                   const std::vector<laws::Law>& bootstrap_samples = {},
                                   const PredictOptions& options = {});

// Linear-interpolation quantile (numpy's default) of unsorted values; q in [0, 1].
double Quantile(std::vector<double> values, double q);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_PREDICT_H_
