// Frontiers for a fixed unique-data budget U:
//  * iso-loss contours over (N, epochs): for each loss level and epoch count, the model size
//    whose loss equals the level (paper Figure 3 right, Figure 8);
//  * the allocation paths over growing budgets C: the exact data-constrained optimum (the
//    efficient frontier through the contours) beside Chinchilla's allocation (Figure 1 right).
// Not here: the solver (allocate.h) or printing (format.h).
#ifndef DATAWALL_SIM_FRONTIER_H_
#define DATAWALL_SIM_FRONTIER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "laws/law.h"

namespace datawall::sim {

struct FrontierOptions {
  // The (N, epochs) box; 0 for params means automatic: [U_N / 2, 300 U_N] with U_N = N_opt(U).
  double min_params = 0;
  double max_params = 0;
  double min_epochs = 1;
  double max_epochs = 1000;
  // Epoch counts per contour (log-spaced).
  int contour_points = 25;
  // Loss levels; empty means 8 levels evenly spaced between the box's worst corner and the
  // best loss the efficient frontier reaches inside the box.
  std::vector<double> loss_levels;
  // Budgets along the allocation paths (log-spaced over the box's FLOP range).
  int path_points = 25;
};

struct ContourPoint {
  double loss_level = 0;
  double epochs = 0;
  double tokens = 0;
  double params = 0;
  double flops = 0;
};

struct PathPoint {
  double flops = 0;
  // The exact data-constrained optimum.
  double params = 0, tokens = 0, epochs = 0, loss = 0;
  double params_over_unique_params = 0;  // N / U_N(U): Figure 1 right's y axis
  // Chinchilla's allocation of the same budget, evaluated under the law.
  double chinchilla_params = 0, chinchilla_tokens = 0, chinchilla_epochs = 0, chinchilla_loss = 0;
  double chinchilla_params_over_unique_params = 0;
};

struct Frontier {
  double min_params = 0, max_params = 0;  // the box actually used
  std::vector<double> loss_levels;
  std::vector<ContourPoint> contours;  // grouped by level, epochs ascending; points outside
                                       // the params box are left out
  std::vector<PathPoint> path;
};

absl::StatusOr<Frontier> ComputeFrontier(const laws::Law& law, double unique_tokens,
                                         const FrontierOptions& options = {});

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_FRONTIER_H_
