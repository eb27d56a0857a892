// Suffix array by libdivsufsort, the k-prefix flags by Kasai's LCP (see suffix_array.h).
#include "data/dedup/suffix_array.h"

#include <divsufsort.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace datawall::data::dedup {

absl::Status SuffixArrayWithLongLcp(std::string_view text, int64_t k, std::vector<int32_t>* sa,
                                    std::vector<uint8_t>* long_lcp) {
  if (k < 1) return absl::InvalidArgumentError(absl::StrCat("k must be >= 1, got ", k));
  const int64_t n = static_cast<int64_t>(text.size());
  if (n >= kMaxSuffixArrayBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("corpus of ", n, " bytes exceeds the 2 GiB limit of the 32-bit suffix array"));
  }
  sa->assign(n, 0);
  long_lcp->assign(n, 0);
  if (n == 0) return absl::OkStatus();
  const auto* t = reinterpret_cast<const sauchar_t*>(text.data());
  if (divsufsort(t, sa->data(), static_cast<saidx_t>(n)) != 0) {
    return absl::InternalError(absl::StrCat("divsufsort failed on ", n, " bytes"));
  }
  // Kasai et al. (2001): walking suffixes in text order, the LCP with the rank predecessor drops
  // by at most one from one position to the next.
  std::vector<int32_t> rank(n);
  for (int64_t r = 0; r < n; ++r) rank[(*sa)[r]] = static_cast<int32_t>(r);
  int64_t h = 0;
  for (int64_t p = 0; p < n; ++p) {
    const int64_t r = rank[p];
    if (r == 0) {
      h = 0;
      continue;
    }
    const int64_t q = (*sa)[r - 1];
    while (p + h < n && q + h < n && t[p + h] == t[q + h]) ++h;
    (*long_lcp)[r] = h >= k ? 1 : 0;
    if (h > 0) --h;
  }
  return absl::OkStatus();
}

}  // namespace datawall::data::dedup
