#include "laws/allocation.h"

#include <cmath>

namespace datawall::laws {

double AllocationG(const Law& law) {
  const auto& c = law.coefficients();
  return std::exp(internal::LogG(c.data()));
}

double OptimalParams(const Law& law, double flops) {
  const auto& c = law.coefficients();
  return AllocationG(law) * std::pow(flops / 6, c[kBeta] / (c[kAlpha] + c[kBeta]));
}

double OptimalTokens(const Law& law, double flops) {
  const auto& c = law.coefficients();
  return std::pow(flops / 6, c[kAlpha] / (c[kAlpha] + c[kBeta])) / AllocationG(law);
}

}  // namespace datawall::laws
