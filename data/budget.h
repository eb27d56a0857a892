// Unique-data budgets: which U_D tokens of a shard a run trains on (the paper's "unique tokens",
// §2 and §4), and how closely they follow the shard's mix of sources.
//
//   kRepresentative (the default): every document is cut into pieces of at most chunk_tokens
//     tokens; each source's pieces are put in a seeded order; the sources are interleaved by
//     token share (the source furthest below its share of the tokens so far goes next), so every
//     prefix keeps each source's share of the whole shard to within about one piece per source.
//     A budget of U tokens is the first U tokens of that order: budgets of one seed are nested
//     (U1 < U2 => prefix), as the paper's nested C4 subsets are, and each looks like the
//     validation distribution, even when U is a few thousand pieces.
//   kDocuments: whole documents in a seeded order, the last one cut to fit (how budgets were cut
//     before, kept for the repetition_vs_shift ablation and for old records). With documents of
//     very different lengths and sources, a small budget's mix can be far from the corpus's.
//   kShardPrefix: the first U tokens in file order (how validation sets were cut before).
// MeasureBudget reports the budget's source mix and its total-variation distance to the shard's
// (`source_tv`, printed by //data:inspect). Not the repetition: that is data/sampler.h.
// Standard library only (the training core builds it on the GPU machine).
#ifndef DATAWALL_DATA_BUDGET_H_
#define DATAWALL_DATA_BUDGET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/shard.h"
#include "tools/result/result.h"

namespace datawall::data {

enum class BudgetOrder { kRepresentative, kDocuments, kShardPrefix };

// "representative", "documents", "shard_prefix".
const char* BudgetOrderName(BudgetOrder order);
// The inverse of BudgetOrderName; false for any other name.
bool ParseBudgetOrder(std::string_view name, BudgetOrder* order);

struct BudgetOptions {
  int64_t unique_tokens = 0;  // U_D: 1 .. shard.num_tokens()
  uint64_t order_seed = 0;    // same seed => nested budgets; replicates vary it
  BudgetOrder order = BudgetOrder::kRepresentative;
  int64_t chunk_tokens = 0;   // kRepresentative: piece length (> 0), e.g. the training seq_len
};

// A budget's source mix beside the shard's.
struct SourceMix {
  std::vector<std::string> sources;    // the shard's source names ({""} when it records none)
  std::vector<int64_t> budget_tokens;  // per source: tokens in the budget
  std::vector<int64_t> shard_tokens;   // per source: tokens in the whole shard
  // Total-variation distance between the two token shares: 0.5 sum_s |b_s / U - c_s / C|.
  double source_tv = 0;
};

// The budget's tokens (exactly options.unique_tokens) and, if mix is not null, its source mix.
// BadInput naming the problem for a budget outside the shard or a bad chunk length.
Result MakeBudget(const Shard& shard, const BudgetOptions& options, std::vector<int32_t>* tokens,
                  SourceMix* mix);

// The source mix alone (no tokens copied): for //data:inspect and the grid checks.
Result MeasureBudget(const Shard& shard, const BudgetOptions& options, SourceMix* mix);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_BUDGET_H_
