// AdamW over flat buffers (see flat_adamw.h). P = total parameter count.
#include "experiments/training/flat_adamw.h"

#include <torch/version.h>

#include <cmath>
#include <vector>

namespace datawall::training {

FlatAdamW::FlatAdamW(torch::nn::Module& module, const AdamWOptions& options,
                     torch::ScalarType weight_dtype)
    : options_(options), weight_dtype_(weight_dtype) {
  TORCH_CHECK(weight_dtype == torch::kFloat32 || weight_dtype == torch::kBFloat16,
              "FlatAdamW weights are float32 or bfloat16");
  std::vector<torch::Tensor> decayed, plain;
  for (auto& p : module.parameters()) (p.dim() >= 2 ? decayed : plain).push_back(p);
  int64_t total = 0;
  for (const auto& p : decayed) total += p.numel();
  num_decayed_ = total;
  for (const auto& p : plain) total += p.numel();
  TORCH_CHECK(total > 0, "module has no parameters");
  const auto opts = module.parameters()[0].options();
  TORCH_CHECK(opts.dtype() == torch::kFloat32, "FlatAdamW keeps float32 master weights");
  params_ = torch::empty({total}, opts);       // (P)
  grads_ = torch::zeros({total}, opts);        // (P)
  exp_avg_ = torch::zeros({total}, opts);      // (P)
  exp_avg_sq_ = torch::zeros({total}, opts);   // (P)
  denom_ = torch::empty({total}, opts);        // (P) scratch
  const bool mixed = weight_dtype != torch::kFloat32;
  if (mixed) {
    weights_ = torch::empty({total}, opts.dtype(weight_dtype));       // (P)
    weight_grads_ = torch::zeros({total}, opts.dtype(weight_dtype));  // (P)
  }
  torch::NoGradGuard no_grad;
  int64_t offset = 0;
  for (auto* group : {&decayed, &plain}) {
    for (auto& p : *group) {
      const int64_t n = p.numel();
      auto slice = params_.narrow(0, offset, n);
      slice.copy_(p.detach().reshape({-1}));
      // The module computes with its own flat buffers: the master weights themselves, or their
      // bf16 copy.
      auto weight = (mixed ? weights_ : params_).narrow(0, offset, n);
      if (mixed) weight.copy_(slice);
      p.set_data(weight.view(p.sizes()));
      p.mutable_grad() = (mixed ? weight_grads_ : grads_).narrow(0, offset, n).view(p.sizes());
      offset += n;
    }
  }
}

void FlatAdamW::ZeroGrad() {
  grads_.zero_();
  if (weight_grads_.defined()) weight_grads_.zero_();
}

void FlatAdamW::AccumulateGrads() {
  if (!weight_grads_.defined()) return;
  torch::NoGradGuard no_grad;
  grads_.add_(weight_grads_);  // float32 += bf16
  weight_grads_.zero_();
}

void FlatAdamW::SyncWeights() {
  if (!weights_.defined()) return;
  torch::NoGradGuard no_grad;
  weights_.copy_(params_);
}

double FlatAdamW::ClipGradNorm(double max_norm) {
  const double norm = grads_.norm().item<double>();
  if (max_norm > 0) {
    const double coef = max_norm / (norm + 1e-6);
    if (coef < 1.0) grads_.mul_(coef);
  }
  return norm;
}

void FlatAdamW::Step(double lr) {
  torch::NoGradGuard no_grad;
  ++step_count_;
  const double b1 = options_.beta1, b2 = options_.beta2;
#if TORCH_VERSION_MAJOR >= 2
  if (params_.is_cuda()) {  // one fused kernel per group (same arithmetic as below)
    const int64_t P = params_.numel(), D = num_decayed_;
    for (int group = 0; group < 2; ++group) {
      const int64_t begin = group == 0 ? 0 : D, n = group == 0 ? D : P - D;
      if (n == 0) continue;
      auto steps = torch::full({}, static_cast<double>(step_count_),
                               params_.options().dtype(torch::kFloat32));
      std::vector<torch::Tensor> p{params_.narrow(0, begin, n)}, g{grads_.narrow(0, begin, n)},
          m{exp_avg_.narrow(0, begin, n)}, v{exp_avg_sq_.narrow(0, begin, n)}, s{steps};
      at::_fused_adamw_(p, g, m, v, /*max_exp_avg_sqs=*/{}, s, lr, b1, b2,
                        group == 0 ? options_.weight_decay : 0.0, options_.eps,
                        /*amsgrad=*/false, /*maximize=*/false);
    }
    SyncWeights();
    return;
  }
#endif
  if (options_.weight_decay != 0 && num_decayed_ > 0) {
    params_.narrow(0, 0, num_decayed_).mul_(1.0 - lr * options_.weight_decay);
  }
  exp_avg_.mul_(b1).add_(grads_, 1.0 - b1);
  exp_avg_sq_.mul_(b2).addcmul_(grads_, grads_, 1.0 - b2);
  const double bias_correction1 = 1.0 - std::pow(b1, static_cast<double>(step_count_));
  const double bias_correction2 = 1.0 - std::pow(b2, static_cast<double>(step_count_));
  at::sqrt_out(denom_, exp_avg_sq_);
  denom_.div_(std::sqrt(bias_correction2)).add_(options_.eps);
  params_.addcdiv_(exp_avg_, denom_, -lr / bias_correction1);
  SyncWeights();
}

}  // namespace datawall::training
