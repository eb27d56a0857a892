// Causal attention and cross-entropy (see ops.h). Shapes: B batch, H heads, T time, D head
// width, N rows (B * T), V vocabulary.
#include "models/ops.h"

#include <torch/version.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <tuple>
#include <vector>

namespace datawall::models {
namespace {

#if TORCH_VERSION_MAJOR < 2
// (T, T) additive mask: 0 on and below the diagonal, -inf above; cached per (T, device).
torch::Tensor CausalMask(int64_t T, const torch::TensorOptions& options) {
  static std::mutex mutex;
  static torch::Tensor cached;
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached.defined() || cached.size(0) < T || cached.device() != options.device() ||
      cached.scalar_type() != options.dtype().toScalarType()) {
    cached = torch::full({T, T}, -std::numeric_limits<float>::infinity(), options).triu_(1);
  }
  return cached.narrow(0, 0, T).narrow(1, 0, T);
}
#endif

// Softmax once in the forward pass; the saved softmax becomes the gradient (p - onehot) / N in
// place. float32: logsumexp form. bf16: one softmax kernel (float accumulation inside) and the
// loss -log p[target] in float32.
class CrossEntropyFunction : public torch::autograd::Function<CrossEntropyFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& logits,
                               const torch::Tensor& targets) {
    auto index = targets.unsqueeze(1);                                // (N, 1)
    torch::Tensor probs, loss;
    if (logits.scalar_type() == torch::kBFloat16) {
      probs = torch::softmax(logits, 1);                              // (N, V) bf16
      // A target below bf16's range (p < 1e-38) would give inf: cap its loss at -log(FLT_MIN).
      loss = -probs.gather(1, index).to(torch::kFloat32)
                  .clamp_min(std::numeric_limits<float>::min()).log_().mean();  // ()
    } else {
      auto max = logits.amax(1, /*keepdim=*/true);                    // (N, 1)
      probs = (logits - max).exp_();                                  // (N, V) unnormalised
      auto sum = probs.sum(1, /*keepdim=*/true);                      // (N, 1)
      probs.div_(sum);                                                // (N, V) softmax
      loss = (sum.log() + max - logits.gather(1, index)).mean();      // ()
    }
    ctx->save_for_backward({probs, targets});
    return loss;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    torch::Tensor grad = saved[0];                                  // (N, V) softmax, reused
    const torch::Tensor& targets = saved[1];                        // (N)
    auto index = targets.unsqueeze(1);                              // (N, 1)
    grad.scatter_(1, index, grad.gather(1, index) - 1.0);           // p - onehot
    grad.mul_(grad_outputs[0] / static_cast<double>(grad.size(0))); // d(mean)/dx
    return {grad, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor CausalAttention(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v, double dropout_p) {
#if TORCH_VERSION_MAJOR >= 2
  return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, dropout_p,
                                          /*is_causal=*/true);
#else
  const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
  auto q3 = q.reshape({B * H, T, D});                                     // (BH, T, D)
  auto k3 = k.reshape({B * H, T, D});                                     // (BH, T, D)
  auto v3 = v.reshape({B * H, T, D});                                     // (BH, T, D)
  const torch::Tensor mask = CausalMask(T, q.options());                  // (T, T)
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  // Query blocks: rows [r0, r1) attend to keys [0, r1) only, which skips most of the masked
  // upper triangle (4 blocks do 10/16 of the full T x T work).
  const int64_t blocks = std::min<int64_t>(4, (T + 63) / 64);
  const int64_t rows = (T + blocks - 1) / blocks;
  std::vector<torch::Tensor> out;
  for (int64_t r0 = 0; r0 < T; r0 += rows) {
    const int64_t r1 = std::min(T, r0 + rows);
    auto att = torch::baddbmm(mask.narrow(0, r0, r1 - r0).narrow(1, 0, r1),  // (r1-r0, r1)
                              q3.narrow(1, r0, r1 - r0),                     // (BH, r1-r0, D)
                              k3.narrow(1, 0, r1).transpose(1, 2),           // (BH, D, r1)
                              /*beta=*/1.0, /*alpha=*/scale);                // (BH, r1-r0, r1)
    att = torch::softmax(att, -1);
    if (dropout_p > 0) att = torch::dropout(att, dropout_p, /*train=*/true);
    out.push_back(torch::bmm(att, v3.narrow(1, 0, r1)));                     // (BH, r1-r0, D)
  }
  auto y = out.size() == 1 ? out[0] : torch::cat(out, 1);                 // (BH, T, D)
  return y.view({B, H, T, D});                                            // (B, H, T, D)
#endif
}

torch::Tensor CrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  const bool bf16 = logits.scalar_type() == torch::kBFloat16;
  if (bf16 && !torch::GradMode::is_enabled()) {  // evaluation: the result of a run, in float32
    return torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), targets);
  }
  if (bf16 || (logits.scalar_type() == torch::kFloat32 && !logits.is_cuda())) {
    return CrossEntropyFunction::apply(logits, targets);
  }
  return torch::nn::functional::cross_entropy(logits, targets);
}

}  // namespace datawall::models
