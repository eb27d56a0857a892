// The closed-form compute-optimal allocation of Chinchilla (Eq. 3) for any law's a, b, alpha,
// beta: G, N_opt(C), D_opt(C) with FLOPs = 6 N D, through paper::Eq3Optimum (paper/paper.h). It
// ignores repetition (that is sim/'s exact data-constrained Allocate); laws uses it for derived
// quantities of bootstrap resamples.
#ifndef DATAWALL_LAWS_ALLOCATION_H_
#define DATAWALL_LAWS_ALLOCATION_H_

#include "laws/law.h"

namespace datawall::laws {

// G = (alpha A / (beta B))^(1 / (alpha + beta)).
double AllocationG(const Law& law);
// N_opt(C) = G (C/6)^(beta/(alpha+beta)).
double OptimalParams(const Law& law, double flops);
// D_opt(C) = G^-1 (C/6)^(alpha/(alpha+beta)).
double OptimalTokens(const Law& law, double flops);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_ALLOCATION_H_
