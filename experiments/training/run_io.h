// The protobuf side of a training run: RunSpec text -> TrainOptions, TrainSummary -> RunRecord.
//
// Used by the train CLI (//experiments:train) and the sweep runner; the training core itself
// never sees protobuf. Relative shard paths in a spec are resolved against `base_dir` (the
// workspace root under `bazel run`). Not part of the GPU (CMake) build.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_RUN_IO_H_
#define DATAWALL_EXPERIMENTS_TRAINING_RUN_IO_H_

#include <string>

#include "experiments/run_record.pb.h"
#include "experiments/run_spec.pb.h"
#include "experiments/training/train_options.h"

namespace datawall::training {

// Parses protobuf text; an unknown field or a syntax error gives false and a one-line *error
// "PATH:LINE:COL: message".
bool ReadRunSpec(const std::string& path, experiments::RunSpec* spec, std::string* error);

// Fills the spec's part of *options (model, budgets, optimiser, data, evaluation,
// checkpointing); leaves run-time fields (out_dir, resume, device, threads) alone. Unset
// optimiser fields take the paper's values. False + one-line *error on an inconsistent spec
// (unknown preset, a field disagreeing with the preset, a missing shape field).
bool SpecToOptions(const experiments::RunSpec& spec, const std::string& base_dir,
                   TrainOptions* options, std::string* error);

// The run record of `summary` (provenance: git commit, library versions incl. LibTorch and the
// BLAS, data hash, tokenizer, host, device, start/end time). `error` non-empty for a failed run.
experiments::RunRecord MakeRunRecord(const experiments::RunSpec& spec, const TrainSummary& summary,
                                     int threads, const std::string& start_time,
                                     const std::string& error);

// Writes the record as protobuf text to `path` atomically; "" or an error.
std::string WriteRunRecord(const std::string& path, const experiments::RunRecord& record);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_RUN_IO_H_
