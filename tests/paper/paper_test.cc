// Tests of paper/paper.h: the published facts agree with the formulas they come from (Eq. 3,
// Eq. 17, Eq. 20, Eq. 23), the tables are complete, and the authors' grid is numpy's.
#include "paper/paper.h"

#include <cmath>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace datawall::paper {
namespace {

double LogG() { return Eq3LogG(kLogA, kLogB, kAlpha, kBeta); }

TEST(Eq3, OptimumSpendsTheBudgetAndBalancesTheMarginalTerms) {
  for (const double flops : {1e18, 9.3e21, 5.76e23}) {
    const ComputeOptimal o = Eq3Optimum(kLogA, kLogB, kAlpha, kBeta, flops);
    EXPECT_NEAR(kFlopsPerParamToken * o.params * o.tokens / flops, 1, 1e-12);
    // d/dN of A/N^alpha + B/(C/6N)^beta vanishes: alpha A / N^alpha = beta B / D^beta.
    const double params_side = kAlpha * std::exp(kLogA) / std::pow(o.params, kAlpha);
    const double tokens_side = kBeta * std::exp(kLogB) / std::pow(o.tokens, kBeta);
    EXPECT_NEAR(params_side / tokens_side, 1, 1e-10) << flops;
  }
}

TEST(Eq3, GIsTheClosedFormOfTheCoefficients) {
  const double g = std::pow(kAlpha * std::exp(kLogA) / (kBeta * std::exp(kLogB)),
                            1 / (kAlpha + kBeta));
  EXPECT_NEAR(std::exp(LogG()) / g, 1, 1e-14);
  // N_opt = G (C/6)^(beta/(alpha+beta)), D_opt = (C/6)^(alpha/(alpha+beta)) / G.
  const ComputeOptimal o = Eq3Optimum(kLogA, kLogB, kAlpha, kBeta, 1e22);
  EXPECT_NEAR(o.params / (g * std::pow(1e22 / 6, kBeta / (kAlpha + kBeta))), 1, 1e-13);
  EXPECT_NEAR(o.tokens / (std::pow(1e22 / 6, kAlpha / (kAlpha + kBeta)) / g), 1, 1e-13);
}

// App. B: at Gopher's budget, 5.76e23 FLOPs, the coefficients give 70.0B params and 1.37T tokens.
TEST(Eq3, AppBGopherBudget) {
  const ComputeOptimal o = Eq3Optimum(kLogA, kLogB, kAlpha, kBeta, 5.76e23);
  EXPECT_NEAR(o.params / 70.0e9, 1, 1e-3);
  EXPECT_NEAR(o.tokens / 1.37e12, 1, 2e-3);
}

TEST(Eq3, FlopsForOptimalTokensInvertsTheOptimum) {
  for (const double tokens : {1e8, 25e9, 1.5e12}) {
    const double flops = Eq3FlopsForOptimalTokens(kLogA, kLogB, kAlpha, kBeta, tokens);
    EXPECT_NEAR(Eq3Optimum(kLogA, kLogB, kAlpha, kBeta, flops).tokens / tokens, 1, 1e-12);
  }
}

TEST(Coefficients, PrintedRoundingsMatchTheFullValues) {
  EXPECT_DOUBLE_EQ(kBeta, kAlpha);  // tied (App. B)
  EXPECT_EQ(std::round(std::exp(kLogA)), kEq20A);  // Eq. 20
  EXPECT_EQ(std::round(std::exp(kLogB)), kEq20B);
  EXPECT_NEAR(std::exp(kLogE), kEq20E, 0.005);
  // Eq. 17: U_N / U_D = G^(1 + beta/alpha) = G^2 with alpha = beta, printed 0.051.
  EXPECT_NEAR(std::exp(2 * LogG()), kEq17ParamsPerUniqueToken, 0.0005);
  EXPECT_NEAR(kRdStar, 15.4, 0.05);  // Eq. 17 prints 15.4 and 5.3
  EXPECT_NEAR(kRnStar, 5.3, 0.05);
}

TEST(Table1, SevenCompleteRowsInTheTablesOrder) {
  ASSERT_EQ(kTable1Rows, 7u);
  std::set<std::string> ids;
  int on_all_runs = 0;
  for (const Table1Row& row : kTable1) {
    SCOPED_TRACE(row.id);
    ids.insert(row.id);
    EXPECT_NE(std::string(row.label), "");
    EXPECT_NE(std::string(row.form), "");
    EXPECT_NE(std::string(row.printed_constants), "");
    EXPECT_GT(row.r2_corrected, 0);
    EXPECT_LT(row.r2_corrected, 1);
    const bool no_decay = std::string(row.id) == "no_decay";
    EXPECT_EQ(std::isfinite(row.objective), !no_decay);
    EXPECT_EQ(std::isfinite(row.rd_slot) || std::isfinite(row.rn_slot), !no_decay);
    on_all_runs += row.fit_on_all_runs;
    EXPECT_EQ(FindTable1Row(row.id), &row);
  }
  EXPECT_EQ(ids.size(), kTable1Rows);
  EXPECT_EQ(on_all_runs, 1);
  EXPECT_TRUE(kTable1[6].fit_on_all_runs);  // Eq. 22 (App. F), on all 296 runs
  EXPECT_FALSE(std::isfinite(kTable1[6].r2_v4));  // only in the later version
  EXPECT_EQ(FindTable1Row("nope"), nullptr);
  // Eq. 14's row is the paper's law; it fits better than no decay at all.
  const Table1Row& eq14 = *FindTable1Row("eq14");
  EXPECT_EQ(eq14.rd_slot, kRdStar);
  EXPECT_EQ(eq14.rn_slot, kRnStar);
  EXPECT_GT(eq14.r2_corrected, FindTable1Row("no_decay")->r2_corrected);
  EXPECT_GT(eq14.r2_v4, FindTable1Row("no_decay")->r2_v4);
}

TEST(AuthorsGrid, NumpyLinspaceOf500Multipliers) {
  ASSERT_EQ(kAuthorsGrid.points, 500);
  EXPECT_EQ(AuthorsGridMultiplier(0), 1.0001);
  EXPECT_EQ(AuthorsGridMultiplier(kAuthorsGrid.points - 1), 3.0);  // exactly the end point
  const double step = (3.0 - 1.0001) / 499;
  for (int k = 1; k < kAuthorsGrid.points; ++k) {
    EXPECT_GT(AuthorsGridMultiplier(k), AuthorsGridMultiplier(k - 1));
    if (k < kAuthorsGrid.points - 1) EXPECT_EQ(AuthorsGridMultiplier(k), 1.0001 + k * step);
  }
}

// Eq. 23: P = 12 l h^2 + 13 l h + (V + s) h reproduces Table 15's "this work" column to rounding.
TEST(Table15, FiftyFiveRowsReproduceEq23) {
  ASSERT_EQ(kTable15Rows, 55u);
  int64_t previous = 0;
  for (const Table15Row& r : kTable15) {
    SCOPED_TRACE(r.this_work_m);
    const double h = r.d_model, l = r.n_layers;
    const double eq23 = 12 * l * h * h + 13 * l * h + double(kVocabSize + kSequenceLength) * h;
    EXPECT_NEAR(eq23 / 1e6, r.this_work_m, 0.5 + 1e-9);
    EXPECT_EQ(r.ffw_size, 4 * r.d_model);
    EXPECT_LE(r.chinchilla_m, 1.1 * r.this_work_m);  // the two counts differ by a few percent
    EXPECT_GE(r.this_work_m, previous);
    previous = r.this_work_m;
  }
}

TEST(IsoFlopFamilies, BudgetsMatchTheirEpochsAndCompute) {
  for (const IsoFlopFamily& f : kIsoFlopFamilies) {
    SCOPED_TRACE(f.run_prefix);
    EXPECT_EQ(FindIsoFlopFamily(f.run_prefix), &f);
    EXPECT_NEAR(kFlopsPerParamToken * f.params * f.tokens / f.flops, 1, 0.025);  // §6's labels
    EXPECT_EQ(f.unique_tokens[0], f.tokens);  // one epoch: all tokens unique
    for (int i = 0; i < 8; ++i) {
      // D_C is printed rounded: the epochs it gives are near the nominal ones (2.8B's 9B at 7
      // epochs is the farthest: 6.1).
      EXPECT_NEAR(f.tokens / f.unique_tokens[i] / kIsoFlopEpochs[i], 1, 0.13) << i;
    }
    EXPECT_GT(f.four_epoch_change, kFourEpochChangeAsPrinted);  // the runs: 0.59-0.62%
    EXPECT_LT(f.four_epoch_change, 0.0065);
  }
  EXPECT_EQ(FindIsoFlopFamily("1b1"), nullptr);
  EXPECT_LT(kNegligibleRepetitionEpochs, kWorthlessRepetitionEpochs);
}

TEST(AllocationExamples, PublishedOptimaSpendTheirBudgets) {
  for (const AllocationExample& ex : kAllocationExamples) {
    SCOPED_TRACE(ex.name);
    EXPECT_NEAR(kFlopsPerParamToken * ex.paper_params * ex.paper_tokens / ex.flops, 1, 0.015);
    EXPECT_NEAR(ex.paper_tokens / ex.unique_tokens / ex.paper_epochs, 1, 0.01);
    EXPECT_TRUE(std::isfinite(ex.paper_loss));
    EXPECT_EQ(ex.grid_around_reference, std::isfinite(ex.reference_params) &&
                                            std::string(ex.name).find("Galactica") == 0);
  }
  // Figure 1 (right): "27% fewer parameters", and a lower loss.
  EXPECT_NEAR(kFigure1RightOptimalRun.params / kFigure1RightChinchillaRun.params, 0.73, 0.005);
  EXPECT_LT(kFigure1RightOptimalRun.loss, kFigure1RightChinchillaRun.loss);
}

}  // namespace
}  // namespace datawall::paper
