// GPT-2 decoder in LibTorch: the model every datawall training run trains.
//
// Learned token and position embeddings, n_layers pre-LayerNorm blocks (causal multi-head
// self-attention through LibTorch's scaled-dot-product attention, then a GELU MLP of width
// ffw_size), a final LayerNorm, and an output layer tied to the token embedding (as GPT-2).
// Dropout (shape.dropout) after the embeddings, on attention weights and on both residual
// branches. Initialisation as Megatron-LM/GPT-2: N(0, 0.02), output projections of each
// residual branch N(0, 0.02 / sqrt(2 * n_layers)), zero biases. This file is the model only:
// no optimiser, data or device policy (experiments/training/ owns those).
#ifndef DATAWALL_MODELS_GPT_H_
#define DATAWALL_MODELS_GPT_H_

#include <torch/torch.h>

#include "models/shape.h"

namespace datawall::models {

class CausalSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit CausalSelfAttentionImpl(const ModelShape& shape);
  // x (B * T, C) -> (B * T, C): rows are (batch, time) pairs, so every Linear is one addmm.
  torch::Tensor forward(const torch::Tensor& x, int64_t B, int64_t T);

  torch::nn::Linear c_attn{nullptr};  // C -> 3 * A (A = kv_size * n_heads)
  torch::nn::Linear c_proj{nullptr};  // A -> C
  torch::nn::Dropout resid_dropout{nullptr};

 private:
  int64_t n_heads_, kv_size_;
  double dropout_;
};
TORCH_MODULE(CausalSelfAttention);

class MlpImpl : public torch::nn::Module {
 public:
  explicit MlpImpl(const ModelShape& shape);
  torch::Tensor forward(const torch::Tensor& x);  // (B * T, C) -> (B * T, C)

  torch::nn::Linear c_fc{nullptr};    // C -> F
  torch::nn::Linear c_proj{nullptr};  // F -> C
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(Mlp);

class BlockImpl : public torch::nn::Module {
 public:
  explicit BlockImpl(const ModelShape& shape);
  torch::Tensor forward(torch::Tensor x, int64_t B, int64_t T);  // (B * T, C) -> (B * T, C)

  torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
  CausalSelfAttention attn{nullptr};
  Mlp mlp{nullptr};
};
TORCH_MODULE(Block);

class GPTImpl : public torch::nn::Module {
 public:
  explicit GPTImpl(const ModelShape& shape);
  // idx (B, T) int64 token ids, T <= seq_len -> logits (B, T, V).
  torch::Tensor forward(const torch::Tensor& idx);
  // Mean next-token cross-entropy (nats/token) of logits(idx) against targets (B, T).
  torch::Tensor Loss(const torch::Tensor& idx, const torch::Tensor& targets);
  // Trainable parameters (the tied output layer counted once); equals ExactParams(shape()).
  int64_t NumParams() const;
  const ModelShape& shape() const { return shape_; }

  torch::nn::Embedding wte{nullptr};  // (V, C), also the output layer
  torch::nn::Embedding wpe{nullptr};  // (s, C)
  torch::nn::Dropout drop{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::LayerNorm ln_f{nullptr};

 private:
  ModelShape shape_;
};
TORCH_MODULE(GPT);

}  // namespace datawall::models

#endif  // DATAWALL_MODELS_GPT_H_
