// The GPT-2 module: shapes, exact parameter count, causality, gradients. Also the project's
// LibTorch smoke test (a forward and backward pass through the real library).
#include "models/gpt.h"

#include <cmath>

#include "gtest/gtest.h"
#include "models/shape.h"

namespace datawall::models {
namespace {

ModelShape Tiny() {
  ModelShape s = FindPreset("micro_d32_l1")->shape;  // d 32, 2 heads x 16, 1 layer, V 512, s 64
  s.n_layers = 2;
  return s;
}

TEST(GptTest, ForwardShapesAndInitialLossNearLogV) {
  torch::manual_seed(0);
  GPT model(Tiny());
  model->eval();
  auto idx = torch::randint(0, 512, {3, 17}, torch::kLong);
  auto logits = model->forward(idx);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{3, 17, 512}));
  auto loss = model->Loss(idx, torch::randint(0, 512, {3, 17}, torch::kLong)).item<double>();
  EXPECT_NEAR(loss, std::log(512.0), 0.1);  // small init -> nearly uniform predictions
}

TEST(GptTest, ParameterCountMatchesExactFormula) {
  for (const char* name : {"micro_d32_l1", "micro_d64_l2", "micro_d128_l4", "paper_7m"}) {
    GPT model(FindPreset(name)->shape);
    EXPECT_EQ(model->NumParams(), ExactParams(FindPreset(name)->shape)) << name;
  }
  ModelShape odd = Tiny();  // attention width (3 x 8 = 24) != d_model, ffw != 4d
  odd.n_heads = 3; odd.kv_size = 8; odd.ffw_size = 50;
  GPT model(odd);
  EXPECT_EQ(model->NumParams(), ExactParams(odd));
  model->eval();
  EXPECT_EQ(model->forward(torch::zeros({1, 5}, torch::kLong)).size(2), odd.vocab_size);
}

TEST(GptTest, OutputLayerIsTiedToTokenEmbedding) {
  GPT model(Tiny());
  int64_t vocab_sized = 0;
  for (const auto& p : model->parameters()) vocab_sized += (p.size(0) == 512);
  EXPECT_EQ(vocab_sized, 1);  // only wte: no separate (V, C) output matrix
}

TEST(GptTest, AttentionIsCausal) {
  torch::manual_seed(1);
  GPT model(Tiny());
  model->eval();
  auto a = torch::randint(0, 512, {1, 12}, torch::kLong);
  auto b = a.clone();
  b[0][7] = (a[0][7].item<int64_t>() + 1) % 512;
  auto la = model->forward(a), lb = model->forward(b);
  EXPECT_TRUE(torch::equal(la.narrow(1, 0, 7), lb.narrow(1, 0, 7)));
  EXPECT_FALSE(torch::allclose(la.narrow(1, 7, 5), lb.narrow(1, 7, 5)));
}

TEST(GptTest, BackwardGivesFiniteGradientsToEveryParameter) {
  torch::manual_seed(2);
  GPT model(Tiny());
  model->train();
  auto idx = torch::randint(0, 512, {4, 32}, torch::kLong);
  auto loss = model->Loss(idx, torch::roll(idx, -1, 1));
  loss.backward();
  for (const auto& item : model->named_parameters()) {
    const auto& g = item.value().grad();
    ASSERT_TRUE(g.defined()) << item.key();
    EXPECT_EQ(g.sizes(), item.value().sizes()) << item.key();
    EXPECT_TRUE(torch::isfinite(g).all().item<bool>()) << item.key();
    EXPECT_GT(g.abs().sum().item<double>(), 0.0) << item.key();
  }
}

TEST(GptTest, DropoutOnlyInTraining) {
  torch::manual_seed(3);
  GPT model(Tiny());
  auto idx = torch::randint(0, 512, {2, 16}, torch::kLong);
  model->eval();
  EXPECT_TRUE(torch::equal(model->forward(idx), model->forward(idx)));
  model->train();
  EXPECT_FALSE(torch::equal(model->forward(idx), model->forward(idx)));
  torch::manual_seed(9);
  auto first = model->forward(idx);
  torch::manual_seed(9);
  EXPECT_TRUE(torch::equal(first, model->forward(idx)));  // dropout draws follow the seed
}

TEST(GptTest, FewAdamStepsMemoriseABatch) {
  torch::manual_seed(4);
  ModelShape s = Tiny();
  s.dropout = 0.0;
  GPT model(s);
  torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(3e-3));
  auto idx = torch::randint(0, 512, {4, 32}, torch::kLong);
  auto targets = torch::roll(idx, -1, 1);
  const double first = model->Loss(idx, targets).item<double>();
  double last = first;
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto loss = model->Loss(idx, targets);
    loss.backward();
    opt.step();
    last = loss.item<double>();
  }
  EXPECT_LT(last, 0.5 * first);
}

}  // namespace
}  // namespace datawall::models
