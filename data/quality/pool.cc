// Pool selection: see pool.h.
#include "data/quality/pool.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "data/random.h"

namespace datawall::data::quality {

namespace {
constexpr uint64_t kPoolOrderPurpose = 0x706f6f6c2d6f7264ULL;  // "pool-ord"
}  // namespace

absl::Status SelectPool(const std::vector<IndexEntry>& index, const std::set<std::string>& exclude,
                        int64_t pool_tokens, uint64_t seed, std::vector<int64_t>* docs) {
  if (pool_tokens < 1) return absl::InvalidArgumentError("pool_tokens: must be at least 1");
  struct Source {
    std::vector<int64_t> docs;  // shard indices, then in the seeded order
    int64_t total = 0, taken = 0;
    size_t next = 0;
  };
  std::map<std::string, Source> sources;  // by name: a fixed, documented tie order
  int64_t available = 0;
  for (const IndexEntry& e : index) {
    if (exclude.count(e.src)) continue;
    Source& s = sources[e.src];
    s.docs.push_back(e.doc);
    s.total += e.tokens;
    available += e.tokens;
  }
  if (pool_tokens > available) {
    return absl::InvalidArgumentError(absl::StrCat("pool_tokens: ", pool_tokens, " exceeds the ",
                                                   available, " tokens of the pool's sources"));
  }
  uint64_t k = 0;
  for (auto& [name, s] : sources) {
    const std::vector<int64_t> order = random::Permutation(static_cast<int64_t>(s.docs.size()), seed,
                                                           kPoolOrderPurpose, k++);
    std::vector<int64_t> shuffled(s.docs.size());
    for (size_t i = 0; i < order.size(); ++i) shuffled[i] = s.docs[order[i]];
    s.docs = std::move(shuffled);
  }
  docs->clear();
  for (int64_t taken = 0; taken < pool_tokens;) {
    Source* best = nullptr;
    for (auto& [name, s] : sources) {
      if (s.next == s.docs.size()) continue;
      // taken / total, compared without division.
      if (best == nullptr || static_cast<__int128>(s.taken) * best->total <
                                 static_cast<__int128>(best->taken) * s.total) {
        best = &s;
      }
    }
    const int64_t d = best->docs[best->next++];
    best->taken += index[d].tokens;
    taken += index[d].tokens;
    docs->push_back(d);
  }
  std::sort(docs->begin(), docs->end());
  return absl::OkStatus();
}

}  // namespace datawall::data::quality
