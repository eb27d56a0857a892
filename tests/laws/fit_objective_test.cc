// The hand-derived data-constrained objective (value and gradient) equals the generic
// Jet-differentiated one on the paper's runs, for several frozen/free/tied layouts and points.
#include "laws/fit_objective.h"

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

TEST(FitObjective, AnalyticDataConstrainedMatchesJets) {
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
    std::unique_ptr<ceres::FirstOrderFunction> jets(MakeObjective(&m, &runs, &transforms, 1e-3, false));
    std::unique_ptr<ceres::FirstOrderFunction> fast(MakeObjective(&m, &runs, &transforms, 1e-3, true));
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
      EXPECT_NEAR(cost_fast, cost_jets, 1e-13 * cost_jets);
      for (int j = 0; j < m.k; ++j) {
        EXPECT_NEAR(g_fast[j], g_jets[j], 1e-9 * std::max(1e-6, std::abs(g_jets[j])))
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

}  // namespace
}  // namespace datawall::laws::internal
