// The pool builder of the filter experiments (paper section 7, App. N): from one scale's
// FilterPools it makes the unfiltered pool and every filtered version its arms need, measures
// them, and writes BuiltPools (<out_dir>/pools.textproto), which the sweep copies into the
// scale's arms. Steps, each skipped when its output exists (a rerun after a kill resumes):
//   1. the pool: whole documents of the source shard, reference sources excluded, in a seeded
//      mix-keeping order up to pool_tokens (data/quality/pool.h)            -> all.shard
//   2. the high-quality validation subset: quality_sources' validation docs -> quality_validation.shard
//   3. perplexity arms: the reference set (reference_sources' training documents) -> reference.shard,
//      the reference GPT trained on it by the train CLI                      -> reference/
//      and the pool scored and cut into bands by the perplexity_filter CLI   -> top25.shard, ...
//   4. dedup arms (the dedup_shard CLI, data/dedup/shard_dedup.h): every >= min_span_chars span
//      shared by two training documents of the whole source corpus, then the pool without the
//      documents that have one (dedup_document.shard) or with the spans cut out and the rest
//      re-encoded with the shard's own tokenizer (dedup_span.shard).
// The train, perplexity_filter and dedup_shard CLIs run as subprocesses: this file links
// neither LibTorch nor SentencePiece (Debian's libsentencepiece carries its own protobuf
// symbols and crashes a process that also loads libprotobuf at start-up).
#ifndef DATAWALL_EXPERIMENTS_QUALITY_BUILD_POOLS_H_
#define DATAWALL_EXPERIMENTS_QUALITY_BUILD_POOLS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "experiments/records/experiment.pb.h"

namespace datawall::quality {

struct BuildPoolsOptions {
  std::string data_root;          // relative paths of the spec resolve against it
  std::string train_binary;       // //experiments:train (needed for perplexity arms)
  std::string filter_binary;      // //experiments/quality:perplexity_filter (ditto)
  std::string dedup_binary;       // //data/dedup:dedup_shard (for dedup arms)
  int threads = 1;                // encoding and scoring threads
  std::ostream* progress = nullptr;
};

// The pools directory of a scale: FilterPools.out_dir (relative to the data root).
std::string PoolsDir(const experiments::ExperimentSpec& spec, const experiments::Scale& scale);

// Builds the pools of `scale` (a DATA_FILTERING scale of `spec`) for its arms and writes
// <data_root>/<PoolsDir>/pools.textproto. InvalidArgument / NotFound naming the field or file
// for bad input; Internal for a failed subprocess (with its last output line).
absl::Status BuildPools(const experiments::ExperimentSpec& spec, const experiments::Scale& scale,
                        const BuildPoolsOptions& options, experiments::BuiltPools* built);

}  // namespace datawall::quality

#endif  // DATAWALL_EXPERIMENTS_QUALITY_BUILD_POOLS_H_
