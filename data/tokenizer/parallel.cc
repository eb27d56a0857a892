// EncodeDocuments: tools/parallel hands out one document index at a time.
#include "data/tokenizer/parallel.h"

#include "tools/parallel/parallel.h"

namespace datawall::data {

std::vector<std::vector<uint32_t>> EncodeDocuments(const Tokenizer& tokenizer,
                                                   const std::vector<std::string_view>& docs,
                                                   int threads) {
  std::vector<std::vector<uint32_t>> ids(docs.size());
  parallel::ParallelFor(static_cast<int64_t>(docs.size()), parallel::ThreadCount(threads),
                        [&](int64_t i) { tokenizer.Encode(docs[i], &ids[i]); });
  return ids;
}

}  // namespace datawall::data
