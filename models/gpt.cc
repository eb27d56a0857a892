// GPT-2 decoder (see gpt.h). Shapes: B batch, T time, C d_model, H heads, D kv_size,
// A = H * D attention width, F ffw_size, V vocabulary.
#include "models/gpt.h"

#include <cmath>

#include "models/ops.h"

namespace datawall::models {
namespace {

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

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, int64_t B, int64_t T) {
  const int64_t A = n_heads_ * kv_size_;
  auto qkv = c_attn(x).view({B, T, 3 * A}).split(A, /*dim=*/2);      // 3 x (B, T, A)
  auto q = qkv[0].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto k = qkv[1].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto v = qkv[2].view({B, T, n_heads_, kv_size_}).transpose(1, 2);   // (B, H, T, D)
  auto y = CausalAttention(q, k, v, is_training() ? dropout_ : 0.0);  // (B, H, T, D)
  y = y.transpose(1, 2).contiguous().view({B * T, A});               // (B * T, A)
  return resid_dropout(c_proj(y));                                    // (B * T, C)
}

MlpImpl::MlpImpl(const ModelShape& s) {
  c_fc = register_module("c_fc", MakeLinear(s.d_model, s.ffw_size, kInitStd));
  c_proj = register_module(
      "c_proj", MakeLinear(s.ffw_size, s.d_model, kInitStd / std::sqrt(2.0 * s.n_layers)));
  dropout = register_module("dropout", torch::nn::Dropout(s.dropout));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  auto h = torch::gelu(c_fc(x));    // (B * T, F), exact erf GELU as GPT-2 / Megatron
  return dropout(c_proj(h));        // (B * T, C)
}

BlockImpl::BlockImpl(const ModelShape& s) {
  ln_1 = register_module("ln_1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({s.d_model})));
  attn = register_module("attn", CausalSelfAttention(s));
  ln_2 = register_module("ln_2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({s.d_model})));
  mlp = register_module("mlp", Mlp(s));
}

torch::Tensor BlockImpl::forward(torch::Tensor x, int64_t B, int64_t T) {  // (B * T, C)
  x = x + attn(ln_1(x), B, T);
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
  const int64_t B = idx.size(0), T = idx.size(1);
  TORCH_CHECK(T <= shape_.seq_len, "sequence of ", T, " tokens exceeds seq_len ", shape_.seq_len);
  auto pos = torch::arange(T, idx.options().dtype(torch::kLong));  // (T)
  auto x = drop(wte(idx) + wpe(pos)).view({B * T, -1});            // (B * T, C)
  for (const auto& block : *blocks) x = block->as<Block>()->forward(x, B, T);
  x = ln_f(x);                                                     // (B * T, C)
  return torch::mm(x, wte->weight.t()).view({B, T, -1});           // (B, T, V), tied
}

torch::Tensor GPTImpl::Loss(const torch::Tensor& idx, const torch::Tensor& targets) {
  auto logits = forward(idx);                                      // (B, T, V)
  return CrossEntropy(logits.view({-1, logits.size(-1)}), targets.reshape({-1}));
}

int64_t GPTImpl::NumParams() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace datawall::models
