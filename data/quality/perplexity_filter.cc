// Perplexity percentile filters: see perplexity_filter.h.
#include "data/quality/perplexity_filter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace datawall::data::quality {

bool ParsePerplexityBand(std::string_view text, PerplexityBand* band) {
  if (text == "top25") *band = PerplexityBand::kTop25;
  else if (text == "top50") *band = PerplexityBand::kTop50;
  else if (text == "mid25_75") *band = PerplexityBand::kMid25To75;
  else return false;
  return true;
}

std::string PerplexityBandName(PerplexityBand band) {
  switch (band) {
    case PerplexityBand::kTop25: return "top25";
    case PerplexityBand::kTop50: return "top50";
    case PerplexityBand::kMid25To75: return "mid25_75";
  }
  return "?";
}

absl::Status SelectByPerplexity(const std::vector<double>& perplexity, PerplexityBand band,
                                std::vector<bool>* keep) {
  const int64_t n = static_cast<int64_t>(perplexity.size());
  for (int64_t d = 0; d < n; ++d) {
    if (!std::isfinite(perplexity[d]) || !(perplexity[d] > 0)) {
      return absl::InvalidArgumentError(absl::StrCat("perplexity of document ", d, " is ",
                                                     perplexity[d], ", not finite and positive"));
    }
  }
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return perplexity[a] < perplexity[b]; });
  int64_t begin = 0, end = 0;
  switch (band) {
    case PerplexityBand::kTop25: end = (n + 3) / 4; break;
    case PerplexityBand::kTop50: end = (n + 1) / 2; break;
    case PerplexityBand::kMid25To75: begin = n / 4; end = (3 * n + 3) / 4; break;
  }
  keep->assign(n, false);
  for (int64_t r = begin; r < end; ++r) (*keep)[order[r]] = true;
  return absl::OkStatus();
}

}  // namespace datawall::data::quality
