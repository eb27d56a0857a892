// The suffix array of a byte string (libdivsufsort) and, from Kasai's LCP, which adjacent pairs
// of suffixes share a prefix of at least k bytes: what exact-substring deduplication needs
// (data/dedup/dedup.h). Not a general LCP library: the full LCP values are not kept.
//
// 32-bit indices (divsufsort's saidx_t): strings of kMaxSuffixArrayBytes or more are refused
// with InvalidArgument. Memory: 4 n bytes for the array, n for the flags, and 4 n temporarily
// (the inverse array) while the flags are computed.
#ifndef DATAWALL_DATA_DEDUP_SUFFIX_ARRAY_H_
#define DATAWALL_DATA_DEDUP_SUFFIX_ARRAY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace datawall::data::dedup {

// The largest string (exclusive) a 32-bit suffix array indexes.
inline constexpr int64_t kMaxSuffixArrayBytes = int64_t{1} << 31;

// *sa: the starting positions of text's suffixes in lexicographic (unsigned byte) order.
// (*long_lcp)[r] for r >= 1: 1 when suffixes (*sa)[r - 1] and (*sa)[r] share their first k bytes
// (both suffixes at least k long), else 0; (*long_lcp)[0] = 0. k >= 1.
absl::Status SuffixArrayWithLongLcp(std::string_view text, int64_t k, std::vector<int32_t>* sa,
                                    std::vector<uint8_t>* long_lcp);

}  // namespace datawall::data::dedup

#endif  // DATAWALL_DATA_DEDUP_SUFFIX_ARRAY_H_
