// TrainStep / Evaluate and the device, thread and BLAS helpers (see train_step.h).
// Shapes: B batch, T seq_len, V vocabulary.
#include "experiments/training/train_step.h"

#include <ATen/autocast_mode.h>
#include <dlfcn.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/ops.h"

namespace datawall::training {
namespace {

// bf16 autocast on CUDA for the scope of the guard (1.13 and 2.x spell the API differently).
class AutocastGuard {
 public:
  explicit AutocastGuard(bool enabled) : enabled_(enabled) {
    if (!enabled_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(true);
#endif
    at::autocast::increment_nesting();
  }
  ~AutocastGuard() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
  }

 private:
  bool enabled_;
};

uint64_t DropoutSeed(uint64_t seed, int64_t step, int64_t micro) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ULL +
               static_cast<uint64_t>(micro) * 0x94D049BB133111EBULL + 0x64726f706f7574ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) >> 1;  // torch seeds are taken as uint64 but keep it positive
}

}  // namespace

StepResult TrainStep(models::GPT& model, FlatAdamW& optimizer,
                     const std::vector<MicroBatch>& micro_batches, double lr, double grad_clip,
                     bool autocast_bf16, uint64_t seed, int64_t step,
                     DataParallel* data_parallel) {
  // bf16 weights compute in bf16 already; autocast would send LayerNorm back to float32.
  const bool autocast = autocast_bf16 && optimizer.params().is_cuda() &&
                        optimizer.weight_dtype() == torch::kFloat32;
  const int64_t world = data_parallel ? data_parallel->world_size() : 1;
  const int64_t rank = data_parallel ? data_parallel->rank() : 0;
  optimizer.ZeroGrad();
  torch::Tensor loss_sum = torch::zeros({}, optimizer.params().options());
  const double scale = 1.0 / static_cast<double>(micro_batches.size());
  for (size_t m = 0; m < micro_batches.size(); ++m) {
    // Single process: (seed, step, m) as always; ranks draw distinct masks per slice.
    torch::manual_seed(DropoutSeed(seed, step, static_cast<int64_t>(m) * world + rank));
    torch::Tensor loss;
    {
      AutocastGuard guard(autocast);
      loss = model->Loss(micro_batches[m].inputs, micro_batches[m].targets);  // ()
    }
    (loss * scale).backward();
    optimizer.AccumulateGrads();
    loss_sum += loss.detach().to(torch::kFloat32);
  }
  StepResult result;
  if (data_parallel == nullptr) {
    result.loss = loss_sum.item<double>() * scale;
  } else {
    // The mean over ranks first, so every rank sees a non-finite loss and stops together.
    torch::Tensor total = loss_sum.to(torch::kFloat64).reshape({1});  // (1)
    data_parallel->AllReduce(total);
    result.loss = total.item<double>() / static_cast<double>(world) * scale;
  }
  if (!std::isfinite(result.loss)) return result;  // the caller stops the run
  if (data_parallel != nullptr) {
    data_parallel->AllReduce(optimizer.grads());  // (P) sum over ranks
    optimizer.grads().div_(static_cast<double>(world));
  }
  result.grad_norm = optimizer.ClipGradNorm(grad_clip);
  optimizer.Step(lr);
  return result;
}

