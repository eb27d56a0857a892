// Lookups of the paper's measured runs (see measured_runs.h).
#include "reports/measured_runs.h"

#include <algorithm>
#include <cmath>

namespace datawall::reports {
namespace {
bool Same(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), 1.0); }
}  // namespace

bool IsBaseRun(const laws::RunPoint& run) {
  return run.key.find("seed") == std::string::npos && run.key.find("opt") == std::string::npos;
}

std::vector<laws::RunPoint> BaseRuns(const laws::RunTable& table, std::optional<double> params,
                                     std::optional<double> tokens,
                                     std::optional<double> unique_tokens) {
  std::vector<laws::RunPoint> out;
  for (const laws::RunPoint& r : table.runs()) {
    if (!IsBaseRun(r)) continue;
    if (params && !Same(r.params, *params)) continue;
    if (tokens && !Same(r.tokens, *tokens)) continue;
    if (unique_tokens && !Same(r.unique_tokens, *unique_tokens)) continue;
    out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const laws::RunPoint& a, const laws::RunPoint& b) {
    return a.tokens / a.unique_tokens < b.tokens / b.unique_tokens;
  });
  return out;
}

std::optional<laws::RunPoint> RunByKey(const laws::RunTable& table, const std::string& key) {
  for (const laws::RunPoint& r : table.runs()) {
    if (r.key == key) return r;
  }
  return std::nullopt;
}

}  // namespace datawall::reports
