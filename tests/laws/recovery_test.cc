// Recovery: runs generated from known data-constrained coefficients (with and without noise) are
// fitted back. Tolerances and why:
//  - noiseless, all 7 coefficients free from a 16-start grid: 1e-8 relative. The objective is 0
//    at the truth and quadratic there (every residual is inside the Huber delta), so the minimum
//    is isolated and only the solver's stopping tolerances limit accuracy: measured errors are
//    1e-12 to 1e-11 (docs/laws.md); 1e-8 leaves margin for other compilers/libm, nothing more.
//  - 1% log-normal noise (seeded): no fixed tolerance is honest for one noisy draw, so the test
//    asks the bootstrap's 95% percentile intervals to cover the generating R_D*, R_N* (and to be
//    informative: narrower than the values themselves).
#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"

namespace datawall::laws {
namespace {

const Law kTruth(Form::kDataConstrained, {6.0, 7.0, 0.6, 0.33, 0.37, 12.0, 4.0, 0});

std::vector<RunPoint> Synthetic(double noise_sigma, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<RunPoint> runs;
  for (double n : {1e7, 3e7, 1e8, 3e8, 1e9, 3e9}) {
    for (double u : {1e8, 1e9, 1e10}) {
      for (double epochs : {1.0, 2.0, 4.0, 8.0, 16.0, 40.0, 100.0}) {
        // Box-Muller from two 53-bit uniforms (deterministic across standard libraries).
        const double u1 = ((rng() >> 11) + 0.5) * 0x1.0p-53, u2 = (rng() >> 11) * 0x1.0p-53;
        const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
        const double loss = kTruth.Loss(n, u * epochs, u) * std::exp(noise_sigma * z);
        runs.push_back({"n" + std::to_string(runs.size()), n, u * epochs, u, loss});
      }
    }
  }
  return runs;
}

TEST(Recovery, NoiselessAllSevenCoefficients) {
  FitOptions options;
  options.init = Law(Form::kDataConstrained, {0, 0, 0.4, 0.3, 0.4, 0, 0, 0});
  options.grid = {{"a", {5, 7}}, {"b", {6, 8}}, {"e", {0.4}}, {"alpha", {0.3}},
                  {"beta", {0.4}}, {"rd_star", {5, 20}}, {"rn_star", {2, 8}}};
  auto fit = Fit(Synthetic(0, 1), options);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_TRUE(fit->converged);
  EXPECT_LT(fit->evaluation.rmse_log, 1e-6);
  for (int i = 0; i < 7; ++i) {
    EXPECT_NEAR(fit->law.coefficients()[i], kTruth.coefficients()[i],
                1e-8 * std::abs(kTruth.coefficients()[i]))
        << Info(Form::kDataConstrained).coefficients[i];
  }
}

TEST(Recovery, NoisyDecayConstantsAreCoveredByTheBootstrapInterval) {
  const std::vector<RunPoint> runs = Synthetic(0.01, 7);
  FitOptions options;
  options.init = kTruth;
  options.fixed = {"a", "b", "e", "alpha", "beta"};
  auto fit = Fit(runs, options);
  ASSERT_TRUE(fit.ok()) << fit.status();
  BootstrapOptions boot_options;
  boot_options.num_resamples = 200;
  boot_options.num_threads = 2;
  boot_options.seed = 11;
  auto boot = Bootstrap(runs, options, *fit, boot_options);
  ASSERT_TRUE(boot.ok()) << boot.status();
  EXPECT_EQ(boot->num_failed, 0);
  EXPECT_EQ(boot->samples.size(), 200u);
  ASSERT_EQ(boot->intervals.size(), 2u);  // rd_star, rn_star (nothing derived: a, b, ... frozen)
  for (const Interval& interval : boot->intervals) {
    const double truth = kTruth.coefficient(interval.name);
    EXPECT_LE(interval.lower, truth) << interval.name;
    EXPECT_GE(interval.upper, truth) << interval.name;
    EXPECT_LT(interval.upper - interval.lower, truth) << interval.name;
    EXPECT_LE(interval.lower, interval.estimate);
    EXPECT_GE(interval.upper, interval.estimate);
  }
}

TEST(Bootstrap, DeterministicForASeedWhateverTheThreadCount) {
  const std::vector<RunPoint> runs = Synthetic(0.01, 3);
  FitOptions options;
  options.init = kTruth;
  options.fixed = {"a", "b", "e", "alpha", "beta"};
  auto fit = Fit(runs, options);
  ASSERT_TRUE(fit.ok());
  BootstrapOptions one;
  one.num_resamples = 16;
  one.num_threads = 1;
  one.budgets_flops = {1e21};
  BootstrapOptions two = one;
  two.num_threads = 2;
  auto a = Bootstrap(runs, options, *fit, one);
  auto b = Bootstrap(runs, options, *fit, two);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->samples.size(), b->samples.size());
  for (size_t i = 0; i < a->samples.size(); ++i) {
    EXPECT_EQ(a->samples[i].coefficients(), b->samples[i].coefficients());
  }
  two.seed = 2;
  auto c = Bootstrap(runs, options, *fit, two);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->samples[0].coefficients(), c->samples[0].coefficients());
  BootstrapOptions bad;
  bad.confidence = 1.5;
  EXPECT_FALSE(Bootstrap(runs, options, *fit, bad).ok());
}

TEST(Bootstrap, DerivedQuantitiesWhenExponentsAreFree) {
  const std::vector<RunPoint> runs = Synthetic(0.01, 5);
  FitOptions options;
  options.form = Form::kDataConstrained;
  options.init = kTruth;
  options.fixed = {"rd_star", "rn_star"};
  options.starts = {kTruth};
  auto fit = Fit(runs, options);
  ASSERT_TRUE(fit.ok()) << fit.status();
  BootstrapOptions boot_options;
  boot_options.num_resamples = 50;
  boot_options.num_threads = 2;
  boot_options.budgets_flops = {1e21};
  auto boot = Bootstrap(runs, options, *fit, boot_options);
  ASSERT_TRUE(boot.ok()) << boot.status();
  std::vector<std::string> names;
  for (const Interval& i : boot->intervals) names.push_back(i.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "e", "alpha", "beta", "A", "B", "E", "G",
                                             "n_opt@1e+21", "d_opt@1e+21"}));
  // N_opt * D_opt = C / 6 for every sample, hence for the interval ends' product ordering too.
  for (const Interval& i : boot->intervals) EXPECT_LE(i.lower, i.upper) << i.name;
}

TEST(Percentile, LinearInterpolationLikeNumpy) {
  EXPECT_DOUBLE_EQ(Percentile({3, 1, 2, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Percentile({1, 2, 3, 4, 5}, 0.025), 1.1);
  EXPECT_DOUBLE_EQ(Percentile({7}, 0.9), 7);
}

}  // namespace
}  // namespace datawall::laws
