#include "laws/allocation.h"

#include <cmath>

#include "paper/paper.h"

namespace datawall::laws {
namespace {

paper::ComputeOptimal Optimum(const Law& law, double flops) {
  const auto& c = law.coefficients();
  return paper::Eq3Optimum(c[kA], c[kB], c[kAlpha], c[kBeta], flops);
}

}  // namespace

double AllocationG(const Law& law) {
  const auto& c = law.coefficients();
  return std::exp(LogG(c.data()));
}

double OptimalParams(const Law& law, double flops) { return Optimum(law, flops).params; }

double OptimalTokens(const Law& law, double flops) { return Optimum(law, flops).tokens; }

}  // namespace datawall::laws
