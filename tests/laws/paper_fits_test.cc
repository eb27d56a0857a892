// Table 1: the R^2 of every variant at the paper's constants matches the corrected column to 4
// decimals, and refitting each variant the paper's way reaches the notebook's objective or lower.
#include "laws/paper_fits.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/testing/released_runs.h"

namespace datawall::laws {
namespace {

RunTable AllRuns() {
  return testdata::ReleasedRuns();
}

TEST(PaperTable1, RSquaredAtThePapersConstantsMatchesToFourDecimals) {
  const RunTable all = AllRuns();
  ASSERT_EQ(PaperTable1().size(), 7u);
  for (const PaperVariant& v : PaperTable1()) {
    auto runs = PaperVariantR2Runs(v, all);
    ASSERT_TRUE(runs.ok()) << runs.status();
    EXPECT_EQ(runs->size(), 182u) << v.name;
    const double r2 = Evaluate(v.paper_law, *runs).r2;
    EXPECT_EQ(std::round(r2 * 1e4) / 1e4, v.paper_r2) << v.name << ": " << r2;
  }
  // Eq. 22's objective is on all 296 rows (App. F: 0.0596; 0.0595602 recomputed in float64).
  auto eq22 = FindPaperVariant("alpha_beta_decay");
  ASSERT_TRUE(eq22.ok());
  auto runs = PaperVariantRuns(*eq22, all);
  ASSERT_EQ(runs->size(), 296u);
  EXPECT_NEAR(Evaluate(eq22->paper_law, *runs).objective, 0.0595602, 1e-7);
}

TEST(PaperTable1, RefitsReachTheNotebookObjectiveOrLower) {
  const RunTable all = AllRuns();
  // Eq. 22 has its own test below; the "only decay N" objective differs by definition (see
  // paper_fits.h) and is checked separately.
  for (const std::string name : {"decay_data_only", "eq14", "geometric", "explicit_exponential"}) {
    auto v = FindPaperVariant(name);
    ASSERT_TRUE(v.ok());
    auto fit = FitPaperVariant(*v, all);
    ASSERT_TRUE(fit.ok()) << fit.status();
    EXPECT_TRUE(fit->converged) << name;
    // The notebook's printed minima are float32 sums; allow their last printed digit.
    EXPECT_LE(fit->evaluation.objective, v->paper_objective + 1e-9) << name;
  }
  auto only_n = FitPaperVariant(*FindPaperVariant("decay_params_only"), all);
  ASSERT_TRUE(only_n.ok());
  auto at_paper = Evaluate(FindPaperVariant("decay_params_only")->paper_law,
                           *PaperVariantRuns(*FindPaperVariant("decay_params_only"), all));
  EXPECT_LT(only_n->evaluation.objective, at_paper.objective);
  auto none = FitPaperVariant(*FindPaperVariant("no_decay"), all);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->num_starts, 0);
  EXPECT_EQ(none->law.coefficients(), DefaultInit(Form::kNoDecay).coefficients());
  EXPECT_FALSE(FindPaperVariant("eq99").ok());
}

TEST(PaperTable1, AlphaBetaDecayRefitOnAll296Runs) {
  // App. F: 2,500 starts on 296 runs; the notebook printed 0.0596 (float64: 0.0595602) for the
  // grid point it never left. Ours moves off the grid to a lower objective.
  auto v = FindPaperVariant("alpha_beta_decay");
  ASSERT_TRUE(v.ok());
  auto fit = FitPaperVariant(*v, AllRuns(), /*num_threads=*/2);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->num_starts, 2500);
  EXPECT_EQ(fit->evaluation.n_runs, 296);
  EXPECT_TRUE(fit->converged);
  EXPECT_LT(fit->evaluation.objective, 0.0595602);
}

}  // namespace
}  // namespace datawall::laws
