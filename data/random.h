// Counter-based random streams for data orders: every draw is a pure function of
// (seed, purpose, index), with our own Fisher-Yates and unbiased bounded integers, so orders are
// identical on every standard library (std::shuffle and std::uniform_int_distribution are not
// specified exactly). Used by data/budget.cc (budget orders) and data/sampler.cc (epoch orders).
// Not a general-purpose RNG and not cryptographic. Standard library only, header only.
#ifndef DATAWALL_DATA_RANDOM_H_
#define DATAWALL_DATA_RANDOM_H_

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace datawall::data::random {

// Purposes keep streams of the same seed independent.
inline constexpr uint64_t kDocumentOrderPurpose = 0x646f632d6f726465ULL;  // "doc-orde"
inline constexpr uint64_t kEpochOrderPurpose = 0x65706f63682d6f72ULL;     // "epoch-or"
inline constexpr uint64_t kChunkOrderPurpose = 0x6368756e6b2d6f72ULL;     // "chunk-or"

inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline uint64_t StreamKey(uint64_t seed, uint64_t purpose, uint64_t index) {
  uint64_t state = seed;
  uint64_t key = SplitMix64(&state) ^ purpose;
  state = key;
  key = SplitMix64(&state) ^ index;
  state = key;
  return SplitMix64(&state);
}

// Uniform integer in [0, bound) without bias (Lemire's multiply-and-reject).
inline uint64_t Bounded(uint64_t* state, uint64_t bound) {
  unsigned __int128 m = static_cast<unsigned __int128>(SplitMix64(state)) * bound;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(SplitMix64(state)) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

// The permutation of [0, n) drawn from (seed, purpose, index).
inline std::vector<int64_t> Permutation(int64_t n, uint64_t seed, uint64_t purpose,
                                        uint64_t index) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  uint64_t state = StreamKey(seed, purpose, index);
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = static_cast<int64_t>(Bounded(&state, static_cast<uint64_t>(i) + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

}  // namespace datawall::data::random

#endif  // DATAWALL_DATA_RANDOM_H_
