// Tests of experiments/plan/similarity.h: the similarity card's numbers, and every committed cpu
// and gpu grid against the regime rules (a cpu scale that cannot fit its time budget must say
// "gpu scale only" and break nothing but the time rule). Not covered: the gpu scales of the three
// allocation experiments, which have not been redesigned yet (their dry runs print the rules
// they break).
#include "experiments/plan/similarity.h"

#include <cmath>
#include <string>
#include <vector>

#include "experiments/plan/expand.h"
#include "experiments/plan/throughput.h"
#include "gtest/gtest.h"

namespace datawall::plan {
namespace {

using experiments::ExperimentSpec;
using experiments::SweepPlan;

ExperimentSpec Load(const std::string& name) {
  auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : ExperimentSpec();
}

// The plan with estimated_seconds from the committed cpu throughput model (as the dry run).
SweepPlan PlanOf(const ExperimentSpec& spec, const std::string& scale) {
  auto plan = Expand(spec, scale);
  EXPECT_TRUE(plan.ok()) << spec.name() << " " << scale << ": " << plan.status();
  if (!plan.ok()) return SweepPlan();
  if (scale == "cpu") {
    std::vector<ThroughputPoint> points;
    std::string error;
    EXPECT_TRUE(LoadThroughputPoints("experiments/plan/cpu_throughput.txt", &points, &error))
        << error;
    ThroughputModel model;
    EXPECT_TRUE(model.Fit(points));
    for (auto& r : *plan->mutable_runs()) {
      r.set_estimated_seconds(model.Seconds(r.params(), r.spec().total_tokens()));
    }
  }
  return *plan;
}

std::string Joined(const experiments::SimilarityCard& c) {
  std::string out;
  for (const auto& v : c.violations()) out += v + "; ";
  return out;
}

TEST(SimilarityTest, CardNumbersFollowTheirDefinitions) {
  const ExperimentSpec spec = Load("return_isoflop_2b8");
  const SweepPlan plan = PlanOf(spec, "cpu");
  const auto card = Card(spec, plan);
  ASSERT_EQ(card.runs_size(), plan.runs_size());
  for (int i = 0; i < plan.runs_size(); ++i) {
    const auto& r = plan.runs(i);
    const auto& row = card.runs(i);
    const double n = static_cast<double>(r.eq23_params());
    EXPECT_NEAR(row.params_over_unique_params(), n / (0.051 * r.spec().unique_tokens()), 1e-9);
    EXPECT_NEAR(row.tokens_per_param(), r.spec().total_tokens() / n, 1e-9);
    const int64_t per_step = r.spec().optimizer().batch_size() * r.spec().model().seq_len();
    EXPECT_EQ(row.steps(), (r.spec().total_tokens() + per_step - 1) / per_step);
    EXPECT_EQ(row.warmup_steps(), std::llround(0.01 * row.steps()));
    EXPECT_NEAR(row.expected_val_se(),
                0.353 / std::sqrt((r.spec().eval_tokens() - 1) / r.spec().model().seq_len()), 1e-12);
  }
  EXPECT_NEAR(card.min_epochs(), 1, 1e-12);
  EXPECT_GE(card.max_epochs(), 44 - 1e-3);
}

TEST(SimilarityTest, EveryRedesignedGridIsInTheRegime) {
  for (const std::string name :
       {"return_isoflop_2b8", "return_isoflop_4b2", "return_isoflop_8b7", "complementary_code",
        "repetition_vs_shift", "allocation_100m", "allocation_400m", "allocation_1b5"}) {
    const ExperimentSpec spec = Load(name);
    for (const std::string scale : {"cpu", "gpu"}) {
      if (scale == "gpu" && name.rfind("allocation_", 0) == 0) continue;  // not redesigned yet
      const SweepPlan plan = PlanOf(spec, scale);
      const auto card = Card(spec, plan);
      EXPECT_TRUE(card.violations().empty()) << name << " " << scale << ": " << Joined(card);
      if (!card.gpu_scale_only().empty()) {
        // Marked gpu scale only: its grid is in the regime but does not fit 90 minutes here.
        EXPECT_EQ(scale, "cpu") << name;
        EXPECT_GT(Makespan(plan, 2), 90 * 60) << name << " is marked gpu scale only but fits";
      }
    }
  }
}

TEST(SimilarityTest, AcrossExperimentsTheBudgetsAndModelsKeepThePapersRatios) {
  // Allocation budgets 1 : 4 : 15 (paper: 100M, 400M, 1.5B unique tokens).
  auto cpu_u = [](const std::string& name) {
    const ExperimentSpec spec = Load(name);
    for (const auto& s : spec.scales()) {
      if (s.name() == "cpu") return static_cast<double>(s.unique_tokens());
    }
    return 0.0;
  };
  EXPECT_NEAR(cpu_u("allocation_400m") / cpu_u("allocation_100m"), 4, 1e-9);
  EXPECT_NEAR(cpu_u("allocation_1b5") / cpu_u("allocation_100m"), 15, 1e-9);
  // Return families in the paper's order of size (2.8B < 4.2B < 8.7B) at cpu and gpu scale.
  for (const std::string scale : {"cpu", "gpu"}) {
    double last = 0;
    for (const std::string name : {"return_isoflop_2b8", "return_isoflop_4b2", "return_isoflop_8b7"}) {
      const SweepPlan plan = PlanOf(Load(name), scale);
      ASSERT_GT(plan.runs_size(), 0);
      EXPECT_GT(plan.runs(0).eq23_params(), last) << name << " " << scale;
      last = plan.runs(0).eq23_params();
    }
  }
}

TEST(SimilarityTest, APlantedViolationIsCaught) {
  ExperimentSpec spec = Load("return_isoflop_2b8");
  for (auto& s : *spec.mutable_scales()) {
    if (s.name() == "cpu") {
      s.mutable_base()->set_eval_tokens(16384);
      s.set_total_tokens(600000);  // 4.4 tokens per parameter, 586 steps
    }
  }
  const auto card = Card(spec, PlanOf(spec, "cpu"));
  const std::string v = Joined(card);
  EXPECT_NE(v.find("validation on 16384 tokens"), std::string::npos) << v;
  EXPECT_NE(v.find("tokens per parameter at one epoch"), std::string::npos) << v;
  ExperimentSpec few = Load("return_isoflop_2b8");
  for (auto& s : *few.mutable_scales()) {
    if (s.name() == "cpu") {
      s.clear_epochs();
      s.add_epochs(1);
      s.add_epochs(4);
    }
  }
  EXPECT_NE(Joined(Card(few, PlanOf(few, "cpu"))).find("eight epoch counts"), std::string::npos);
}

}  // namespace
}  // namespace datawall::plan
