// TrainOptions from "key = value" text: the GPU (CMake) build's stand-in for the RunSpec proto.
//
// One setting per line ("#" starts a comment); the keys are the TrainOptions field names, the
// ModelShape fields (d_model, ..., seq_len, dropout, or preset = NAME), and train_shard /
// unique_tokens for a single data source. Unknown keys and unparsable values are errors, so a
// typo never silently falls back to a default. Standard library only.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_OPTIONS_TEXT_H_
#define DATAWALL_EXPERIMENTS_TRAINING_OPTIONS_TEXT_H_

#include <string>

#include "experiments/training/train_options.h"
#include "tools/result/result.h"

namespace datawall::training {

// Applies one "key=value" setting; a bad-input Result naming the key otherwise.
Result ApplyOption(const std::string& key, const std::string& value, TrainOptions* options);
// Applies every line of `text`; `source` names it in errors ("FILE:LINE: ...").
Result ApplyOptionsText(const std::string& text, const std::string& source, TrainOptions* options);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_OPTIONS_TEXT_H_
