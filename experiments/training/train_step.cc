// TrainStep / Evaluate and the device, thread and BLAS helpers (see train_step.h).
// Shapes: B batch, T seq_len, V vocabulary.
#include "experiments/training/train_step.h"

#include <ATen/autocast_mode.h>
#include <dlfcn.h>
#include <torch/version.h>

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
                     bool autocast_bf16, uint64_t seed, int64_t step) {
  // bf16 weights compute in bf16 already; autocast would send LayerNorm back to float32.
  const bool autocast = autocast_bf16 && optimizer.params().is_cuda() &&
                        optimizer.weight_dtype() == torch::kFloat32;
  optimizer.ZeroGrad();
  torch::Tensor loss_sum = torch::zeros({}, optimizer.params().options());
  const double scale = 1.0 / static_cast<double>(micro_batches.size());
  for (size_t m = 0; m < micro_batches.size(); ++m) {
    torch::manual_seed(DropoutSeed(seed, step, static_cast<int64_t>(m)));
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
  result.loss = loss_sum.item<double>() * scale;
  if (!std::isfinite(result.loss)) return result;  // the caller stops the run
  result.grad_norm = optimizer.ClipGradNorm(grad_clip);
  optimizer.Step(lr);
  return result;
}

EvalLoss Evaluate(models::GPT& model, const torch::Tensor& sequences, int64_t batch_size,
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
  EvalLoss out;
  out.mean = total.item<double>() / static_cast<double>(n);
  const torch::Tensor losses = torch::cat(per_sequence).cpu();                // (N)
  if (n > 1) out.standard_error = losses.std().item<double>() / std::sqrt(static_cast<double>(n));
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
