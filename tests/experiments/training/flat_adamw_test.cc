// FlatAdamW with bf16 weights: the module computes in bf16 while the optimiser keeps float32
// master weights, accumulates micro-batch gradients in float32 and writes the weights back.
// Checked against the same optimiser with float32 weights on the same data (CPU runs bf16).
#include "experiments/training/flat_adamw.h"

#include "gtest/gtest.h"

namespace datawall::training {
namespace {

TEST(FlatAdamWTest, Bf16WeightsFollowFloat32MasterWeights) {
  torch::manual_seed(0);
  torch::nn::Linear a(torch::nn::LinearOptions(8, 4));
  torch::nn::Linear b(torch::nn::LinearOptions(8, 4));
  {
    torch::NoGradGuard no_grad;
    b->weight.copy_(a->weight);
    b->bias.copy_(a->bias);
  }
  FlatAdamW fa(*a, {}), fb(*b, {}, torch::kBFloat16);
  ASSERT_EQ(b->weight.scalar_type(), torch::kBFloat16);
  ASSERT_EQ(fb.params().scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::equal(fa.params(), fb.params()));  // master weights start exact
  auto x = torch::randn({16, 8});
  for (int step = 0; step < 3; ++step) {
    fa.ZeroGrad();
    fb.ZeroGrad();
    for (int micro = 0; micro < 2; ++micro) {  // two micro-batches accumulate
      auto xm = x.narrow(0, 8 * micro, 8);
      a(xm).square().mean().backward();
      fa.AccumulateGrads();  // no-op for float32 weights
      b(xm.to(torch::kBFloat16)).to(torch::kFloat32).square().mean().backward();
      fb.AccumulateGrads();
      EXPECT_EQ(b->weight.grad().abs().sum().item<double>(), 0.0) << "bf16 grads not moved";
    }
    EXPECT_TRUE(torch::allclose(fb.grads(), fa.grads(), 0.05, 2e-3)) << step;
    fa.Step(1e-2);
    fb.Step(1e-2);
    // Weight matrices first (decayed), then biases: the module sees the rounded master weights.
    EXPECT_TRUE(torch::equal(b->weight, fb.params().narrow(0, 0, 32).view({4, 8}).to(torch::kBFloat16)));
    EXPECT_TRUE(torch::equal(b->bias, fb.params().narrow(0, 32, 4).to(torch::kBFloat16)));
  }
  EXPECT_TRUE(torch::allclose(fb.params(), fa.params(), 1e-2, 1e-3));
  // An update far below bf16 resolution still moves the master weights.
  auto before = fb.params().clone();
  auto weights_before = b->weight.detach().clone();
  fb.ZeroGrad();
  b(x.to(torch::kBFloat16)).to(torch::kFloat32).square().mean().backward();
  fb.AccumulateGrads();
  fb.Step(1e-7);
  EXPECT_FALSE(torch::equal(before, fb.params()));
  EXPECT_TRUE(torch::equal(weights_before, b->weight));
}

TEST(FlatAdamWTest, SyncWeightsRewritesWeightsFromRestoredMasterWeights) {
  torch::nn::Linear m(torch::nn::LinearOptions(3, 2));
  FlatAdamW opt(*m, {}, torch::kBFloat16);
  opt.params().fill_(0.5);
  opt.SyncWeights();
  EXPECT_TRUE(torch::equal(m->weight, torch::full({2, 3}, 0.5, torch::kBFloat16)));
  EXPECT_TRUE(torch::equal(m->bias, torch::full({2}, 0.5, torch::kBFloat16)));
}

}  // namespace
}  // namespace datawall::training
