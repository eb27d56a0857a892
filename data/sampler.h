// Repetition: what the paper means by "epochs" over a unique-data budget U_D (the budget
// itself, which U tokens, is data/budget.h).
//
//   RepeatSampler: cuts the unique set into sequences of seq_len + 1 tokens (inputs and shifted
//     targets; consecutive sequences overlap by one token) and yields them epoch after epoch,
//     each epoch in a fresh order drawn from (seed, epoch). Sequence k is a pure function of
//     (seed, k), so training resumes mid-epoch exactly. A fractional last epoch is allowed.
//   MixtureSampler: interleaves several RepeatSamplers by fixed fractions (e.g. 50% code).
// Standard library only (runs on the GPU machine).
#ifndef DATAWALL_DATA_SAMPLER_H_
#define DATAWALL_DATA_SAMPLER_H_

#include <cstdint>
#include <vector>

namespace datawall::data {

class RepeatSampler {
 public:
  // `unique` must hold at least seq_len + 1 tokens. Each epoch covers
  // sequences_per_epoch() = (unique.size() - 1) / seq_len sequences.
  RepeatSampler(std::vector<int32_t> unique, int64_t seq_len, uint64_t seed);

  int64_t seq_len() const { return seq_len_; }
  int64_t sequences_per_epoch() const { return sequences_per_epoch_; }
  // Writes sequence `index` (0-based over the whole run: epoch = index / sequences_per_epoch())
  // as seq_len + 1 tokens into out.
  void Sequence(int64_t index, int32_t* out) const;

 private:
  std::vector<int32_t> unique_;
  int64_t seq_len_;
  uint64_t seed_;
  int64_t sequences_per_epoch_;
  mutable std::vector<int64_t> order_;  // permutation of the cached epoch
  mutable int64_t cached_epoch_ = -1;
};

class MixtureSampler {
 public:
  // fractions[i] is the share of sequences drawn from samplers[i]; they must sum to 1.
  // Sequences are interleaved deterministically by Tijdeman's chairman-assignment rule, so in
  // every prefix of t sequences source i has served fraction_i * t sequences to within
  // 1 - 1/(2n - 2) (n = sources with a positive fraction): any prefix has the right proportions.
  MixtureSampler(std::vector<RepeatSampler> samplers, std::vector<double> fractions);
  void Sequence(int64_t index, int32_t* out) const;
  int64_t seq_len() const;

 private:
  // Which source serves sequence `index`, and that source's own sequence number.
  int Source(int64_t index, int64_t* source_index) const;

  std::vector<RepeatSampler> samplers_;
  std::vector<double> fractions_;
  // Interleaving state after next_index_ sequences (advanced incrementally; replayed from 0
  // when an earlier index is asked for).
  mutable std::vector<int64_t> counts_;
  mutable int64_t next_index_ = 0;
  mutable int last_source_ = 0;
  mutable int64_t last_source_index_ = 0;
};

}  // namespace datawall::data

#endif  // DATAWALL_DATA_SAMPLER_H_
