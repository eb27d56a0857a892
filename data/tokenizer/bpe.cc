// Byte-pair merging: the quadratic scan for short pieces and the heap + linked list for long ones.
// Both implement exactly tiktoken's bytePairMerge (lowest rank first, leftmost on ties).
#include "data/tokenizer/bpe.h"

#include <algorithm>
#include <queue>

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
  // Node i starts at byte i; a merge keeps the left node and unlinks the right one.
  std::vector<uint32_t> id(n), next(n), prev(n);
  for (size_t i = 0; i < n; ++i) {
    id[i] = byte_ids[static_cast<unsigned char>(piece[i])];
    next[i] = static_cast<uint32_t>(i + 1);  // n = end of list
    prev[i] = static_cast<uint32_t>(i) - 1;  // wraps to ~0 for the first node
  }
  struct Entry {
    uint32_t rank, left, right, left_id, right_id;
    bool operator>(const Entry& o) const {
      return rank != o.rank ? rank > o.rank : left > o.left;
    }
  };
  std::vector<Entry> storage;
  storage.reserve(n);
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap(
      std::greater<Entry>(), std::move(storage));
  auto push = [&](uint32_t left) {
    const uint32_t right = next[left];
    if (right >= n) return;
    const uint32_t rank = pairs.Find(PairKey(id[left], id[right]));
    if (rank != kNone) heap.push({rank, left, right, id[left], id[right]});
  };
  for (uint32_t i = 0; i + 1 < n; ++i) push(i);
  std::vector<bool> dead(n, false);
  while (!heap.empty()) {
    const Entry e = heap.top();
    heap.pop();
    // Stale if either side has merged since the entry was pushed.
    if (dead[e.left] || dead[e.right] || next[e.left] != e.right || id[e.left] != e.left_id ||
        id[e.right] != e.right_id) {
      continue;
    }
    id[e.left] = e.rank;
    dead[e.right] = true;
    next[e.left] = next[e.right];
    if (next[e.right] < n) prev[next[e.right]] = e.left;
    if (prev[e.left] < n) push(prev[e.left]);
    push(e.left);
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
