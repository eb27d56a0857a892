// Per-epoch reshuffled repetition and fixed-fraction mixtures (the budgets themselves are
// data/budget.cc). Every random draw comes from data/random.h (a pure function of seed, purpose
// and index), so the orders are identical on every standard library.
// Not thread-safe: RepeatSampler and MixtureSampler cache the current epoch / position; use
// one sampler per thread.
#include "data/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "data/random.h"

namespace datawall::data {

using random::kEpochOrderPurpose;
using random::Permutation;


RepeatSampler::RepeatSampler(std::vector<int32_t> unique, int64_t seq_len, uint64_t seed)
    : unique_(std::move(unique)), seq_len_(seq_len), seed_(seed) {
  if (seq_len_ < 1) {
    throw std::invalid_argument("RepeatSampler: seq_len must be positive, got " +
                                std::to_string(seq_len_));
  }
  if (static_cast<int64_t>(unique_.size()) < seq_len_ + 1) {
    throw std::invalid_argument("RepeatSampler: " + std::to_string(unique_.size()) +
                                " unique tokens cannot fill one sequence of seq_len + 1 = " +
                                std::to_string(seq_len_ + 1));
  }
  sequences_per_epoch_ = (static_cast<int64_t>(unique_.size()) - 1) / seq_len_;
}

void RepeatSampler::Sequence(int64_t index, int32_t* out) const {
  if (index < 0) throw std::out_of_range("RepeatSampler: negative sequence index");
  const int64_t epoch = index / sequences_per_epoch_;
  if (epoch != cached_epoch_) {
    order_ = Permutation(sequences_per_epoch_, seed_, kEpochOrderPurpose,
                         static_cast<uint64_t>(epoch));
    cached_epoch_ = epoch;
  }
  const int64_t chunk = order_[index % sequences_per_epoch_];
  std::copy_n(unique_.data() + chunk * seq_len_, seq_len_ + 1, out);
}

MixtureSampler::MixtureSampler(std::vector<RepeatSampler> samplers, std::vector<double> fractions)
    : samplers_(std::move(samplers)), fractions_(std::move(fractions)) {
  if (samplers_.empty()) throw std::invalid_argument("MixtureSampler: no samplers");
  if (samplers_.size() != fractions_.size()) {
    throw std::invalid_argument("MixtureSampler: " + std::to_string(samplers_.size()) +
                                " samplers but " + std::to_string(fractions_.size()) +
                                " fractions");
  }
  double sum = 0;
  for (const double f : fractions_) {
    if (!(f >= 0 && f <= 1)) {
      throw std::invalid_argument("MixtureSampler: fraction " + std::to_string(f) +
                                  " outside [0, 1]");
    }
    sum += f;
  }
  if (std::fabs(sum - 1.0) > 1e-9) {
    throw std::invalid_argument("MixtureSampler: fractions sum to " + std::to_string(sum) +
                                ", not 1");
  }
  for (const RepeatSampler& s : samplers_) {
    if (s.seq_len() != samplers_[0].seq_len()) {
      throw std::invalid_argument("MixtureSampler: samplers have different seq_len");
    }
  }
  counts_.assign(samplers_.size(), 0);
  next_index_ = 0;
}

int64_t MixtureSampler::seq_len() const { return samplers_[0].seq_len(); }

int MixtureSampler::Source(int64_t index, int64_t* source_index) const {
  if (index < 0) throw std::out_of_range("MixtureSampler: negative sequence index");
  if (index == next_index_ - 1) {
    *source_index = last_source_index_;
    return last_source_;
  }
  if (index < next_index_) {  // going back (a resume): replay from the start
    std::fill(counts_.begin(), counts_.end(), 0);
    next_index_ = 0;
  }
  // Tijdeman's chairman-assignment rule (1980): with n sources of positive fraction and
  // sigma = 1 / (2n - 2), sequence t (1-based) goes, among the sources whose deficit
  // fraction * t - count is at least sigma, to the one that would fall behind soonest, i.e. with
  // the smallest (count + 1 - sigma) / fraction. Then |count_i(t) - fraction_i * t| <= 1 - sigma
  // for every source and every prefix t (the plain largest-deficit rule can exceed 1).
  int active = 0;
  for (const double f : fractions_) active += f > 0 ? 1 : 0;
  const double sigma = active > 1 ? 1.0 / (2.0 * active - 2.0) : 0.0;
  for (; next_index_ <= index; ++next_index_) {
    const double t = static_cast<double>(next_index_ + 1);
    int chosen = -1;
    int most_behind = -1;
    double best_deadline = 0, best_deficit = 0;
    for (size_t i = 0; i < fractions_.size(); ++i) {
      if (fractions_[i] <= 0) continue;
      const double deficit = fractions_[i] * t - static_cast<double>(counts_[i]);
      if (most_behind < 0 || deficit > best_deficit) {
        best_deficit = deficit;
        most_behind = static_cast<int>(i);
      }
      if (deficit < sigma - 1e-9) continue;
      const double deadline = (static_cast<double>(counts_[i]) + 1.0 - sigma) / fractions_[i];
      if (chosen < 0 || deadline < best_deadline) {
        chosen = static_cast<int>(i);
        best_deadline = deadline;
      }
    }
    if (chosen < 0) chosen = most_behind;  // only reachable through rounding
    last_source_ = chosen;
    last_source_index_ = counts_[chosen];
    ++counts_[chosen];
  }
  *source_index = last_source_index_;
  return last_source_;
}

void MixtureSampler::Sequence(int64_t index, int32_t* out) const {
  int64_t source_index = 0;
  const int source = Source(index, &source_index);
  samplers_[source].Sequence(source_index, out);
}

}  // namespace datawall::data
