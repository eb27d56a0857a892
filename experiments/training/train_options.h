// TrainOptions / TrainSummary: the plain-struct interface of the training loop (trainer.h).
//
// Every field has a default and says what it controls; Validate() checks what can be checked
// without touching files (Train() checks the shards before it builds a model). The CLI converts
// a protobuf RunSpec into TrainOptions; the GPU build fills it from key=value text
// (options_text.h). Standard library only: no LibTorch, protobuf or Abseil here.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_TRAIN_OPTIONS_H_
#define DATAWALL_EXPERIMENTS_TRAINING_TRAIN_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/budget.h"
#include "models/shape.h"
#include "tools/result/result.h"

namespace datawall::training {

struct TrainSummary;

struct DataSourceOptions {
  std::string name;           // e.g. "en_mix"
  std::string shard;          // token shard path (data/shard.h format)
  double fraction = 1.0;      // share of training sequences drawn from this source
  int64_t unique_tokens = 0;  // this source's budget U_D; 0 = TrainOptions::unique_tokens
};

// Data parallelism (data_parallel.h): this process's place among the ranks of one run. Every
// rank trains its slice (batch_size / world_size sequences) of each global micro-batch and the
// gradients are averaged (c10d all-reduce), so the run's global batch, data order and result
// are those of one process. world_size 1 (the default) is the single-process trainer. Filled
// from the environment torchrun / srun give (world_env.h) or by `train --nproc=N`.
struct WorldOptions {
  int rank = 0;                        // 0 .. world_size - 1; rank 0 writes checkpoints/records
  int world_size = 1;
  int local_rank = 0;                  // rank on this machine: picks cuda:local_rank
  std::string master_addr = "127.0.0.1";  // rank 0's TCPStore (rendezvous) host
  int master_port = 29500;
  double timeout_seconds = 600;        // rendezvous and collective timeout
};

struct TrainOptions {
  std::string name;                  // run name (records, TensorBoard)
  models::ModelShape model;          // architecture (vocab_size and seq_len included)
  int64_t total_tokens = 0;          // D: training tokens; steps = ceil(D / tokens_per_step)
  int64_t unique_tokens = 0;         // U_D: unique-data budget (sum over sources); U <= D
  uint64_t seed = 0;                 // model init, dropout and epoch shuffles
  uint64_t data_order_seed = 0;      // order of the budget (fixed => budgets nest)
  // Which U_D tokens (data/budget.h): representative pieces by default; kDocuments is the
  // whole-document order of the repetition_vs_shift ablation and of older records.
  data::BudgetOrder budget_order = data::BudgetOrder::kRepresentative;
  int64_t budget_chunk_tokens = 0;   // piece length of representative budgets; 0 = seq_len

  // Optimiser and schedule (paper: AdamW 0.9/0.999, eps 1e-8, wd 0.1, clip 1, 2e-4 -> 2e-5).
  double max_lr = 2e-4;              // peak learning rate after warm-up
  double min_lr = 2e-5;              // end of the cosine decay
  double beta1 = 0.9;
  double beta2 = 0.999;              // 0.95 for the paper's two smaller IsoFLOP families
  double eps = 1e-8;
  double weight_decay = 0.1;         // on matrices and embeddings, not biases/LayerNorms
  double grad_clip = 1.0;            // global L2 norm; 0 disables
  double warmup_fraction = 0.01;     // linear warm-up over this fraction of the steps
  int64_t batch_size = 8;            // sequences per micro-batch (global: over all ranks)
  int64_t grad_accumulation = 1;     // micro-batches per optimiser step

  std::vector<DataSourceOptions> data;  // training sources (fractions sum to 1)
  std::string validation_shard;      // the fixed validation set comes from this shard
  int64_t eval_tokens = 0;           // validation set size in tokens
  // How the validation set is cut from its shard (seed 0, pieces of budget_chunk_tokens):
  // representative by default, so it follows the shard's source mix; kShardPrefix (the first
  // eval_tokens in file order) is how older records measured.
  data::BudgetOrder validation_order = data::BudgetOrder::kRepresentative;
  int64_t eval_every_steps = 0;      // 0 = evaluate only at the end
  int64_t checkpoint_every_steps = 0;  // 0 = checkpoint only at the end
  int keep_checkpoints = 3;          // newest checkpoints kept (older ones are deleted)

