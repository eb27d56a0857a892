// The law leaderboard on tables whose truth is known: the splits hold the runs they should, a
// table that does not span a split skips it with a line, the right form ranks first where the
// wrong one cannot extrapolate, the true form's prediction intervals cover about as they claim,
// and the board is a function of its seed.
#include "laws/leaderboard.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"

namespace datawall::laws {
namespace {

// Runs of the data-constrained law (Eq. 14) with R_D* = rd_star, times exp(1% noise): N in
// [1e7, 3e9], U in {1e8, 4e8, 1.5e9}, 1 to 32 epochs.
std::vector<RunPoint> Synthetic(double rd_star, uint64_t seed, Form form = Form::kDataConstrained) {
  std::array<double, kMaxCoefficients> c = {6.255414, 7.3049974, 0.6254804, 0.3526596,
                                            0.3526596, rd_star, 5.309743, 0};
  const Law truth(form, c);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.01);
  std::uniform_real_distribution<double> log_n(std::log(1e7), std::log(3e9));
  std::vector<RunPoint> runs;
  for (double u : {1e8, 4e8, 1.5e9}) {
    for (double epochs : {1, 2, 4, 8, 16, 32}) {
      for (int k = 0; k < 7; ++k) {
        RunPoint r;
        r.key = "r" + std::to_string(runs.size());
        r.params = std::exp(log_n(rng));
        r.unique_tokens = u;
        r.tokens = u * epochs;
        r.val_loss = std::exp(truth.LogLoss(r.params, r.tokens, r.unique_tokens) + noise(rng));
        runs.push_back(r);
      }
    }
  }
  return runs;
}

LeaderboardOptions Small(std::vector<Form> forms) {
  LeaderboardOptions options;
  options.forms = std::move(forms);
  options.bootstrap_resamples = 20;
  options.num_threads = 2;
  return options;
}

const SplitScore& On(const FormRow& row, const std::string& split) {
  for (const SplitScore& s : row.splits) {
    if (s.split == split) return s;
  }
  ADD_FAILURE() << "no split " << split;
  return row.splits.front();
}

TEST(Leaderboard, SplitsHoldTheRunsTheyShould) {
  const std::vector<RunPoint> runs = Synthetic(15.4, 1);
  std::vector<std::string> skipped;
  auto splits = StandardSplits(runs, LeaderboardOptions{}, &skipped);
  ASSERT_TRUE(splits.ok()) << splits.status();
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(splits->size(), 4u);
  for (const Split& split : *splits) {
    for (const Fold& fold : split.folds) {
      EXPECT_EQ(fold.train.size() + fold.test.size(), runs.size()) << fold.name;
      for (int i : fold.train) {
        const RunPoint& r = runs[i];
        if (split.name == "params") EXPECT_LT(r.params, 1e9);
        if (split.name == "epochs") EXPECT_LE(r.tokens / r.unique_tokens, 4);
      }
      for (int i : fold.test) {
        const RunPoint& r = runs[i];
        if (split.name == "params") EXPECT_GE(r.params, 1e9);
        if (split.name == "epochs") EXPECT_GT(r.tokens / r.unique_tokens, 4);
      }
    }
  }
  const Split& flops = (*splits)[2];
  EXPECT_EQ(flops.folds[0].train.size(), static_cast<size_t>(std::floor(0.75 * runs.size())));
  double max_train = 0, min_test = 1e300;
  for (int i : flops.folds[0].train) max_train = std::max(max_train, runs[i].params * runs[i].tokens);
  for (int i : flops.folds[0].test) min_test = std::min(min_test, runs[i].params * runs[i].tokens);
  EXPECT_LT(max_train, min_test);
  const Split& budgets = (*splits)[3];
  ASSERT_EQ(budgets.folds.size(), 3u);  // one per unique budget, 42 runs each
  for (const Fold& fold : budgets.folds) {
    EXPECT_EQ(fold.test.size(), 42u);
    for (int i : fold.test) EXPECT_EQ(runs[i].unique_tokens, runs[fold.test[0]].unique_tokens);
  }
}

TEST(Leaderboard, ATableThatDoesNotSpanASplitSkipsItWithALine) {
  std::vector<RunPoint> runs = Synthetic(15.4, 1);
  std::vector<RunPoint> small;
  for (const RunPoint& r : runs) {
    if (r.params < 1e9) small.push_back(r);
  }
  std::vector<std::string> skipped;
  auto splits = StandardSplits(small, LeaderboardOptions{}, &skipped);
  ASSERT_TRUE(splits.ok());
  EXPECT_EQ(splits->size(), 3u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0], "params: params<1e+09 leaves the test side empty");

