// The authors' 500-point allocation grid (see authors_grid.h).
#include "sim/authors_grid.h"

#include <cmath>

#include "paper/paper.h"
#include "sim/allocate.h"

namespace datawall::sim {

GridAllocation AuthorsGridAllocation(const laws::Law& law, double base_params, double base_tokens,
                                     double unique_tokens) {
  GridAllocation best;
  best.loss = HUGE_VAL;
  const int points = paper::kAuthorsGrid.points;
  for (int k = 0; k < points; ++k) {
    const double i = paper::AuthorsGridMultiplier(k);
    for (const bool more_tokens : {true, false}) {
      const double n = more_tokens ? base_params / i : base_params * i;
      const double d = more_tokens ? base_tokens * i : base_tokens / i;
      // Law::Loss reads U > D as U_D = min(U, D), as the README's scaling_law does.
      const double loss = law.Loss(n, d, unique_tokens);
      if (loss < best.loss) best = {n, d, loss, i, more_tokens, k == points - 1};
    }
  }
  return best;
}

GridAllocation AuthorsGridAllocationForBudget(const laws::Law& law, double flops,
                                              double unique_tokens, double center_params) {
  if (center_params > 0) {
    return AuthorsGridAllocation(law, center_params, flops / 6.0 / center_params, unique_tokens);
  }
  const ParamsTokens c = ChinchillaAllocation(law, flops);
  return AuthorsGridAllocation(law, c.params, c.tokens, unique_tokens);
}

}  // namespace datawall::sim
