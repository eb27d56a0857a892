// The pool of unique data the filter experiments start from (paper section 7: a fixed pool that
// each filter shrinks): whole documents of a shard, each source's in a seeded order, taken
// source by source so the pool keeps the shard's source mix (at every step the next document
// comes from the source with the smallest share of its tokens taken so far). Documents of
// excluded sources (the perplexity scorer's reference set) never enter it.
//
// Not here: writing the pool (data/subset.h), filtering it (perplexity_filter.h, data/dedup/).
#ifndef DATAWALL_DATA_QUALITY_POOL_H_
#define DATAWALL_DATA_QUALITY_POOL_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "data/document_index.h"

namespace datawall::data::quality {

// Chooses documents of `index` (a shard's document index) until their tokens reach
// pool_tokens (the last one may overshoot it); *docs gets their shard indices, ascending.
// A pure function of (index, exclude, pool_tokens, seed); a larger pool_tokens with the same
// seed gives a superset (pools are nested). InvalidArgument when pool_tokens < 1 or exceeds the
// tokens of the sources not excluded.
absl::Status SelectPool(const std::vector<IndexEntry>& index, const std::set<std::string>& exclude,
                        int64_t pool_tokens, uint64_t seed, std::vector<int64_t>* docs);

}  // namespace datawall::data::quality

#endif  // DATAWALL_DATA_QUALITY_POOL_H_
