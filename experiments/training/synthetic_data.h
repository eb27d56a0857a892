// Synthetic token corpora with real structure, for tests, benchmarks and the GPU check.
//
// A seeded first-order Markov source: every token has `branching` possible successors with
// Zipf (1/rank) weights, and documents start at a uniformly drawn token. Its unigram
// distribution is close to uniform (entropy near log(vocab)) while its entropy rate is far
// lower, so a model that learns anything drives the loss well below the unigram entropy.
// Standard library only (+ data/shard.h to write shards). Not a language model of any text.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_SYNTHETIC_DATA_H_
#define DATAWALL_EXPERIMENTS_TRAINING_SYNTHETIC_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/result/result.h"

namespace datawall::training {

struct MarkovSource {
  int64_t vocab_size = 512;
  int64_t branching = 8;       // successors per token
  uint64_t seed = 1;
  int64_t document_tokens = 1000;

  // Documents totalling `num_tokens` tokens (the last one may be shorter); `stream` selects
  // an independent stream of the same chain (e.g. 0 train, 1 validation).
  std::vector<std::vector<uint32_t>> Documents(int64_t num_tokens, uint64_t stream) const;
  // Entropy rate of the chain (nats/token), ignoring document starts.
  double EntropyRate() const;
};

// Unigram entropy (nats/token) of the documents' empirical token distribution.
double UnigramEntropy(const std::vector<std::vector<uint32_t>>& documents);

// Writes `num_tokens` tokens of `source` (stream `stream`) as a shard (no source table).
Result WriteMarkovShard(const std::string& path, const MarkovSource& source,
                        int64_t num_tokens, uint64_t stream);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_SYNTHETIC_DATA_H_