  std::string out_dir;               // checkpoints/ and tensorboard/ go here ("" = none)
  bool resume = false;               // continue from the newest valid checkpoint in out_dir
  std::string device = "auto";       // "cpu", "cuda", or "auto" (cuda when available)
  bool bf16 = true;                  // bf16 on CUDA (CPU always runs float32)
  // With bf16 on CUDA: true = bf16 weights and activations with float32 master weights in the
  // optimiser (Megatron-LM --bf16, the paper's trainer); false = float32 weights under autocast.
  bool bf16_weights = true;
  int threads = 1;                   // intra-op (and OpenBLAS) threads on CPU
  double progress_every_seconds = 10;  // progress line to stderr; <= 0 disables
  bool tensorboard = true;           // write out_dir/tensorboard/events.out.tfevents.*
  WorldOptions world;                // data-parallel ranks (1 = this process alone)
  // Called after every evaluation with the summary so far (the CLI writes a partial record).
  std::function<void(const TrainSummary&)> on_eval;

  int64_t chunk_tokens() const { return budget_chunk_tokens > 0 ? budget_chunk_tokens : model.seq_len; }
  int64_t tokens_per_step() const { return batch_size * grad_accumulation * model.seq_len; }
  int64_t total_steps() const;       // ceil(total_tokens / tokens_per_step)
  // Checks ranges and consistency (U <= D, fractions, schedule); BadInput with one line.
  Result Validate() const;
};

// The world's own checks against the global batch (one line, BadInput): 1 <= world_size <=
// batch_size, batch_size divisible by world_size, 0 <= rank < world_size. Part of Validate().
Result ValidateWorld(const WorldOptions& world, int64_t batch_size);

struct CurvePoint {
  int64_t step = 0;    // optimiser steps completed
  int64_t tokens = 0;  // training tokens processed
  double value = 0;
};

// One training source's budget as cut: its source mix beside its shard's (data/budget.h).
struct BudgetSummary {
  std::string name;  // the data source, e.g. "en_mix"
  data::SourceMix mix;
};

struct TrainSummary {
  bool complete = false;         // reached total_steps and ran the final evaluation
  double final_val_loss = 0;     // mean validation loss (nats/token) at the end: the result
  // Its standard error: the standard deviation of the per-sequence mean losses over
  // sqrt(validation sequences) (sequences are disjoint spans of the validation set).
  double final_val_loss_se = 0;
  std::vector<BudgetSummary> budgets;  // one per training source
  double validation_source_tv = 0;    // the validation set's mix against its shard's
  int64_t params = 0;            // exact trainable parameters of the model built
  double flops = 0;              // 6 * params * trained_tokens
  double full_flops = 0;         // models::FullFlops(shape, trained_tokens)
  int64_t steps = 0;             // optimiser steps done (including before a resume)
  int64_t total_steps = 0;
  int64_t trained_tokens = 0;    // steps * tokens_per_step
  int64_t eval_tokens_used = 0;  // predicted tokens in the validation set
  int64_t resumed_from_step = -1;  // -1: started fresh
  std::vector<CurvePoint> train_loss, val_loss, lr;
  double wall_seconds = 0;       // this process
  double train_tokens_per_second = 0;  // this process, training steps only
  std::string device;            // "cpu" or "cuda:0 (...)"
  std::string data_hash;         // checksum over the shards' checksums and the budget
  std::string tokenizer_id;      // the training shards' tokenizer id(s), comma-separated
  std::string torch_version, blas;
  std::string host_memory;       // the host allocator policy (ReuseFreedHostMemory on CPU)
  std::vector<std::string> messages;  // notable events (checkpoint skipped, resumed, ...)

  std::string BriefReport() const;
};

// Why Train() stopped: invalid input is the caller's fault (CLI exit 2), kFailed is a run
// failure (non-finite loss, I/O error; exit 1).
}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_TRAIN_OPTIONS_H_
