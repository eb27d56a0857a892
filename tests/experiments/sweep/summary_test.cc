// The experiment summary on synthetic records whose losses come from a known law: the fit
// recovers that law's coefficients (including R_D* and R_N*), the empirical frontier is the
// Pareto set and never beats the law's optimum, the epoch checks are the means they claim,
// missing records are reported, and the JSON round-trips.
#include "experiments/sweep/summary.h"

#include <cmath>

#include "experiments/sweep/expand.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "laws/law.h"

namespace datawall::sweep {
namespace {

// A law at micro scale whose U_N (= G^2 U for alpha = beta, about 2.4 U) falls inside the cpu
// grids' parameter range, so that every coefficient is identifiable from the runs.
laws::Law TrueLaw() {
  auto law = laws::Law::FromNamed(laws::Form::kDataConstrained,
                                  {{"a", 5.5}, {"b", 5.2}, {"e", 0.5}, {"alpha", 0.35},
                                   {"beta", 0.35}, {"rd_star", 4.0}, {"rn_star", 2.5}});
  EXPECT_TRUE(law.ok()) << law.status();
  return *law;
}

SweepPlan PlanOf(const std::string& name, const std::string& scale, ExperimentSpec* spec) {
  auto s = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  *spec = *s;
  auto plan = Expand(*s, scale);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *plan;
}

// Records with the law's loss times a deterministic per-seed factor (1 for seed 0).
std::vector<std::optional<experiments::RunRecord>> Records(const SweepPlan& plan, const laws::Law& law,
                                                           double seed_spread = 0) {
  std::vector<std::optional<experiments::RunRecord>> records;
  for (const auto& run : plan.runs()) {
    experiments::RunRecord r;
    *r.mutable_spec() = run.spec();
    r.set_params(run.params());
    r.set_complete(true);
    const double loss = law.Loss(run.params(), run.spec().total_tokens(), run.spec().unique_tokens());
    const double factor = run.spec().seed() == 0 ? 1.0 : 1.0 + seed_spread * (run.spec().seed() % 2 ? 1 : -1);
    r.set_final_val_loss(loss * factor);
    records.push_back(r);
  }
  return records;
}

const experiments::CoefficientEstimate& Coef(const ExperimentSummary& s, const std::string& name) {
  for (const auto& c : s.fit().coefficients()) {
    if (c.name() == name) return c;
  }
  static experiments::CoefficientEstimate none;
  ADD_FAILURE() << "no coefficient " << name;
  return none;
}

TEST(SummaryTest, AllocationFitRecoversTheLawAndTheFrontierRespectsIt) {
  ExperimentSpec spec;
  const SweepPlan plan = PlanOf("allocation_100m", "cpu", &spec);
  const laws::Law law = TrueLaw();
  SummaryOptions options;
  options.bootstrap_resamples = 20;
  const ExperimentSummary s = Summarize(spec, plan, Records(plan, law), options);
  EXPECT_EQ(s.complete(), plan.runs_size());
  ASSERT_EQ(s.fit().status(), "fitted") << s.fit().status();
  EXPECT_GT(s.fit().r2(), 0.99999);
  for (const char* name : {"a", "b", "e", "alpha", "rd_star", "rn_star"}) {
    EXPECT_NEAR(Coef(s, name).value(), law.coefficient(name), 2e-3 * std::fabs(law.coefficient(name)) + 1e-3)
        << name;
    EXPECT_FALSE(Coef(s, name).fixed());
  }
  EXPECT_NEAR(Coef(s, "rd_star").paper_value(), 15.387756, 1e-6);
  EXPECT_EQ(s.fit().bootstrap_resamples(), 20);
  // The frontier: FLOPs up, loss strictly down; the law's optimum at each C is no worse.
  ASSERT_GE(s.frontier_size(), 2);
  for (int i = 0; i < s.frontier_size(); ++i) {
    const auto& p = s.frontier(i);
    if (i > 0) {
      EXPECT_GT(p.flops(), s.frontier(i - 1).flops());
      EXPECT_LT(p.loss(), s.frontier(i - 1).loss());
    }
    ASSERT_GT(p.law_params(), 0);
    EXPECT_LE(p.law_loss(), p.loss() * (1 + 1e-6)) << p.run();
  }
  // Every run at or below a frontier point's compute has a loss no better than the frontier's.
  for (const auto& r : s.runs()) {
    for (const auto& p : s.frontier()) {
      if (r.flops() <= p.flops()) {
        EXPECT_GE(r.final_val_loss(), p.loss() - 1e-12);
      }
    }
    EXPECT_NEAR(r.fitted_law_loss(), r.final_val_loss(), 1e-3 * r.final_val_loss());
  }
  // Checks: 4 epochs and the largest epoch count vs 1 epoch per model.
  ASSERT_FALSE(s.checks().empty());
  for (const auto& c : s.checks()) {
    EXPECT_NEAR(c.relative_change(), c.loss() / c.reference_loss() - 1, 1e-12);
    EXPECT_NEAR(c.fitted_law_relative_change(), c.relative_change(), 1e-3) << c.name();
  }
  const std::string text = SummaryText(s);
  EXPECT_NE(text.find("rd_star"), std::string::npos);
  EXPECT_NE(text.find("Efficient frontier"), std::string::npos);
}

TEST(SummaryTest, ReturnChecksAreSeedMeansAtEqualCompute) {
  ExperimentSpec spec;
  const SweepPlan plan = PlanOf("return_isoflop_2b8", "cpu", &spec);
  const laws::Law law = TrueLaw();
  SummaryOptions options;
  options.bootstrap_resamples = 0;
  const ExperimentSummary s = Summarize(spec, plan, Records(plan, law, 0.01), options);
  ASSERT_EQ(s.fit().status(), "fitted");
  EXPECT_TRUE(Coef(s, "alpha").fixed());
  EXPECT_TRUE(Coef(s, "rn_star").fixed());
  EXPECT_FALSE(Coef(s, "rd_star").fixed());
  EXPECT_EQ(s.checks_size(), 7);  // 2, 3, 4, 5, 7, 14, 44 epochs vs 1
  bool four = false, forty = false;
  const auto& one_run = plan.runs(0);
  const double l1 = law.Loss(one_run.params(), one_run.spec().total_tokens(), one_run.spec().unique_tokens());
  for (const auto& c : s.checks()) {
    EXPECT_NEAR(c.reference_loss(), l1, 1e-12);  // seeds 1 and 2 at +-1% average out
    EXPECT_EQ(c.reference_n(), 3);
    EXPECT_NEAR(c.reference_std(), 0.01 * l1, 1e-9);
    if (std::lround(c.epochs()) == 4) {
      four = true;
      EXPECT_EQ(c.n(), 3);
      EXPECT_NEAR(c.paper_relative_change(), 0.0059, 1e-12);
      EXPECT_NE(c.name().find("almost as good"), std::string::npos);
    }
    if (c.epochs() > 40) {
      forty = true;
      EXPECT_EQ(c.n(), 1);
      EXPECT_GT(c.relative_change(), 0);  // the law: repeated data is worth less
    }
  }
  EXPECT_TRUE(four);
  EXPECT_TRUE(forty);
}

TEST(SummaryTest, MissingRecordsAndCodeMixing) {
  ExperimentSpec spec;
  const SweepPlan plan = PlanOf("complementary_code", "cpu", &spec);
  auto records = Records(plan, TrueLaw());
  records[3].reset();
  records[4]->set_complete(false);
  const ExperimentSummary s = Summarize(spec, plan, records);
  EXPECT_EQ(s.complete(), plan.runs_size() - 2);
  ASSERT_EQ(s.notes_size(), 1);
  EXPECT_NE(s.notes(0).find("2 of 14"), std::string::npos);
  EXPECT_EQ(s.fit().status().rfind("not fitted", 0), 0u);
  EXPECT_EQ(s.checks_size(), 9);  // 10% .. 90% vs 0%
  EXPECT_FALSE(s.runs(3).complete());

  // JSON round trip.
  ExperimentSummary back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(SummaryJson(s), &back).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(s, back));
}

TEST(SummaryTest, TooFewRunsAreNotFitted) {
  ExperimentSpec spec;
  const SweepPlan plan = PlanOf("allocation_100m", "smoke", &spec);
  const ExperimentSummary s = Summarize(spec, plan, Records(plan, TrueLaw()));
  EXPECT_NE(s.fit().status().find("need 6"), std::string::npos) << s.fit().status();
  EXPECT_EQ(s.complete(), 4);
}

}  // namespace
}  // namespace datawall::sweep
