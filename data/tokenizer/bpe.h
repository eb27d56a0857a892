// Byte-pair merging of one pre-token, with tiktoken's rule: repeatedly merge the adjacent pair
// whose concatenation has the lowest rank (= token id), the leftmost on ties, until no adjacent
// concatenation is a token. Short pieces use a simple scan; long ones a heap over a linked list,
// so a 1 MB single-word piece costs O(n log n), not O(n^2). Not the pre-tokenizer or the vocab.
#ifndef DATAWALL_DATA_TOKENIZER_BPE_H_
#define DATAWALL_DATA_TOKENIZER_BPE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "data/tokenizer/flat_map.h"

namespace datawall::data {

inline uint64_t PairKey(uint32_t left, uint32_t right) {
  return (static_cast<uint64_t>(left) << 32) | right;
}

// `pairs` maps PairKey(a, b) to the id of the token whose bytes are bytes(a) + bytes(b), for every
// such pair of tokens; `byte_ids` gives the token of each single byte. Appends the piece's ids.
void BytePairEncode(std::string_view piece, const FlatU64Map& pairs, const uint32_t byte_ids[256],
                    std::vector<uint32_t>* out);

// Pieces up to this many bytes take the quadratic scan (faster for short words).
inline constexpr size_t kBpeScanMaxBytes = 48;

// The heap algorithm alone (tests compare it with the scan on every length).
void BytePairEncodeHeap(std::string_view piece, const FlatU64Map& pairs,
                        const uint32_t byte_ids[256], std::vector<uint32_t>* out);
void BytePairEncodeScan(std::string_view piece, const FlatU64Map& pairs,
                        const uint32_t byte_ids[256], std::vector<uint32_t>* out);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_BPE_H_
