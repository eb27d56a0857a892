// models/ops: the fast causal attention and cross-entropy equal the textbook formulas in value
// and gradient.
#include "models/ops.h"

#include <cmath>

#include "gtest/gtest.h"

namespace datawall::models {
namespace {

TEST(OpsTest, CausalAttentionMatchesMaskedSoftmax) {
  torch::manual_seed(0);
  for (int64_t T : {7, 64, 130, 300}) {  // one block; 2, 3 and 4 blocks (last one shorter)
  const int64_t B = 2, H = 3, D = 4;
  auto q = torch::randn({B, H, T, D}, torch::requires_grad());
  auto k = torch::randn({B, H, T, D}, torch::requires_grad());
  auto v = torch::randn({B, H, T, D}, torch::requires_grad());
  auto y = CausalAttention(q, k, v, 0.0);
  auto mask = torch::ones({T, T}, torch::kBool).tril();
  auto att = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(D));
  att = att.masked_fill(mask.logical_not(), -INFINITY).softmax(-1);
  auto reference = torch::matmul(att, v);
  EXPECT_TRUE(torch::allclose(y, reference, 1e-5, 1e-6));
  auto g = torch::randn_like(y);
  auto grads = torch::autograd::grad({y}, {q, k, v}, {g});
  auto ref_grads = torch::autograd::grad({reference}, {q, k, v}, {g});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(torch::allclose(grads[i], ref_grads[i], 1e-5, 1e-6));
  // The first position attends only to itself.
  EXPECT_TRUE(torch::allclose(y.select(2, 0), v.select(2, 0), 1e-6, 1e-6));
  }
}

TEST(OpsTest, CrossEntropyMatchesLibTorch) {
  torch::manual_seed(1);
  auto logits = (torch::randn({50, 33}) * 4).requires_grad_(true);
  auto targets = torch::randint(0, 33, {50}, torch::kLong);
  auto loss = CrossEntropy(logits, targets);
  auto reference = torch::nn::functional::cross_entropy(logits, targets);
  EXPECT_NEAR(loss.item<double>(), reference.item<double>(), 1e-5);
  auto grad = torch::autograd::grad({loss * 3.0}, {logits})[0];
  auto ref_grad = torch::autograd::grad({reference * 3.0}, {logits})[0];
  EXPECT_TRUE(torch::allclose(grad, ref_grad, 1e-5, 1e-7));
  // Extreme logits stay finite (logsumexp form, no log of an underflowed probability).
  auto extreme = torch::zeros({2, 5});
  extreme[0][0] = 200;
  auto far = CrossEntropy(extreme, torch::tensor({4, 0}, torch::kLong));
  EXPECT_NEAR(far.item<double>(), (200.0 + std::log(5.0)) / 2.0, 1e-4);
}

// bf16 logits (bf16 weights on CUDA; LibTorch also runs the bf16 kernels on CPU): training
// loss and gradient within bf16 rounding of the float32 reference on the same logits;
// evaluation (no grad) is the float32 cross-entropy of those logits exactly.
TEST(OpsTest, Bf16CrossEntropyMatchesFloat32Reference) {
  torch::manual_seed(2);
  const int64_t N = 256, V = 1000;
  auto logits = (torch::randn({N, V}) * 3).to(torch::kBFloat16).requires_grad_(true);
  auto targets = torch::randint(0, V, {N}, torch::kLong);
  auto loss = CrossEntropy(logits, targets);
  ASSERT_EQ(loss.scalar_type(), torch::kFloat32);
  auto logits32 = logits.detach().to(torch::kFloat32).requires_grad_(true);
  auto reference = torch::nn::functional::cross_entropy(logits32, targets);
  EXPECT_NEAR(loss.item<double>(), reference.item<double>(), 2e-3);
  auto grad = torch::autograd::grad({loss * 3.0}, {logits})[0];
  ASSERT_EQ(grad.scalar_type(), torch::kBFloat16);
  auto ref_grad = torch::autograd::grad({reference * 3.0}, {logits32})[0];
  // |p - onehot| <= 1 in bf16 (8 significant bits), times 3 / N.
  EXPECT_TRUE(torch::allclose(grad.to(torch::kFloat32), ref_grad, 1e-2, 3.0 * 4e-3 / N));
  {
    torch::NoGradGuard no_grad;
    auto eval = CrossEntropy(logits.detach(), targets);
    EXPECT_DOUBLE_EQ(eval.item<double>(), reference.item<double>());
  }
  // A target far below the range of bf16 probabilities stays finite.
  auto extreme = torch::zeros({1, 5}, torch::kBFloat16);
  extreme[0][0] = 200;
  auto far = CrossEntropy(extreme.requires_grad_(true), torch::tensor({4}, torch::kLong));
  EXPECT_TRUE(std::isfinite(far.item<double>()));
  EXPECT_GT(far.item<double>(), 80.0);
}

}  // namespace
}  // namespace datawall::models
