// A trained GPT back from its run directory: the model of a RunSpec with the parameters of the
// newest checkpoint that verifies (experiments/training/checkpoint.h), ready for inference.
// The flat parameter layout is FlatAdamW's, as the trainer wrote it. Not a resume: optimiser
// moments and RNG state are ignored.
#ifndef DATAWALL_EXPERIMENTS_QUALITY_TRAINED_MODEL_H_
#define DATAWALL_EXPERIMENTS_QUALITY_TRAINED_MODEL_H_

#include <string>

#include "models/gpt.h"
#include "models/shape.h"
#include "tools/result/result.h"

namespace datawall::quality {

// Builds shape's GPT on the CPU and loads <run_dir>/checkpoints/'s newest valid checkpoint
// into it; *step is the checkpoint's step. BadInput naming the directory when there is none or
// it does not fit the shape.
Result LoadTrainedModel(const models::ModelShape& shape, const std::string& run_dir,
                        models::GPT* model, int64_t* step);

}  // namespace datawall::quality

#endif  // DATAWALL_EXPERIMENTS_QUALITY_TRAINED_MODEL_H_
