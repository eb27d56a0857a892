// Train(): one training run from TrainOptions to TrainSummary.
//
// Checks the options and the data (shards exist and verify, U fits the shard, seq_len fits the
// budget and the validation set) before anything is built; then trains a models::GPT with
// FlatAdamW on the paper's schedule, evaluates on the fixed validation set every
// eval_every_steps and at the end, writes checkpoints (every checkpoint_every_steps and at the
// end) and TensorBoard scalars under options.out_dir, and prints a progress line with tokens/s
// and ETA. With options.resume it continues from the newest valid checkpoint; on CPU the
// resumed run ends bit-identical to an uninterrupted one. A non-finite loss stops the run
// (kFailed) without overwriting the last good checkpoint. No LibTorch in this header.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_TRAINER_H_
#define DATAWALL_EXPERIMENTS_TRAINING_TRAINER_H_

#include "experiments/training/train_options.h"

namespace datawall::training {

Result Train(const TrainOptions& options, TrainSummary* summary);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_TRAINER_H_
