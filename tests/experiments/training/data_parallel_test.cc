// c10d/Gloo: two ranks (threads) over loopback average their gradients exactly.
#include "experiments/training/data_parallel.h"

#include <thread>

#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include "gtest/gtest.h"

namespace datawall::training {
namespace {

TEST(DataParallel, TwoRanksAverageGradients) {
  auto store = c10::make_intrusive<c10d::HashStore>();
  std::vector<torch::Tensor> results(2);
  auto rank_main = [&](int rank) {
    auto group = MakeLoopbackGlooGroup(store, rank, 2);
    torch::Tensor w = torch::zeros({2, 3}, torch::requires_grad());
    torch::Tensor b = torch::zeros({3}, torch::requires_grad());
    // Rank r's loss has gradient (r + 1) for w and 10 (r + 1) for b.
    ((w.sum() + 10 * b.sum()) * (rank + 1)).backward();
    AverageGradients(*group, {w, b});
    results[rank] = torch::cat({w.grad().reshape({-1}), b.grad()});
  };
  std::thread r0(rank_main, 0), r1(rank_main, 1);
  r0.join();
  r1.join();
  const torch::Tensor expected = torch::cat({torch::full({6}, 1.5), torch::full({3}, 15.0)});
  EXPECT_TRUE(torch::equal(results[0], expected)) << results[0];
  EXPECT_TRUE(torch::equal(results[1], expected)) << results[1];
}

}  // namespace
}  // namespace datawall::training
