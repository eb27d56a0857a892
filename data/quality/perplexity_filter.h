// Perplexity percentile filters (paper section 7, App. N): keep the documents a reference
// language model finds most (or moderately) predictable. "top25" keeps the documents whose
// perplexity is below the 25th percentile, "top50" below the 50th, "mid25_75" those between
// the 25th and the 75th (lower perplexity = higher quality, as the paper's KenLM filter).
// Percentiles are over documents, as the paper's; ties are broken by document index, so the
// selection is a pure function of the scores.
//
// Not here: the scores themselves (a reference GPT computes them: experiments/quality/).
#ifndef DATAWALL_DATA_QUALITY_PERPLEXITY_FILTER_H_
#define DATAWALL_DATA_QUALITY_PERPLEXITY_FILTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace datawall::data::quality {

enum class PerplexityBand { kTop25, kTop50, kMid25To75 };

// "top25", "top50", "mid25_75".
bool ParsePerplexityBand(std::string_view text, PerplexityBand* band);
std::string PerplexityBandName(PerplexityBand band);

// keep[d] for every document d of `perplexity` (n documents sorted by perplexity, rank r
// counted from 0): top25 keeps r < ceil(n / 4), top50 r < ceil(n / 2), mid25_75
// floor(n / 4) <= r < ceil(3 n / 4). InvalidArgument for a perplexity that is not finite and
// positive (a scorer bug must not silently pick documents).
absl::Status SelectByPerplexity(const std::vector<double>& perplexity, PerplexityBand band,
                                std::vector<bool>* keep);

}  // namespace datawall::data::quality

#endif  // DATAWALL_DATA_QUALITY_PERPLEXITY_FILTER_H_
