// The hand-derived data-constrained objective (value and gradient) equals the generic
// Jet-differentiated one on the paper's runs, for several frozen/free/tied layouts and points,
// for the Huber sum and the profiled Huber likelihood; the likelihood's pieces (the density's
// normaliser, the profiled scale, the envelope-theorem gradient) against direct computation.
#include "laws/fit_objective.h"

#include <limits>
#include <random>

#include "gtest/gtest.h"
#include "laws/run_table.h"
#include "tests/testing/released_runs.h"

namespace datawall::laws::internal {
namespace {

std::vector<PreparedRun> Runs() {
  const RunTable table = datawall::testdata::ReleasedRuns();  // all 296: every branch of U_N, R_D
  std::vector<PreparedRun> runs;
  for (const RunPoint& r : table.runs()) {
    runs.push_back({r.params, r.tokens, r.unique_tokens, std::log(r.val_loss)});
  }
  return runs;
}

class FitObjective : public ::testing::TestWithParam<bool> {};  // param: mle

TEST_P(FitObjective, AnalyticDataConstrainedMatchesJets) {
  const bool mle = GetParam();
  const std::vector<PreparedRun> runs = Runs();
  const std::array<double, kMaxCoefficients> paper = {6.255414, 7.3049974, 0.6254804, 0.3526596,
                                                      0.3526596, 15.387756, 5.309743, 0};
  // Layouts: which slots are free (-1 frozen), possibly beta tied to alpha.
  const std::vector<std::array<int, 7>> layouts = {
      {-1, -1, -1, -1, -1, 0, 1},  // the paper's decay-constant fit
      {0, 1, 2, 3, 4, -1, -1},     // five coefficients
      {0, 1, 2, 3, 4, 5, 6},       // all seven
      {0, 1, 2, 3, 3, 4, 5},       // alpha = beta tied
      {-1, 0, -1, 1, -1, -1, 2},   // a mixed subset
  };
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> jitter(-1.5, 1.5);
  int compared = 0;
  for (const auto& layout : layouts) {
    Mapping m;
    m.form = Form::kDataConstrained;
    m.fixed = paper;
    m.index.fill(-1);
    for (int i = 0; i < 7; ++i) m.index[i] = layout[i];
    m.k = *std::max_element(layout.begin(), layout.end()) + 1;
    std::vector<Transform> transforms(m.k);
    // Exponents and R* through log boxes as the fitter does; a, b, e unbounded.
    for (int i = 0; i < 7; ++i) {
      if (layout[i] < 0 || i < kAlpha) continue;
      transforms[layout[i]] = {Transform::kLogBox, std::log(1e-4),
                               std::log(i < kExtra0 ? 10.0 : 1e9)};
    }
    std::unique_ptr<ceres::FirstOrderFunction> jets(MakeObjective(&m, &runs, &transforms, 1e-3, false, mle));
    std::unique_ptr<ceres::FirstOrderFunction> fast(MakeObjective(&m, &runs, &transforms, 1e-3, true, mle));
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> y(m.k);
      for (int i = 0; i < 7; ++i) {
        if (layout[i] < 0) continue;
        const double x = paper[i] * (i < kAlpha ? 1 + 0.2 * jitter(rng) : std::exp(jitter(rng)));
        y[layout[i]] = ToSearch(x, transforms[layout[i]]);
      }
      double cost_jets, cost_fast;
      std::vector<double> g_jets(m.k), g_fast(m.k);
      ASSERT_TRUE(jets->Evaluate(y.data(), &cost_jets, g_jets.data()));
      ASSERT_TRUE(fast->Evaluate(y.data(), &cost_fast, g_fast.data()));
      EXPECT_NEAR(cost_fast, cost_jets, 1e-12 * std::abs(cost_jets));
      double g_max = 0;
      for (double g : g_jets) g_max = std::max(g_max, std::abs(g));
      for (int j = 0; j < m.k; ++j) {
        EXPECT_NEAR(g_fast[j], g_jets[j], 1e-9 * std::max(1e-6 * g_max, std::abs(g_jets[j])))
            << "layout " << &layout - &layouts[0] << " coefficient " << j;
      }
      double cost_only;
      ASSERT_TRUE(fast->Evaluate(y.data(), &cost_only, nullptr));
      EXPECT_EQ(cost_only, cost_fast);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 100);
}

INSTANTIATE_TEST_SUITE_P(HuberAndHuberMle, FitObjective, ::testing::Bool());

double HuberValue(double x, double delta) {
  const double a = std::abs(x);
  return a < delta ? 0.5 * x * x : delta * (a - 0.5 * delta);
}

TEST(HuberDensity, NormaliserIntegratesTheDensityToOne) {
  for (double delta : {1e-3, 0.1, 1.0, 1.345, 3.0}) {
    // Simpson on [0, delta] and on the tail [delta, delta + 60 / delta] (exp(-60) is negligible).
    auto simpson = [&](double lo, double hi, int n) {
      const double h = (hi - lo) / n;
      double sum = std::exp(-HuberValue(lo, delta)) + std::exp(-HuberValue(hi, delta));
      for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * std::exp(-HuberValue(lo + i * h, delta));
      return sum * h / 3;
    };
    const double integral = 2 * (simpson(0, delta, 2000) + simpson(delta, delta + 60 / delta, 200000));
    EXPECT_NEAR(std::log(integral), HuberLogNormalizer(delta), 1e-9) << "delta " << delta;
  }
}

TEST(HuberDensity, ProfiledScaleMinimisesTheLikelihood) {
  std::mt19937_64 rng(7);
  for (double delta : {1e-3, 0.5, 1.345}) {
    for (int trial = 0; trial < 20; ++trial) {
      // Residuals mixing a Gaussian core and a few outliers, so both Huber branches are used.
      std::normal_distribution<double> core(0, 0.01);
      std::vector<double> r(50);
      for (double& x : r) x = core(rng);
      r[3] = 0.3;
      r[17] = -0.2;
      const int n = static_cast<int>(r.size());
      double sigma = 0;
      const double nll = ProfiledHuberNll(r.data(), n, delta, &sigma);
      ASSERT_GT(sigma, 0);
      auto nll_at = [&](double s) {
        double total = n * (HuberLogNormalizer(delta) + std::log(s));
        for (double x : r) total += HuberValue(x / s, delta);
        return total;
      };
      EXPECT_NEAR(nll, nll_at(sigma), 1e-12 * std::abs(nll));
      for (double f : {0.999, 1.001, 0.9, 1.1, 0.5, 2.0}) EXPECT_LT(nll, nll_at(sigma * f));
      // Stationarity: d/d log sigma of the NLL is zero at sigma* (central difference).
      const double h = 1e-5;
      const double slope = (nll_at(sigma * std::exp(h)) - nll_at(sigma * std::exp(-h))) / (2 * h);
      EXPECT_NEAR(slope, 0, 1e-6 * n);
    }
  }
}

TEST(HuberDensity, TinyDeltaIsTheLaplaceLimit) {
  // With every |r_i| / sigma* above delta the density is Laplace's: sigma* = delta mean |r_i|.
  const std::vector<double> r = {0.01, -0.02, 0.005, 0.03, -0.001};
  const double sigma = ProfiledHuberScale(r.data(), 5, 1e-3);
  EXPECT_NEAR(sigma, 1e-3 * (0.01 + 0.02 + 0.005 + 0.03 + 0.001) / 5, 1e-18);
  const std::vector<double> zeros(4, 0.0);
  EXPECT_EQ(ProfiledHuberScale(zeros.data(), 4, 1e-3), 0);
  EXPECT_EQ(ProfiledHuberNll(zeros.data(), 4, 1e-3), -std::numeric_limits<double>::infinity());
}

TEST(HuberDensity, LikelihoodGradientIsTheProfiledOnes) {
  // The objective returns the partial gradient at the optimal scale; by the envelope theorem it is
  // the gradient of the profiled likelihood. Check against central differences of the value.
  const std::vector<PreparedRun> runs = Runs();
  Mapping m;
  m.form = Form::kDataConstrained;
  m.fixed = {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 15.387756, 5.309743, 0};
  m.index.fill(-1);
  for (int i = 0; i < 7; ++i) m.index[i] = i;
  m.k = 7;
  std::vector<Transform> transforms(7);
  for (int i = kAlpha; i < 7; ++i) {
    transforms[i] = {Transform::kLogBox, std::log(1e-4), std::log(i < kExtra0 ? 10.0 : 1e9)};
  }
  // A large delta keeps the value smooth at this scale (no kink within the difference step).
  for (bool analytic : {false, true}) {
    std::unique_ptr<ceres::FirstOrderFunction> f(
        MakeObjective(&m, &runs, &transforms, 1.0, analytic, /*mle=*/true));
    std::vector<double> y(7);
    for (int i = 0; i < 7; ++i) y[i] = ToSearch(m.fixed[i] * (i < kAlpha ? 1.05 : 1.3), transforms[i]);
    double cost;
    std::vector<double> g(7);
    ASSERT_TRUE(f->Evaluate(y.data(), &cost, g.data()));
    for (int j = 0; j < 7; ++j) {
      const double h = 1e-6;
      std::vector<double> up = y, down = y;
      up[j] += h;
      down[j] -= h;
      double c_up, c_down;
      ASSERT_TRUE(f->Evaluate(up.data(), &c_up, nullptr));
      ASSERT_TRUE(f->Evaluate(down.data(), &c_down, nullptr));
      const double fd = (c_up - c_down) / (2 * h);
      EXPECT_NEAR(g[j], fd, 1e-5 * std::max(1.0, std::abs(fd))) << "analytic " << analytic << " j " << j;
    }
  }
}

}  // namespace
}  // namespace datawall::laws::internal