  LeaderboardOptions one_budget;
  one_budget.min_runs_per_budget = 1000;
  one_budget.epochs_threshold = 100;
  one_budget.params_threshold = 1e12;
  skipped.clear();
  auto only_flops = StandardSplits(runs, one_budget, &skipped);
  ASSERT_TRUE(only_flops.ok());
  EXPECT_EQ(only_flops->size(), 1u);
  EXPECT_EQ(skipped.size(), 3u);
}

TEST(Leaderboard, BadOptionsAreRefused) {
  LeaderboardOptions options;
  std::string error;
  options.bootstrap_resamples = 5;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "bootstrap_resamples: must be at least 10");
  options = LeaderboardOptions{};
  options.flops_fraction = 1;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "flops_fraction: must be in (0, 1)");
  options = LeaderboardOptions{};
  options.forms = {Form::kChinchilla, Form::kChinchilla};
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "forms: chinchilla twice");
  EXPECT_FALSE(RunLeaderboard({}, LeaderboardOptions{}).ok());
}

TEST(Leaderboard, TheTrueFormWinsWhereTheOtherCannotExtrapolate) {
  // Strong decay (R_D* = 2): training runs up to 4 epochs already show it; Chinchilla, which
  // counts every repeated token as new, cannot predict 8-32 epochs.
  const std::vector<RunPoint> runs = Synthetic(2.0, 2);
  auto board = RunLeaderboard(runs, Small({Form::kChinchilla, Form::kDataConstrained}));
  ASSERT_TRUE(board.ok()) << board.status();
  ASSERT_EQ(board->rows.size(), 2u);
  EXPECT_EQ(board->rows[0].name, "data_constrained");
  const FormRow& truth = board->rows[0];
  const FormRow& chinchilla = board->rows[1];
  EXPECT_EQ(On(truth, "epochs").rank, 1);
  EXPECT_GT(On(chinchilla, "epochs").rmse_log, 3 * On(truth, "epochs").rmse_log);
  // The true form predicts held-out runs to about the noise (1%), and its 95% prediction
  // intervals hold most of them.
  EXPECT_LT(On(truth, "epochs").rmse_log, 0.03);
  EXPECT_GT(On(truth, "unique_budget").coverage, 0.8);
  EXPECT_GT(On(truth, "flops").coverage, 0.7);
  for (const SplitScore& s : truth.splits) {
    EXPECT_EQ(s.failed_folds, 0) << s.split;
    EXPECT_GT(s.test_runs, 0);
    EXPECT_GE(s.coverage, s.coverage_law - 1e-12) << s.split;  // noise widens the interval
  }
  EXPECT_NE(board->Report().find("data_constrained"), std::string::npos);
}

TEST(Leaderboard, IsAFunctionOfItsSeed) {
  const std::vector<RunPoint> runs = Synthetic(15.4, 3, Form::kChinchilla);
  LeaderboardOptions options = Small({Form::kChinchilla});
  options.bootstrap_resamples = 10;
  auto first = RunLeaderboard(runs, options);
  options.num_threads = 1;
  auto second = RunLeaderboard(runs, options);
  ASSERT_TRUE(first.ok() && second.ok());
  for (size_t s = 0; s < first->rows[0].splits.size(); ++s) {
    EXPECT_EQ(first->rows[0].splits[s].rmse_log, second->rows[0].splits[s].rmse_log);
    EXPECT_EQ(first->rows[0].splits[s].coverage, second->rows[0].splits[s].coverage);
  }
}

}  // namespace
}  // namespace datawall::laws
