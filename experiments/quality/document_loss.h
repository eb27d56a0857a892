// Per-document language-model loss: how well a trained GPT predicts each document of a shard.
// The perplexity scorer of the filter experiments (exp(nll / tokens) per document) and their
// per-source validation losses both come from here.
//
// Each document is read as the end-of-text separator that precedes it followed by its own
// tokens (its separator included), so every one of its tokens is predicted, the first from the
// separator alone, as in training. It is cut into windows of seq_len + 1 tokens overlapping by
// one (no context crosses a window); windows of many documents are batched together and the
// last, shorter window of a document is padded and masked. The separator id is the last token
// of the shard's first document (every shard document ends with it, data/prepare.h).
//
// Not here: choosing documents by their scores (data/quality/), loading a model
// (trained_model.h). LibTorch header: include only from .cc files of experiments/quality.
#ifndef DATAWALL_EXPERIMENTS_QUALITY_DOCUMENT_LOSS_H_
#define DATAWALL_EXPERIMENTS_QUALITY_DOCUMENT_LOSS_H_

#include <cstdint>
#include <vector>

#include "data/shard.h"
#include "models/gpt.h"

namespace datawall::quality {

struct DocumentLoss {
  int64_t tokens = 0;  // tokens predicted (the document's length)
  double nll = 0;      // their summed negative log-likelihood, nats
  double mean() const { return tokens > 0 ? nll / static_cast<double>(tokens) : 0; }
};

// Losses of documents `docs` of `shard` (all of them when empty), in that order, computed on
// the model's device in batches of `batch_size` windows with dropout off. The model must have
// the shard's vocabulary (or larger).
std::vector<DocumentLoss> ScoreDocuments(models::GPT& model, const data::Shard& shard,
                                         const std::vector<int64_t>& docs, int64_t batch_size);

}  // namespace datawall::quality

#endif  // DATAWALL_EXPERIMENTS_QUALITY_DOCUMENT_LOSS_H_
