// Compute-optimal allocation under a data budget: the exact solution of paper Eq. 4,
//
//     argmin_{N, D} L(N, D, U)   s.t.  6 N D = C,   U_D <= U,
//
// found over the whole feasible line N in [min_params, C / (6 min_tokens)], not a bounded grid.
// For the data-constrained law (Eq. 14) the solver is exact: if the Chinchilla point needs no
// more than U tokens it is the answer (closed form, Eq. 3); otherwise the optimum is the unique
// root of h(x) on the repeated-data part of the line (iso_flop_line.h; proof in docs/sim.md),
// found by safeguarded Newton on the analytic derivative. With alpha != beta the single-epoch
// side of the line is not covered by the proof and is searched by the scan below as well.
// Chinchilla-form laws use Eq. 3. Other law forms fall back to a dense scan plus Brent
// refinement (reported as AllocationMethod::kScan).
//
// Also the inverse question: the smallest C (and its allocation) whose optimum reaches a target
// loss with U unique tokens. Not here: printing (format.h), many budgets at once (sweep.h).
//
// Errors are absl::InvalidArgumentError whose message starts with the name of the offending
// input as the CLI spells it (flops:, unique_tokens:, target_loss:, law:).
#ifndef DATAWALL_SIM_ALLOCATE_H_
#define DATAWALL_SIM_ALLOCATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "laws/law.h"
#include "sim/iso_flop_line.h"

namespace datawall::sim {

struct AllocateOptions {
  // The smallest model considered, in parameters. Together with min_tokens it defines "too
  // small a budget": C < 6 * min_params * min_tokens is rejected.
  double min_params = 1.0;
  // The fewest total training tokens considered.
  double min_tokens = 1.0;
  // Newton stops once a step in ln(params) is below this (the optimum's params are then
  // accurate to about this relative error; its loss to the square of it).
  double log_params_tolerance = 1e-10;
  // Upper bound on Newton (or Brent) iterations; reaching it is an internal error.
  int max_iterations = 200;
  // Points of the coarse scan used by the fallback solver (laws without an exact solver).
  int scan_points = 256;
  // Largest budget the inverse search (MinimumFlopsForLoss) will consider, in FLOPs.
  double max_flops = 1e40;

  bool IsValid(std::string* error) const;
};

enum class AllocationMethod {
  kChinchillaClosedForm,  // the data budget does not bind: Eq. 3 is exact
  kExactNewton,           // root of the analytic optimality condition (data-constrained law)
  kBound,                 // the optimum sits on min_params or min_tokens
  kScan,                  // fallback: dense scan + Brent on the law's own LogLoss
};
const char* MethodName(AllocationMethod method);

struct Allocation {
  // The budget.
  double flops = 0;
  double unique_tokens = 0;  // U, the unique-data budget
  // The optimum.
  double params = 0;        // N
  double tokens = 0;        // D = flops / (6 N)
  double epochs = 0;        // D / U (below 1 when the data budget does not bind)
  double loss = 0;          // L(N, D, U)
  bool data_constrained = false;  // the data budget binds: the optimum repeats data (D > U)
  // Optimality certificate along the iso-FLOP line x = ln N: dL/dx (zero at an interior
  // optimum) and d2L/dx2 (positive), both exact for the data-constrained law.
  double d_loss_d_log_params = 0;
  double d2_loss_d_log_params2 = 0;
  // Marginal value of compute: dL*/d ln C (envelope theorem: D dL/dD at fixed N, U). <= 0.
  double d_loss_d_log_flops = 0;
  AllocationMethod method = AllocationMethod::kExactNewton;
  int iterations = 0;
  // Side by side: Chinchilla's allocation (Eq. 3, ignores repetition) and its loss under this
  // law, i.e. what following Chinchilla with only U unique tokens would give.
  double chinchilla_params = 0;
  double chinchilla_tokens = 0;
  double chinchilla_epochs = 0;
  double chinchilla_loss = 0;
};

// The Chinchilla point for a budget (Eq. 3 with this law's A, B, alpha, beta).
struct ParamsTokens {
  double params = 0;
  double tokens = 0;
};
ParamsTokens ChinchillaAllocation(const laws::Law& law, double flops);

// Holds a law's precomputed constants; Allocate() is then allocation-free and thread-safe.
class Allocator {
 public:
  static absl::StatusOr<Allocator> Create(const laws::Law& law, const AllocateOptions& options = {});

  absl::StatusOr<Allocation> Allocate(double flops, double unique_tokens) const;
  // The same without a Status on the hot path: returns false (and sets *error if non-null)
  // exactly when Allocate() would return an error.
  bool AllocateInto(double flops, double unique_tokens, Allocation* out,
                    std::string* error = nullptr) const;

  const laws::Law& law() const { return law_; }
  const AllocateOptions& options() const { return options_; }
  // Whether allocations are exact by the proof in docs/sim.md (data-constrained law with
  // alpha = beta, or a Chinchilla-form law); otherwise partly or wholly the scan fallback.
  bool exact() const { return tied_data_constrained_ || chinchilla_form_; }

 private:
  Allocator(const laws::Law& law, const AllocateOptions& options);
  bool SolveExact(double log_k, double log_u, double x_min, double x_max, Allocation* out) const;
  void SolveScan(double log_k, double unique_tokens, double x_min, double x_max,
                 Allocation* out) const;
  void FinishGeneric(double x, double log_k, double unique_tokens, Allocation* out) const;

  laws::Law law_;
  AllocateOptions options_;
  double log_min_params_ = 0, log_min_tokens_ = 0;
  DataConstrainedConstants constants_;
  bool data_constrained_ = false;       // Eq. 14: closed form / Newton available
  bool tied_data_constrained_ = false;  // ... and alpha = beta: the whole line is proven
  bool chinchilla_form_ = false;        // Eq. 2 (repetition ignored): Eq. 3 is exact
};

absl::StatusOr<Allocation> Allocate(const laws::Law& law, double flops, double unique_tokens,
                                    const AllocateOptions& options = {});

// The loss a budget of U unique tokens can never go below, however much compute: for the
// data-constrained law E + A/(U_N (1 + R_N*))^alpha + B/(U (1 + R_D*))^beta; for laws without
// a data plateau, E.
double LossFloor(const laws::Law& law, double unique_tokens);

// The smallest budget C whose optimal allocation reaches `target_loss` with U unique tokens;
// returns that allocation (flops = C). Errors name target_loss when the loss is at or below the
// floor or needs more than options.max_flops.
absl::StatusOr<Allocation> MinimumFlopsForLoss(const laws::Law& law, double target_loss,
                                               double unique_tokens,
                                               const AllocateOptions& options = {});

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_ALLOCATE_H_
