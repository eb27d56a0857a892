// Seeded Markov token corpora (see synthetic_data.h).
#include "experiments/training/synthetic_data.h"

#include <cmath>
#include <map>

#include "data/shard.h"

namespace datawall::training {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double Uniform(uint64_t* state) { return (SplitMix64(state) >> 11) * 0x1.0p-53; }

std::vector<double> ZipfWeights(int64_t k) {
  std::vector<double> w(k);
  double total = 0;
  for (int64_t r = 0; r < k; ++r) total += w[r] = 1.0 / (r + 1);
  for (double& x : w) x /= total;
  return w;
}

}  // namespace

std::vector<std::vector<uint32_t>> MarkovSource::Documents(int64_t num_tokens,
                                                          uint64_t stream) const {
  // Successor table: token t -> `branching` successors, a pure function of (seed, t).
  std::vector<uint32_t> successors(vocab_size * branching);
  for (int64_t t = 0; t < vocab_size; ++t) {
    uint64_t state = seed * 0x100000001B3ULL + static_cast<uint64_t>(t);
    for (int64_t j = 0; j < branching; ++j) {
      successors[t * branching + j] = static_cast<uint32_t>(SplitMix64(&state) % vocab_size);
    }
  }
  const std::vector<double> weights = ZipfWeights(branching);
  uint64_t state = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  std::vector<std::vector<uint32_t>> docs;
  int64_t left = num_tokens;
  while (left > 0) {
    const int64_t n = std::min(left, document_tokens);
    std::vector<uint32_t> doc(n);
    uint32_t token = static_cast<uint32_t>(SplitMix64(&state) % vocab_size);
    for (int64_t i = 0; i < n; ++i) {
      doc[i] = token;
      double u = Uniform(&state);
      int64_t j = 0;
      while (j + 1 < branching && u >= weights[j]) u -= weights[j++];
      token = successors[token * branching + j];
    }
    docs.push_back(std::move(doc));
    left -= n;
  }
  return docs;
}

double MarkovSource::EntropyRate() const {
  double h = 0;
  for (double w : ZipfWeights(branching)) h -= w * std::log(w);
  return h;  // upper bound: successors of a token may coincide, which only lowers it
}

double UnigramEntropy(const std::vector<std::vector<uint32_t>>& documents) {
  std::map<uint32_t, int64_t> counts;
  int64_t total = 0;
  for (const auto& d : documents) {
    for (uint32_t t : d) ++counts[t];
    total += d.size();
  }
  double h = 0;
  for (const auto& [t, c] : counts) {
    const double p = static_cast<double>(c) / total;
    h -= p * std::log(p);
  }
  return h;
}

Result WriteMarkovShard(const std::string& path, const MarkovSource& source,
                        int64_t num_tokens, uint64_t stream) {
  data::ShardInfo info;
  info.tokenizer_id = "markov_v" + std::to_string(source.vocab_size) + "_b" +
                      std::to_string(source.branching) + "_s" + std::to_string(source.seed);
  info.vocab_size = static_cast<uint32_t>(source.vocab_size);
  info.corpus_hash = info.tokenizer_id + "_stream" + std::to_string(stream);
  return data::WriteShard(path, info, source.Documents(num_tokens, stream));
}

}  // namespace datawall::training
