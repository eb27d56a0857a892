// The functions of paper.h: lookups into its tables, Eq. 3 and the authors' grid multipliers.
// The data itself is all in paper.h.
#include "paper/paper.h"

namespace datawall::paper {

const Table1Row* FindTable1Row(std::string_view id) {
  for (const Table1Row& row : kTable1) {
    if (row.id == id) return &row;
  }
  return nullptr;
}

ComputeOptimal Eq3Optimum(double log_a, double log_b, double alpha, double beta, double flops) {
  const double log_k = std::log(flops / kFlopsPerParamToken);
  const double x = Eq3LogOptimalParams(Eq3LogG(log_a, log_b, alpha, beta), alpha, beta, log_k);
  return {std::exp(x), std::exp(log_k - x)};
}

double Eq3FlopsForOptimalTokens(double log_a, double log_b, double alpha, double beta,
                                double tokens) {
  const double tokens_exponent = alpha / (alpha + beta);
  const double log_g = Eq3LogG(log_a, log_b, alpha, beta);
  return kFlopsPerParamToken * std::exp((log_g + std::log(tokens)) / tokens_exponent);
}

double AuthorsGridMultiplier(int k) {
  const LinspaceGrid& g = kAuthorsGrid;
  // numpy.linspace: low + k * ((high - low) / (points - 1)), the last point exactly high.
  if (k == g.points - 1) return g.high;
  return g.low + k * ((g.high - g.low) / (g.points - 1));
}

const IsoFlopFamily* FindIsoFlopFamily(std::string_view run_prefix) {
  for (const IsoFlopFamily& f : kIsoFlopFamilies) {
    if (f.run_prefix == run_prefix) return &f;
  }
  return nullptr;
}

}  // namespace datawall::paper