EvalParts EvaluateParts(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                        bool autocast_bf16) {
  torch::NoGradGuard no_grad;
  model->eval();
  const bool autocast = autocast_bf16 && sequences.is_cuda();
  const int64_t n = sequences.size(0), T = sequences.size(1) - 1;
  // The mean is accumulated exactly as GPT::Loss computes it (the training objective's kernel,
  // batch by batch), so a record's final_val_loss does not depend on how the standard error is
  // taken; the per-sequence losses for the standard error come from the same logits.
  torch::Tensor total = torch::zeros({}, sequences.options().dtype(torch::kFloat64));
  std::vector<torch::Tensor> per_sequence;
  for (int64_t begin = 0; begin < n; begin += batch_size) {
    auto batch = sequences.narrow(0, begin, std::min(batch_size, n - begin));  // (b, T + 1)
    auto targets = batch.narrow(1, 1, T);                                     // (b, T)
    torch::Tensor logits, loss;
    {
      AutocastGuard guard(autocast);
      logits = model->forward(batch.narrow(1, 0, T));                         // (b, T, V)
      loss = models::CrossEntropy(logits.view({-1, logits.size(-1)}), targets.reshape({-1}));
    }
    total += loss.to(torch::kFloat64) * static_cast<double>(batch.size(0));
    auto x = logits.to(torch::kFloat32);
    auto token_loss = torch::logsumexp(x, -1) - x.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
    per_sequence.push_back(token_loss.to(torch::kFloat64).mean(1));           // (b)
  }
  model->train();
  EvalParts out;
  out.total = total;
  out.per_sequence = per_sequence.empty()
                         ? torch::zeros({0}, torch::kFloat64)
                         : torch::cat(per_sequence).cpu();                    // (N)
  return out;
}

EvalLoss Evaluate(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                  bool autocast_bf16) {
  const int64_t n = sequences.size(0);
  const EvalParts parts = EvaluateParts(model, sequences, batch_size, autocast_bf16);
  EvalLoss out;
  out.mean = parts.total.item<double>() / static_cast<double>(n);
  if (n > 1) {
    out.standard_error = parts.per_sequence.std().item<double>() / std::sqrt(static_cast<double>(n));
  }
  return out;
}

EvalLoss EvaluateShared(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
                        bool autocast_bf16, DataParallel& data_parallel) {
  const int64_t n = sequences.size(0), world = data_parallel.world_size();
  const int64_t rank = data_parallel.rank();
  const int64_t begin = n * rank / world, end = n * (rank + 1) / world;
  // [sum of batch means x sizes, sum of sequence means, sum of their squares]
  torch::Tensor sums = torch::zeros({3}, torch::kFloat64);                    // (3)
  if (end > begin) {
    const EvalParts parts =
        EvaluateParts(model, sequences.narrow(0, begin, end - begin), batch_size, autocast_bf16);
    sums[0] = parts.total.item<double>();
    sums[1] = parts.per_sequence.sum().item<double>();
    sums[2] = parts.per_sequence.square().sum().item<double>();
  }
  sums = sums.to(sequences.device());
  data_parallel.AllReduce(sums);
  sums = sums.cpu();
  const double N = static_cast<double>(n);
  EvalLoss out;
  out.mean = sums[0].item<double>() / N;
  if (n > 1) {
    const double mean = sums[1].item<double>() / N;
    const double var = std::max(0.0, (sums[2].item<double>() - N * mean * mean) / (N - 1));
    out.standard_error = std::sqrt(var / N);
  }
  return out;
}

bool ResolveDevice(const std::string& name, torch::Device* device, std::string* description) {
  const bool cuda = torch::cuda::is_available();
  if (name == "cuda" && !cuda) return false;
  if (name == "cuda" || (name == "auto" && cuda)) {
    *device = torch::Device(torch::kCUDA, 0);
    *description = "cuda:0";
  } else {
    *device = torch::Device(torch::kCPU);
    *description = "cpu";
  }
  return true;
}

void SetThreads(int threads) {
  torch::set_num_threads(threads);
  using SetFn = void (*)(int);
  if (auto fn = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    fn(threads);
  }
}

std::string BlasDescription() {
  using StrFn = char* (*)();
  auto config = reinterpret_cast<StrFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  auto core = reinterpret_cast<StrFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (!config) return "unknown (not OpenBLAS)";
  std::string out = std::string("OpenBLAS ") + config();
  if (core) out += " core " + std::string(core());
  return out;
}

std::string TorchVersion() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

}  // namespace datawall::training
