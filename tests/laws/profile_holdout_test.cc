// The (R_D*, R_N*) profile shows the ridge of the paper's fit; held-out validation splits by
// scale and reports errors on the runs it did not fit.
#include "gtest/gtest.h"
#include "laws/holdout.h"
#include "laws/profile.h"
#include "tests/testing/released_runs.h"

namespace datawall::laws {
namespace {

std::vector<RunPoint> FitSet() {
  return testdata::ReleasedRuns("in_fit_set").runs();
}

TEST(Profile, ShowsTheRidgeAroundThePapersConstants) {
  ProfileOptions options;
  options.rd_star_points = 21;
  options.rn_star_points = 21;
  auto p = ProfileDecayConstants(PaperLaw(), FitSet(), options);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->objective.size(), 21u * 21u);
  // The grid's best point is at least as good as the paper's 0.015826 (the ridge continues).
  EXPECT_LT(p->min_objective, 0.0158260);
  // The ridge: as R_D* grows the best R_N* shrinks (a trade-off, not an isolated minimum).
  EXPECT_GT(p->ridge_rn_star.front(), p->ridge_rn_star.back());
  EXPECT_GT(p->num_near_optimal, 1);
  const std::string csv = p->ToCsv();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 21 * 21);
  EXPECT_EQ(csv.substr(0, 26), "rd_star,rn_star,objective\n");
  EXPECT_NE(p->Report().find("ridge"), std::string::npos);

  EXPECT_FALSE(ProfileDecayConstants(DefaultInit(Form::kChinchilla), FitSet(), options).ok());
  options.rd_star_min = -1;
  EXPECT_FALSE(ProfileDecayConstants(PaperLaw(), FitSet(), options).ok());
}

TEST(Profile, RefitOfTheOtherCoefficientsNeverRaisesTheProfile) {
  ProfileOptions options;
  options.rd_star_points = 4;
  options.rn_star_points = 4;
  FitOptions fit_options;
  fit_options.fixed = {"alpha", "beta"};  // a, b, e re-optimised at each (R_D*, R_N*)
  auto plain = ProfileDecayConstants(PaperLaw(), FitSet(), options);
  auto refit = ProfileDecayConstantsRefit(PaperLaw(), FitSet(), fit_options, options);
  ASSERT_TRUE(plain.ok() && refit.ok());
  int lower = 0;
  for (size_t i = 0; i < plain->objective.size(); ++i) {
    EXPECT_LE(refit->objective[i], plain->objective[i]);
    lower += refit->objective[i] < plain->objective[i] * (1 - 1e-6);
  }
  EXPECT_GT(lower, 0);
  // With nothing else free, the refit profile is the plain one.
  FitOptions frozen;
  frozen.fixed = {"a", "b", "e", "alpha", "beta"};
  auto same = ProfileDecayConstantsRefit(PaperLaw(), FitSet(), frozen, options);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->objective, plain->objective);
}

TEST(HeldOut, FitsSmallModelsAndPredictsLargeOnes) {
  auto split = ParseHeldOutSplit("params<1e9");
  ASSERT_TRUE(split.ok());
  FitOptions options;
  options.fixed = {"a", "b", "e", "alpha", "beta"};
  const std::vector<RunPoint> runs = FitSet();
  auto h = FitHeldOut(runs, options, *split);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->train.n_runs + h->test.n_runs, 182);
  int small = 0;
  for (const RunPoint& r : runs) small += r.params < 1e9;
  EXPECT_EQ(h->train.n_runs, small);
  EXPECT_GT(h->test_mean_abs_rel_error, 0);
  EXPECT_LE(h->test_mean_abs_rel_error, h->test_max_abs_rel_error);
  EXPECT_EQ(h->test_keys.size(), static_cast<size_t>(h->test.n_runs));
  EXPECT_NE(h->Report().find("held-out (params<1e+09)"), std::string::npos);

  EXPECT_FALSE(FitHeldOut(runs, options, *ParseHeldOutSplit("params<1")).ok());  // empty train
  EXPECT_TRUE(ParseHeldOutSplit("flops<1e20").ok());
  EXPECT_FALSE(ParseHeldOutSplit("params>1e9").ok());
  EXPECT_FALSE(ParseHeldOutSplit("params<abc").ok());
  EXPECT_FALSE(ParseHeldOutSplit("params<-5").ok());
}

}  // namespace
}  // namespace datawall::laws
