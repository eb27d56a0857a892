// A subset of a shard's documents written as a shard of its own, with its document index
// (data/document_index.h): the pools and arms of the filter experiments, the reference set of
// the perplexity scorer, the high-quality validation subset. Tokens are copied, not re-encoded,
// so the subset keeps the shard's tokenizer, vocabulary and source table.
#ifndef DATAWALL_DATA_SUBSET_H_
#define DATAWALL_DATA_SUBSET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "data/document_index.h"
#include "data/shard.h"
#include "tools/result/result.h"

namespace datawall::data {

// Writes documents `docs` of `shard` (ascending shard indices) to `path` and their index to
// DocumentIndexPath(path), both atomically. `index` is the shard's own index (one entry per
// document). The corpus hash is the checksum of the shard's corpus hash, `tag` (what chose the
// subset) and the list of documents, so two different subsets never share one. BadInput for
// indices out of range or not ascending.
Result WriteSubset(const Shard& shard, const std::vector<IndexEntry>& index,
                   const std::vector<int64_t>& docs, const std::string& tag,
                   const std::string& path);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_SUBSET_H_
