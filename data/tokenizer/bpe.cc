// Byte-pair merging: the quadratic scan for short pieces and the heap + linked list for long ones.
// Both implement exactly tiktoken's bytePairMerge (lowest rank first, leftmost on ties).
#include "data/tokenizer/bpe.h"

#include <algorithm>
#include <functional>

namespace datawall::data {
namespace {
constexpr uint32_t kNone = FlatU64Map::kMissing;
}  // namespace

void BytePairEncodeScan(std::string_view piece, const FlatU64Map& pairs,
                        const uint32_t byte_ids[256], std::vector<uint32_t>* out) {
  const size_t n = piece.size();
  if (n == 0) return;
  uint32_t ids_buf[kBpeScanMaxBytes], ranks_buf[kBpeScanMaxBytes];
  std::vector<uint32_t> ids_vec, ranks_vec;
  uint32_t* ids = ids_buf;
  uint32_t* ranks = ranks_buf;
  if (n > kBpeScanMaxBytes) {
    ids_vec.resize(n);
    ranks_vec.resize(n);
    ids = ids_vec.data();
    ranks = ranks_vec.data();
  }
  for (size_t i = 0; i < n; ++i) ids[i] = byte_ids[static_cast<unsigned char>(piece[i])];
  size_t m = n;
  for (size_t i = 0; i + 1 < m; ++i) ranks[i] = pairs.Find(PairKey(ids[i], ids[i + 1]));
  while (m > 1) {
    uint32_t best = kNone;
    size_t at = 0;
    for (size_t i = 0; i + 1 < m; ++i) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (best == kNone) break;
    ids[at] = best;
    for (size_t i = at + 1; i + 1 < m; ++i) {
      ids[i] = ids[i + 1];
      ranks[i] = ranks[i + 1];
    }
    --m;
    if (at > 0) ranks[at - 1] = pairs.Find(PairKey(ids[at - 1], ids[at]));
    if (at + 1 < m) ranks[at] = pairs.Find(PairKey(ids[at], ids[at + 1]));
  }
  out->insert(out->end(), ids, ids + m);
}

void BytePairEncodeHeap(std::string_view piece, const FlatU64Map& pairs,
                        const uint32_t byte_ids[256], std::vector<uint32_t>* out) {
  const size_t n = piece.size();
  if (n == 0) return;
  // Node i starts at byte i; a merge keeps the left node and unlinks the right one. rank[i] is the
  // rank of the pair (i, next[i]) now (kNone if none or i is dead). A heap entry is
  // (rank << 32 | left): the smallest is the lowest rank, leftmost on ties. An entry is stale
  // when rank[left] no longer equals its rank: the pair's bytes (hence its token) changed.
  std::vector<uint32_t> id(n), next(n), prev(n), rank(n, kNone);
  for (size_t i = 0; i < n; ++i) {
    id[i] = byte_ids[static_cast<unsigned char>(piece[i])];
    next[i] = static_cast<uint32_t>(i + 1);  // n = end of list
    prev[i] = static_cast<uint32_t>(i) - 1;  // wraps to ~0 for the first node
  }
  std::vector<uint64_t> heap;
  heap.reserve(n);
  for (uint32_t i = 0; i + 1 < n; ++i) {
    rank[i] = pairs.Find(PairKey(id[i], id[i + 1]));
    if (rank[i] != kNone) heap.push_back((static_cast<uint64_t>(rank[i]) << 32) | i);
  }
  const auto greater = std::greater<uint64_t>();
  std::make_heap(heap.begin(), heap.end(), greater);
  auto update = [&](uint32_t left) {
    const uint32_t right = next[left];
    rank[left] = right < n ? pairs.Find(PairKey(id[left], id[right])) : kNone;
    if (rank[left] != kNone) {
      heap.push_back((static_cast<uint64_t>(rank[left]) << 32) | left);
      std::push_heap(heap.begin(), heap.end(), greater);
    }
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), greater);
    const uint64_t top = heap.back();
    heap.pop_back();
    const uint32_t r = static_cast<uint32_t>(top >> 32), left = static_cast<uint32_t>(top);
    if (rank[left] != r) continue;  // stale
    const uint32_t right = next[left];
    id[left] = r;
    rank[right] = kNone;
    next[left] = next[right];
    if (next[right] < n) prev[next[right]] = left;
    if (prev[left] < n) update(prev[left]);
    update(left);
  }
  for (size_t i = 0; i < n; i = next[i]) out->push_back(id[i]);
}

void BytePairEncode(std::string_view piece, const FlatU64Map& pairs, const uint32_t byte_ids[256],
                    std::vector<uint32_t>* out) {
  if (piece.size() <= kBpeScanMaxBytes) {
    BytePairEncodeScan(piece, pairs, byte_ids, out);
  } else {
    BytePairEncodeHeap(piece, pairs, byte_ids, out);
  }
}

}  // namespace datawall::data
