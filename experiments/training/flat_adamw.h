// AdamW over one flat parameter buffer: the optimiser of every training run.
//
// The constructor moves all of a module's parameters into one contiguous buffer (matrices and
// embeddings first, which get weight decay; then biases and LayerNorm parameters, which do
// not, as Megatron-LM), and points every parameter's .grad at a slice of one flat gradient
// buffer that autograd accumulates into. A step is then a handful of whole-buffer operations
// (clip, decay, two moments, update) instead of a loop over ~10 ops x every tensor: this is
// where the C++ loop beats Python eager most. The arithmetic is torch.optim.AdamW's (bias-
// corrected moments, decoupled weight decay p *= 1 - lr * wd), and gradient clipping is
// clip_grad_norm_'s (coef = max_norm / (norm + 1e-6), applied when < 1). On CUDA with LibTorch
// 2.x the update is at::_fused_adamw_ (one kernel per group, the same formula).
//
// Weights in bf16 (weight_dtype kBFloat16, used on CUDA): the module then computes with bf16
// weights and gradients (no autocast, no per-step casts), while the optimiser keeps float32
// master weights, gradients and moments, as Megatron-LM's --bf16 (the paper's trainer).
// AccumulateGrads() after each backward adds the bf16 gradients into the float32 buffer;
// Step() writes the updated master weights back to the bf16 weights.
// Not a general optimiser: one parameter group, dense gradients, float32 master weights.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_FLAT_ADAMW_H_
#define DATAWALL_EXPERIMENTS_TRAINING_FLAT_ADAMW_H_

#include <torch/torch.h>

namespace datawall::training {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.1;
};

class FlatAdamW {
 public:
  // Takes over `module`'s float32 parameters: they become views of params(), or, with
  // weight_dtype kBFloat16, views of a bf16 copy (weights()) of the float32 master params().
  FlatAdamW(torch::nn::Module& module, const AdamWOptions& options,
            torch::ScalarType weight_dtype = torch::kFloat32);

  void ZeroGrad();
  // Call after each backward pass: moves the module's bf16 gradients into grads() (float32).
  // No-op with float32 weights (autograd accumulates into grads() directly).
  void AccumulateGrads();
  // Rewrites the module's bf16 weights from params() (after params() was restored).
  void SyncWeights();
  // Global L2 norm of the gradient before clipping; scales gradients to max_norm if larger
  // (max_norm <= 0: no clipping). Synchronises with the device (returns a double).
  double ClipGradNorm(double max_norm);
  void Step(double lr);

  torch::Tensor& params() { return params_; }        // (P) float32 master weights
  torch::Tensor& grads() { return grads_; }          // (P) float32
  torch::ScalarType weight_dtype() const { return weight_dtype_; }
  torch::Tensor& exp_avg() { return exp_avg_; }      // (P) first moment
  torch::Tensor& exp_avg_sq() { return exp_avg_sq_; }  // (P) second moment
  int64_t step_count() const { return step_count_; }
  void set_step_count(int64_t n) { step_count_ = n; }
  int64_t num_params() const { return params_.numel(); }
  int64_t num_decayed() const { return num_decayed_; }

 private:
  AdamWOptions options_;
  torch::ScalarType weight_dtype_;
  torch::Tensor params_, grads_, exp_avg_, exp_avg_sq_, denom_;
  torch::Tensor weights_, weight_grads_;  // (P) bf16 module weights and gradients, or undefined
  int64_t num_decayed_ = 0;
  int64_t step_count_ = 0;
};

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_FLAT_ADAMW_H_
