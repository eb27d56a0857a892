// The authors' 500-point allocation grid (see authors_grid.h).
#include "reports/authors_grid.h"

#include <cmath>
#include <limits>

namespace datawall::reports {

void ChinchillaPoint(const laws::Law& law, double flops, double* params, double* tokens) {
  const double alpha = law.coefficient("alpha");
  const double beta = law.coefficient("beta");
  const double g = std::pow(alpha * law.A() / (beta * law.B()), 1.0 / (alpha + beta));
  *params = g * std::pow(flops / 6.0, beta / (alpha + beta));
  *tokens = (1.0 / g) * std::pow(flops / 6.0, alpha / (alpha + beta));
}

GridAllocation AuthorsGridAllocation(const laws::Law& law, double base_params,
                                     double base_tokens, double unique_tokens, int points) {
  GridAllocation best;
  best.loss = std::numeric_limits<double>::infinity();
  const double lo = 1.0001, hi = 3.0;
  for (int k = 0; k < points; ++k) {
    // numpy.linspace: lo + k * (hi - lo) / (points - 1), with the last point exactly hi.
    const double i = k == points - 1 ? hi : lo + k * ((hi - lo) / (points - 1));
    for (const bool more_tokens : {true, false}) {
      const double n = more_tokens ? base_params / i : base_params * i;
      const double d = more_tokens ? base_tokens * i : base_tokens / i;
      const double loss = law.Loss(n, d, unique_tokens);
      if (loss < best.loss) {
        best.params = n;
        best.tokens = d;
        best.loss = loss;
        best.multiplier = i;
        best.more_tokens = more_tokens;
        best.on_grid_edge = k == points - 1;
      }
    }
  }
  return best;
}

}  // namespace datawall::reports
