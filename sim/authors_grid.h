// The authors' allocation grid search, for side-by-side comparison with the exact allocator:
// the datablations README's optimal_allocation(C, U) (500 multipliers i in
// np.linspace(1.0001, 3, 500), candidates (N0/i, D0*i) and (N0*i, D0/i), U_D = min(U, D), keep
// the lowest loss) around a centre (N0, D0) on the iso-FLOP line: Chinchilla's point in the
// README, Galactica's (120B, 450B) in galactica.ipynb.
//
// A baseline only: it is bounded to N in [N0/3, 3 N0] and can miss the optimum (docs/sim.md,
// Galactica). Use allocate.h for answers.
#ifndef DATAWALL_SIM_AUTHORS_GRID_H_
#define DATAWALL_SIM_AUTHORS_GRID_H_

#include "laws/law.h"

namespace datawall::sim {

struct GridAllocation {
  double params = 0;
  double tokens = 0;
  double loss = 0;
  bool on_boundary = false;  // the best candidate is a multiplier of 3 (the search box's edge)
};

// center_params <= 0 means Chinchilla's N_opt(C) (the README); D0 = C / (6 N0).
GridAllocation AuthorsGridAllocation(const laws::Law& law, double flops, double unique_tokens,
                                     double center_params = 0);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_AUTHORS_GRID_H_
