// The two tensor operations of the GPT where LibTorch's stock CPU path is slow, done faster
// with the same mathematics: causal attention and next-token cross-entropy.
//
// CausalAttention: LibTorch 2.x -> at::scaled_dot_product_attention (flash / memory-efficient
// kernels on CUDA, a fused kernel on CPU). LibTorch 1.13 has only the private
// _scaled_dot_product_attention, whose CPU path rebuilds a boolean mask and runs masked_fill
// every call; there we compute softmax(q k^T / sqrt(D) + M) v with the additive causal mask M
// folded into one baddbmm (M is cached per length and device).
// CrossEntropy: mean over N rows of logsumexp(x) - x[target]. On CPU a custom autograd function
// computes the softmax once in the forward pass and forms the gradient (p - onehot) / N
// directly, instead of log_softmax + nll_loss and their two backward kernels (the 1.13
// log_softmax kernels are ~2x slower than softmax). bf16 logits (bf16 weights on CUDA) in
// training: the same function on a bf16 softmax (float accumulation inside the kernel), so the
// (N, V) tensors stay bf16: 2 passes over them instead of ~10 with float32 log_softmax; the
// loss is -log p[target] in float32 (p has 8 significant bits: an unbiased error of ~1e-3 per
// token, ~1e-6 on the mean). Evaluation (no grad) of bf16 logits casts them to float32 first,
// so a run's validation loss is computed in float32. float32 CUDA logits: at::cross_entropy.
// Not a general kernel library: float32 / bf16 / autocast inputs of the GPT's shapes only.
#ifndef DATAWALL_MODELS_OPS_H_
#define DATAWALL_MODELS_OPS_H_

#include <torch/torch.h>

namespace datawall::models {

// q, k, v (B, H, T, D) -> (B, H, T, D); dropout_p applied to the attention weights.
torch::Tensor CausalAttention(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v, double dropout_p);

// logits (N, V) float32 or bf16, targets (N) int64 -> mean cross-entropy () float32,
// differentiable in logits.
torch::Tensor CrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets);

}  // namespace datawall::models

#endif  // DATAWALL_MODELS_OPS_H_
