// EncodeDocuments: a pool of threads pulling document indices from an atomic counter.
#include "data/tokenizer/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace datawall::data {

std::vector<std::vector<uint32_t>> EncodeDocuments(const Tokenizer& tokenizer,
                                                   const std::vector<std::string_view>& docs,
                                                   int threads) {
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<int>(threads, std::max<size_t>(1, docs.size()));
  std::vector<std::vector<uint32_t>> ids(docs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < docs.size();) {
      tokenizer.Encode(docs[i], &ids[i]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
  return ids;
}

}  // namespace datawall::data
