#include "sim/authors_grid.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/allocate.h"

namespace datawall::sim {

GridAllocation AuthorsGridAllocation(const laws::Law& law, double flops, double unique_tokens,
                                     double center_params) {
  const double n0 = center_params > 0 ? center_params : ChinchillaAllocation(law, flops).params;
  const double d0 = flops / 6.0 / n0;
  GridAllocation best;
  best.loss = HUGE_VAL;
  for (int k = 0; k < 500; ++k) {
    const double i = 1.0001 + (3.0 - 1.0001) * k / 499;  // np.linspace(1.0001, 3, 500)
    for (const auto& [n, d] : {std::pair{n0 / i, d0 * i}, std::pair{n0 * i, d0 / i}}) {
      const double loss = law.Loss(n, d, std::min(unique_tokens, d));
      if (loss < best.loss) best = {n, d, loss, k == 499};
    }
  }
  return best;
}

}  // namespace datawall::sim
