// GPT-2 decoder (see gpt.h). Shapes: B batch, T time, C d_model, H heads, D kv_size,
// A = H * D attention width, F ffw_size, V vocabulary.
#include "models/gpt.h"

#include <torch/version.h>

#include <cmath>
#include <tuple>

namespace datawall::models {
namespace {

// Causal attention through LibTorch's fused kernel: the public op in 2.x (flash / memory-
// efficient kernels on CUDA), the private 1.13 form otherwise (on CPU the composite math path).
torch::Tensor Attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        double dropout_p) {  // (B, H, T, D) each -> (B, H, T, D)
#if TORCH_VERSION_MAJOR >= 2
  return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, dropout_p,
                                          /*is_causal=*/true);
#else
  return std::get<0>(at::_scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, dropout_p,
                                                       /*need_attn_weights=*/false,
                                                       /*is_causal=*/true));
#endif
}

torch::nn::Linear MakeLinear(int64_t in, int64_t out, double std) {
  torch::nn::Linear layer(torch::nn::LinearOptions(in, out).bias(true));
  torch::NoGradGuard no_grad;
  layer->weight.normal_(0.0, std);
  layer->bias.zero_();
  return layer;
}

constexpr double kInitStd = 0.02;

}  // namespace

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const ModelShape& s)
    : n_heads_(s.n_heads), kv_size_(s.kv_size), dropout_(s.dropout) {
  const int64_t a = s.n_heads * s.kv_size;
  c_attn = register_module("c_attn", MakeLinear(s.d_model, 3 * a, kInitStd));
  c_proj = register_module("c_proj",
                           MakeLinear(a, s.d_model, kInitStd / std::sqrt(2.0 * s.n_layers)));
  resid_dropout = register_module("resid_dropout", torch::nn::Dropout(s.dropout));
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x) {
  const int64_t B = x.size(0), T = x.size(1), A = n_heads_ * kv_size_;
  auto qkv = c_attn(x).split(A, /*dim=*/2);                           // 3 x (B, T, A)
  auto q = qkv[0].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto k = qkv[1].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto v = qkv[2].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto y = Attention(q, k, v, is_training() ? dropout_ : 0.0);        // (B, H, T, D)
  y = y.transpose(1, 2).contiguous().view({B, T, A});                 // (B, T, A)
  return resid_dropout(c_proj(y));                                    // (B, T, C)
}

MlpImpl::MlpImpl(const ModelShape& s) {
  c_fc = register_module("c_fc", MakeLinear(s.d_model, s.ffw_size, kInitStd));
  c_proj = register_module(
      "c_proj", MakeLinear(s.ffw_size, s.d_model, kInitStd / std::sqrt(2.0 * s.n_layers)));
  dropout = register_module("dropout", torch::nn::Dropout(s.dropout));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  auto h = torch::gelu(c_fc(x));    // (B, T, F), exact erf GELU as GPT-2 / Megatron
  return dropout(c_proj(h));        // (B, T, C)
}

BlockImpl::BlockImpl(const ModelShape& s) {
  ln_1 = register_module("ln_1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({s.d_model})));
  attn = register_module("attn", CausalSelfAttention(s));
  ln_2 = register_module("ln_2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({s.d_model})));
  mlp = register_module("mlp", Mlp(s));
}

torch::Tensor BlockImpl::forward(torch::Tensor x) {  // (B, T, C)
  x = x + attn(ln_1(x));
  x = x + mlp(ln_2(x));
  return x;
}

GPTImpl::GPTImpl(const ModelShape& s) : shape_(s) {
  wte = register_module("wte", torch::nn::Embedding(s.vocab_size, s.d_model));
  wpe = register_module("wpe", torch::nn::Embedding(s.seq_len, s.d_model));
  {
    torch::NoGradGuard no_grad;
    wte->weight.normal_(0.0, kInitStd);
    wpe->weight.normal_(0.0, kInitStd);
  }
  drop = register_module("drop", torch::nn::Dropout(s.dropout));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < s.n_layers; ++i) blocks->push_back(Block(s));
  ln_f = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({s.d_model})));
}

torch::Tensor GPTImpl::forward(const torch::Tensor& idx) {
  const int64_t T = idx.size(1);
  TORCH_CHECK(T <= shape_.seq_len, "sequence of ", T, " tokens exceeds seq_len ", shape_.seq_len);
  auto pos = torch::arange(T, idx.options().dtype(torch::kLong));  // (T)
  auto x = drop(wte(idx) + wpe(pos));                              // (B, T, C)
  for (const auto& block : *blocks) x = block->as<Block>()->forward(x);
  x = ln_f(x);                                                     // (B, T, C)
  return torch::nn::functional::linear(x, wte->weight);            // (B, T, V), tied
}

torch::Tensor GPTImpl::Loss(const torch::Tensor& idx, const torch::Tensor& targets) {
  auto logits = forward(idx);                                      // (B, T, V)
  return torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}),
                                              targets.reshape({-1}));
}

int64_t GPTImpl::NumParams() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace datawall::models
