// Multi-threaded encoding of many documents with any Tokenizer whose Encode is thread-safe (both
// of ours are). Work is handed out one document at a time, so long and short documents mix well.
// Not a pipeline: callers own I/O and the document separator.
#ifndef DATAWALL_DATA_TOKENIZER_PARALLEL_H_
#define DATAWALL_DATA_TOKENIZER_PARALLEL_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "data/tokenizer/tokenizer.h"

namespace datawall::data {

// ids[i] = Encode(docs[i]). threads <= 0 means std::thread::hardware_concurrency().
std::vector<std::vector<uint32_t>> EncodeDocuments(const Tokenizer& tokenizer,
                                                   const std::vector<std::string_view>& docs,
                                                   int threads);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_PARALLEL_H_
