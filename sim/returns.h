// Returns on repetition: what extra epochs buy for a fixed unique-data budget U.
//
//  * ReturnsCurve: loss and the marginal value of compute as total tokens grow from 1 to 1000+
//    epochs, either for a fixed model size N (paper Figure 1 left, Figure 5 right) or along the
//    compute-optimal path of growing budgets (each row an exact allocation).
//  * RepetitionValueTable: the "value of a repeated token" (D'/U_D, average worth D'/D, worth
//    of the marginal token) per epoch count, and the same for excess parameters (N'/U_N).
//  * HalfLives: repetitions after which a repeated token (or excess parameter) is worth half,
//    and 1/e, of a fresh one.
// Not here: allocation itself (allocate.h), printing (format.h).
#ifndef DATAWALL_SIM_RETURNS_H_
#define DATAWALL_SIM_RETURNS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/law.h"

namespace datawall::sim {

struct ReturnsOptions {
  // Rows are log-spaced in epochs (fixed N) or in FLOPs (optimal path), this many per decade.
  int points_per_decade = 4;
  // The curve runs from 1 epoch to at least this many.
  double max_epochs = 1000;
  // The optimal path stops here even if max_epochs was not reached, in FLOPs.
  double max_flops = 1e40;
};

struct ReturnsRow {
  double epochs = 0;            // D / U
  double tokens = 0;            // D
  double params = 0;            // N (fixed, or the optimum for this budget)
  double flops = 0;             // 6 N D
  double loss = 0;              // with U unique tokens repeated
  double loss_fresh_data = 0;   // had all D tokens been unique (fixed N: L(N, D, D); optimal
                                // path: the unconstrained optimum of the same budget)
  double effective_tokens = 0;  // D'
  double marginal_token_worth = 0;  // dD'/dD: a repeated token's worth relative to a fresh one
  double d_loss_d_log_flops = 0;    // marginal value of compute (<= 0), repeating
  double d_loss_d_log_flops_fresh_data = 0;  // the same with fresh data
};

// fixed_params empty: the compute-optimal path (rows from the budget where data starts to bind,
// or the smallest feasible budget if that is smaller than one parameter times one token).
absl::StatusOr<std::vector<ReturnsRow>> ReturnsCurve(const laws::Law& law, double unique_tokens,
                                                     std::optional<double> fixed_params,
                                                     const ReturnsOptions& options = {});

struct RepetitionValueRow {
  double epochs = 0;                  // D / U_D
  double effective_data_ratio = 0;    // D' / U_D
  double average_token_worth = 0;     // D' / D
  double marginal_token_worth = 0;    // dD'/dD = e^{-R_D/R_D*}
  double param_ratio = 0;             // N / U_N (same multiple as epochs)
  double effective_params_ratio = 0;  // N' / U_N
  double marginal_param_worth = 0;    // dN'/dN = e^{-R_N/R_N*}
};

// One row per epoch count (each >= 1; the plateau as epochs -> infinity is in HalfLives). Needs
// a law whose effective data and parameters follow Eq. 5/6 (data-constrained form); errors
// name law: or epochs:.
absl::StatusOr<std::vector<RepetitionValueRow>> RepetitionValueTable(
    const laws::Law& law, const std::vector<double>& epochs = {1, 2, 4, 8, 16, 40, 64, 100});

struct HalfLives {
  double rd_star = 0;  // R_D*: after R_D* repetitions a repeated token is worth 1/e (the paper's
                       // "half-life": ~15 repetitions = 16 epochs)
  double token_half_life_repetitions = 0;  // R_D* ln 2: worth exactly one half
  double token_half_life_epochs = 0;       // 1 + R_D* ln 2
  double rn_star = 0;
  double param_half_life_excess = 0;       // R_N* ln 2 (in multiples of U_N beyond 1)
  double plateau_effective_data_ratio = 0;    // 1 + R_D*: D'/U_D as epochs -> infinity
  double plateau_effective_params_ratio = 0;  // 1 + R_N*
};
absl::StatusOr<HalfLives> ComputeHalfLives(const laws::Law& law);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_RETURNS_H_
