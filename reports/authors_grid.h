// The authors' allocation search, ported so the report can show it beside the exact optimum.
//
// The datablations README (and galactica.ipynb) search the iso-FLOP line around a base point
// (N0, D0) with i in numpy.linspace(1.0001, 3, 500): candidates (N0 / i, D0 * i) and
// (N0 * i, D0 / i), keeping the lowest loss (REFERENCE.md §4, pitfall 8). The base is the
// Chinchilla point of the budget (README) or a trained configuration (Galactica). Results at
// i = 3 sit on the edge of the grid: the search range, not the law, decided them.
// The simulator (sim/allocate.h) solves the same problem exactly; this file exists only because
// sim deliberately exposes no grid. Not here: the exact solver, printing.
#ifndef DATAWALL_REPORTS_AUTHORS_GRID_H_
#define DATAWALL_REPORTS_AUTHORS_GRID_H_

#include "laws/law.h"

namespace datawall::reports {

struct GridAllocation {
  double params = 0;
  double tokens = 0;
  double loss = 0;
  double multiplier = 0;       // the i of the best candidate
  bool more_tokens = false;    // the best candidate is (N0 / i, D0 * i)
  bool on_grid_edge = false;   // i is the last grid value (3): the range limited the answer
};

// Searches around (base_params, base_tokens); `points` = 500 reproduces the authors.
GridAllocation AuthorsGridAllocation(const laws::Law& law, double base_params,
                                     double base_tokens, double unique_tokens, int points = 500);

// The Chinchilla point of a budget under the law's A, B, alpha, beta (Eq. 3): the README's base.
void ChinchillaPoint(const laws::Law& law, double flops, double* params, double* tokens);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_AUTHORS_GRID_H_
