// One optimiser step and one evaluation pass, shared by Train() and the throughput benchmark.
//
// TrainStep runs the micro-batches (forward under bf16 autocast on CUDA, backward into the
// flat gradient buffer), checks the loss is finite, clips, and applies AdamW. Dropout draws
// come from the seed (seed, step, micro-batch) so a resumed run replays them exactly. With a
// DataParallel, the micro-batches are this rank's slices: the loss and the flat gradient are
// averaged over the ranks (all-reduce) before the finiteness check and clipping, and dropout is
// seeded from (seed, step, micro-batch x world_size + rank). Also the device/threads/BLAS
// helpers. LibTorch header: include it only from training .cc files.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_TRAIN_STEP_H_
#define DATAWALL_EXPERIMENTS_TRAINING_TRAIN_STEP_H_

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "experiments/training/data_parallel.h"
#include "experiments/training/flat_adamw.h"
#include "models/gpt.h"

namespace datawall::training {

struct MicroBatch {
  torch::Tensor inputs;   // (B, T) int64 on the device
  torch::Tensor targets;  // (B, T) int64 on the device
};

struct StepResult {
  double loss = 0;       // mean training loss over the micro-batches (nats/token)
  double grad_norm = 0;  // before clipping
};

// Runs one optimiser step. `autocast_bf16` only has an effect on CUDA tensors with float32
// weights (bf16 weights, see FlatAdamW, run in bf16 without autocast).
StepResult TrainStep(models::GPT& model, FlatAdamW& optimizer,
                     const std::vector<MicroBatch>& micro_batches, double lr, double grad_clip,
                     bool autocast_bf16, uint64_t seed, int64_t step,
                     DataParallel* data_parallel = nullptr);

// The validation loss and its standard error.
struct EvalLoss {
  double mean = 0;            // mean over every predicted token (nats/token)
  double standard_error = 0;  // std of the N per-sequence means / sqrt(N); 0 when N = 1
};

// Loss over `sequences` (N, T + 1) in batches of `batch_size`, dropout off.
EvalLoss Evaluate(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                  bool autocast_bf16);

// Evaluate()'s pieces: `total` () float64 = sum over batches of the batch's mean loss x its
// sequences, `per_sequence` (N) float64 on the CPU = each sequence's mean token loss.
struct EvalParts {
  torch::Tensor total;
  torch::Tensor per_sequence;
};
EvalParts EvaluateParts(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                        bool autocast_bf16);

// Data-parallel evaluation: every rank evaluates its contiguous share of `sequences` (N, T + 1)
// and the sums are all-reduced; the same EvalLoss on every rank (up to summation order, the
// single-process Evaluate()'s).
EvalLoss EvaluateShared(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                        bool autocast_bf16, DataParallel& data_parallel);

// "cpu" / "cuda" / "auto" -> a device; "" when cuda is asked for and absent.
bool ResolveDevice(const std::string& name, torch::Device* device, std::string* description);

// Sets LibTorch's intra-op threads and OpenBLAS's own pool (which set_num_threads does not
// reach in Debian's build) to `threads`.
void SetThreads(int threads);
// "OpenBLAS <config> core <name>" when OpenBLAS is loaded, else "unknown".
std::string BlasDescription();
std::string TorchVersion();

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_TRAIN_STEP_H_
