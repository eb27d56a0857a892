// The protobuf side of a training run: RunSpec text -> TrainOptions, TrainSummary -> RunRecord
// and curves.csv (the record layout: experiments/records/records.h).
//
// Used by the train CLI (//experiments:train); the training core (experiments/training/) never
// sees protobuf. Relative shard paths in a spec are resolved against `base_dir` (the data root:
// the workspace under `bazel run`, the sweep's --data_root under the runner); the record keeps
// the spec as given, so a spec with relative paths keeps its run hash. Not part of the GPU
// (CMake) build.
#ifndef DATAWALL_EXPERIMENTS_RUN_IO_H_
#define DATAWALL_EXPERIMENTS_RUN_IO_H_

#include <string>

#include "experiments/records/run_record.pb.h"
#include "experiments/records/run_spec.pb.h"
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
// BLAS, data hash, tokenizer, host, device, start/end time; the val_loss curve, not the
// per-step ones). `error` non-empty for a failed run.
experiments::RunRecord MakeRunRecord(const experiments::RunSpec& spec, const TrainSummary& summary,
                                     int threads, const std::string& start_time,
                                     const std::string& error);

// Writes the record as protobuf text to `path` atomically; "" or an error.
std::string WriteRunRecord(const std::string& path, const experiments::RunRecord& record);

// Writes the per-step train_loss curve of `summary` to `path` (curves.csv) atomically; "" or an
// error. (The learning rate is not stored: it is a function of the spec, schedule.h.)
std::string WriteTrainCurve(const std::string& path, const TrainSummary& summary);

// The command that creates a missing shard, derived from its path as //data:prepare lays shards
// out (data/prepare.h: <out>/shards/<tokenizer>_<full|max<N>>[_<sources>]/<corpus>.<split>.shard),
// e.g. "bazel run -c opt //data:prepare -- --tokenizer=small --small_vocab_size=384
// --max_documents_per_source=20"; --out is added when <out> is not <workspace>/data/work. ""
// when the path is not laid out that way.
std::string PrepareCommandFor(const std::string& shard_path, const std::string& workspace);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_RUN_IO_H_
