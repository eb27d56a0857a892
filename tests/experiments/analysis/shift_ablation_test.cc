// Tests of experiments/analysis/shift_ablation.h: the repetition_vs_shift analysis on a plan with
// both budget orders and rows whose losses are chosen so every number has a closed form.
#include "experiments/analysis/shift_ablation.h"

#include <cmath>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "experiments/analysis/summary.h"
#include "gtest/gtest.h"

namespace datawall::analysis {
namespace {

using experiments::DOCUMENTS;
using experiments::REPRESENTATIVE;

struct Fixture {
  experiments::SweepPlan plan;
  std::vector<records::RunRow> rows;

  // One run per (order, epochs, seed) with loss `loss` (complete).
  void Add(experiments::BudgetOrder order, double epochs, uint64_t seed, double loss,
           double source_tv = 0.1) {
    experiments::PlannedRun* p = plan.add_runs();
    p->set_hash(absl::StrCat(static_cast<int>(order), "-", epochs, "-", seed));
    p->set_epochs(epochs);
    p->mutable_spec()->set_seed(seed);
    p->mutable_spec()->set_budget_order(order);
    p->mutable_spec()->set_total_tokens(1000);
    p->mutable_spec()->set_unique_tokens(static_cast<int64_t>(1000 / epochs));
    records::RunRow r;
    r.hash = p->hash();
    r.complete = true;
    r.final_val_loss = loss;
    r.source_tv = source_tv;
    r.final_val_loss_se = 0.004;
    rows.push_back(r);
  }
};

TEST(ShiftAblationTest, CostsDifferencesAndShareHaveTheirClosedForms) {
  Fixture f;
  // Seeds 0..2: 1-epoch losses 4.0; document-order 4-epoch costs +20%, +10%, +30% (mean 20%),
  // representative costs +1%, +2%, +3% (mean 2%): share 1 - 2 / 20 = 90%.
  const double docs4[] = {1.20, 1.10, 1.30}, repr4[] = {1.01, 1.02, 1.03};
  for (uint64_t s = 0; s < 3; ++s) {
    f.Add(DOCUMENTS, 1, s, 4.0, 0.5);
    f.Add(REPRESENTATIVE, 1, s, 4.0, 0.001);
    f.Add(DOCUMENTS, 4, s, 4.0 * docs4[s], 0.7);
    f.Add(REPRESENTATIVE, 4, s, 4.0 * repr4[s], 0.002);
  }
  ASSERT_TRUE(HasSeveralBudgetOrders(f.plan));
  const auto a = AnalyzeShift(f.plan, f.rows);
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->at_size(), 1);
  const auto& at = a->at(0);
  EXPECT_DOUBLE_EQ(at.epochs(), 4);
  EXPECT_NEAR(at.documents_cost().mean(), 0.20, 1e-12);
  EXPECT_NEAR(at.representative_cost().mean(), 0.02, 1e-12);
  EXPECT_NEAR(at.difference().mean(), 0.18, 1e-12);
  // Student-t interval: sd of {0.2, 0.1, 0.3} = 0.1, se = 0.1 / sqrt(3), t_{0.975, 2} = 4.303.
  const double half = 4.303 * 0.1 / std::sqrt(3.0);
  EXPECT_NEAR(at.documents_cost().lower(), 0.20 - half, 1e-9);
  EXPECT_NEAR(at.documents_cost().upper(), 0.20 + half, 1e-9);
  EXPECT_EQ(at.documents_cost().per_seed_size(), 3);
  EXPECT_TRUE(at.shift_share_defined());
  EXPECT_NEAR(at.shift_share(), 0.9, 1e-12);
  // Every resample's share lies between the extreme per-resample values: all seeds 1 (10%, 2%:
  // 0.8) and all seeds 2 (30%, 3%: 0.9) / seed 0 (20%, 1%: 0.95).
  EXPECT_GE(at.shift_share_lower(), 0.8 - 1e-12);
  EXPECT_LE(at.shift_share_upper(), 0.95 + 1e-12);
  EXPECT_LT(at.shift_share_lower(), at.shift_share());
  EXPECT_GT(at.shift_share_upper(), at.shift_share());
  EXPECT_NEAR(at.documents_source_tv(), 0.7, 1e-12);
  EXPECT_NEAR(a->documents_source_tv_1(), 0.5, 1e-12);
  EXPECT_NEAR(a->mean_validation_se(), 0.004, 1e-12);
  ASSERT_EQ(a->statements_size(), 1);
  EXPECT_NE(a->statements(0).find("90%"), std::string::npos) << a->statements(0);
}

TEST(ShiftAblationTest, NonPositiveDocumentCostLeavesTheShareUndefined) {
  Fixture f;
  for (uint64_t s = 0; s < 2; ++s) {
    f.Add(DOCUMENTS, 1, s, 4.0);
    f.Add(REPRESENTATIVE, 1, s, 4.0);
    f.Add(DOCUMENTS, 4, s, 3.9);  // repeating helped
    f.Add(REPRESENTATIVE, 4, s, 4.1);
  }
  const auto a = AnalyzeShift(f.plan, f.rows);
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(a->at(0).shift_share_defined());
  EXPECT_NE(a->statements(0).find("undefined"), std::string::npos);
}

TEST(ShiftAblationTest, NeedsTwoSeedsMeasuredInBothOrdersAtBothEpochCounts) {
  Fixture f;
  f.Add(DOCUMENTS, 1, 0, 4.0);
  f.Add(REPRESENTATIVE, 1, 0, 4.0);
  f.Add(DOCUMENTS, 4, 0, 4.4);
  f.Add(REPRESENTATIVE, 4, 0, 4.1);
  f.Add(DOCUMENTS, 1, 1, 4.0);
  f.Add(DOCUMENTS, 4, 1, 4.4);  // seed 1 has no representative runs
  EXPECT_FALSE(AnalyzeShift(f.plan, f.rows).has_value());
  f.rows[0].complete = false;
  EXPECT_FALSE(AnalyzeShift(f.plan, f.rows).has_value());
}

TEST(ShiftAblationTest, OneOrderIsNotAnAblation) {
  Fixture f;
  f.Add(REPRESENTATIVE, 1, 0, 4.0);
  f.Add(REPRESENTATIVE, 4, 0, 4.1);
  EXPECT_FALSE(HasSeveralBudgetOrders(f.plan));
}

TEST(ShiftAblationTest, StudentQuantiles) {
  EXPECT_DOUBLE_EQ(StudentT975(1), 12.706);
  EXPECT_DOUBLE_EQ(StudentT975(2), 4.303);
  EXPECT_DOUBLE_EQ(StudentT975(30), 2.042);
  EXPECT_DOUBLE_EQ(StudentT975(200), 1.96);
}

}  // namespace
}  // namespace datawall::analysis
