// The authors' allocation grid search, for side-by-side comparison with the exact allocator:
// the README's optimal_allocation(C, U) and galactica.ipynb of huggingface/datablations (App. G):
// multipliers i in numpy.linspace(1.0001, 3, 500) (paper::kAuthorsGrid), candidates (N0/i, D0 i)
// and (N0 i, D0/i) around a base (N0, D0) on the iso-FLOP line, keeping the lowest loss. The
// base is Chinchilla's point of the budget (Eq. 3; the README) or a trained configuration
// (Galactica's 120B params and 450B tokens in galactica.ipynb).
//
// A baseline only: it is bounded to N in [N0/3, 3 N0] and can miss the optimum (docs/sim.md,
// Galactica). Use allocate.h for answers. The one implementation of the grid in the tree (the
// report's allocation section uses it too).
#ifndef DATAWALL_SIM_AUTHORS_GRID_H_
#define DATAWALL_SIM_AUTHORS_GRID_H_

#include "laws/law.h"

namespace datawall::sim {

struct GridAllocation {
  double params = 0;
  double tokens = 0;
  double loss = 0;
  double multiplier = 0;      // the i of the best candidate
  bool more_tokens = false;   // the best candidate is (N0 / i, D0 i)
  bool on_grid_edge = false;  // i is the grid's last value (3): the search range decided it
};

// Searches around (base_params, base_tokens) for `unique_tokens`.
GridAllocation AuthorsGridAllocation(const laws::Law& law, double base_params, double base_tokens,
                                     double unique_tokens);

// The search for a budget of `flops`: around Chinchilla's point (Eq. 3 with the law's
// coefficients; the README), or around (center_params, C / (6 center_params)) when
// center_params > 0 (galactica.ipynb: 120e9).
GridAllocation AuthorsGridAllocationForBudget(const laws::Law& law, double flops,
                                              double unique_tokens, double center_params = 0);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_AUTHORS_GRID_H_
