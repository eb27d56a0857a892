// The gpu scale of every experiment fits "one H100, one worker, under 8 minutes" (unless its
// spec marks it over_time_budget, then it must not fit): the estimate
// the dry run prints (`bazel run //experiments:<name> -- --scale=gpu --dry_run`, which passes the
// committed H100 calibration as --gpu_throughput), recomputed here with the same library calls
// as the sweep CLI (LoadThroughputPoints -> ThroughputModel::Fit -> plan::AnnotatePlan). Also:
// each gpu grid keeps the structure its experiment needs.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "experiments/plan/plan.h"
#include "experiments/plan/expand.h"
#include "experiments/plan/throughput.h"
#include "gtest/gtest.h"

namespace datawall::plan {
namespace {

const std::vector<std::string> kExperiments = {
    "allocation_100m",    "allocation_400m",    "allocation_1b5",    "return_isoflop_2b8",
    "return_isoflop_4b2", "return_isoflop_8b7", "complementary_code"};

constexpr char kCalibration[] = "experiments/plan/gpu/h100_throughput.txt";

// The gpu-scale plan annotated as the sweep CLI annotates it with --gpu_throughput (no records
// yet, so the calibration file alone defines the model).
SweepPlan GpuPlan(const std::string& name) {
  auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  auto plan = Expand(*spec, "gpu");
  EXPECT_TRUE(plan.ok()) << plan.status();
  plan::PlanOptions options;
  std::vector<ThroughputPoint> points;
  std::string error;
  double per_run_seconds = options.throughput.per_run_seconds();
  EXPECT_TRUE(LoadThroughputPoints(kCalibration, &points, &error, &per_run_seconds)) << error;
  options.throughput.set_per_run_seconds(per_run_seconds);
  EXPECT_TRUE(options.throughput.Fit(points));
  options.predict = false;
  EXPECT_TRUE(plan::AnnotatePlan(options, &*plan).ok());
  return *plan;
}

// The gpu scale's Scale.over_time_budget (similarity.h): why it needs more than 8 H100-minutes.
std::string OverTimeBudget(const std::string& name) {
  auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (!spec.ok()) return "";
  for (const auto& s : spec->scales()) {
    if (s.name() == "gpu") return s.over_time_budget();
  }
  return "";
}

TEST(GpuScaleTest, TheCalibrationIsTheMeasuredH100One) {
  std::vector<ThroughputPoint> points;
  std::string error;
  double per_run = 0;
  ASSERT_TRUE(LoadThroughputPoints(kCalibration, &points, &error, &per_run)) << error;
  EXPECT_EQ(points.size(), 4u);
  EXPECT_GT(per_run, 0.5);
  EXPECT_LT(per_run, 5);
  for (const auto& p : points) EXPECT_GT(p.tokens_per_second, 1e5) << p.source;  // a GPU, not a CPU
}

TEST(GpuScaleTest, EveryExperimentFitsOneH100InUnderEightMinutes) {
  for (const std::string& name : kExperiments) {
    const SweepPlan plan = GpuPlan(name);
    double sum = 0;
    for (const auto& r : plan.runs()) sum += r.estimated_seconds();
    EXPECT_NEAR(plan.estimated_seconds(), sum, 1e-6 * sum) << name;
    if (!OverTimeBudget(name).empty()) {
      // Marked (Scale.over_time_budget): in the regime but over the budget, as the mark says.
      EXPECT_GT(plan.estimated_seconds(), 8 * 60) << name;
      continue;
    }
    EXPECT_LT(plan.estimated_seconds(), 8 * 60) << name;
    // With margin for the model's error (aim: 7 minutes).
    EXPECT_LE(plan.estimated_seconds(), 7 * 60) << name;
    // Not trivially small: each grid still uses a sizeable part of the budget.
    EXPECT_GT(plan.estimated_seconds(), 60) << name;
  }
}

TEST(GpuScaleTest, GridsKeepTheirStructure) {
  for (const std::string& name : kExperiments) {
    const SweepPlan plan = GpuPlan(name);
    std::set<int64_t> params;
    std::set<double> epochs;
    std::set<int> code;
    std::set<double> compute;
    for (const auto& r : plan.runs()) {
      params.insert(r.params());
      epochs.insert(std::round(r.epochs() * 1000) / 1000);
      if (!r.repeat_arm()) code.insert(static_cast<int>(std::lround(100 * r.code_fraction())));
      compute.insert(r.flops());
      EXPECT_LE(r.spec().unique_tokens(), r.spec().total_tokens());
    }
    if (name.rfind("allocation_", 0) == 0) {
      EXPECT_GE(plan.runs_size(), 10) << name;  // the 400m / 1b5 budgets: diagonal grids
      EXPECT_GE(static_cast<double>(*params.rbegin()) / *params.begin(), 10) << name;
      EXPECT_GE(*epochs.rbegin() / *epochs.begin(), 30) << name;
    } else if (name.rfind("return_", 0) == 0) {
      EXPECT_EQ(epochs, (std::set<double>{1, 2, 3, 4, 5, 7, 14, 44})) << name;
      EXPECT_EQ(compute.size(), 1u) << name << ": one compute budget";
    } else {
      EXPECT_EQ(code, (std::set<int>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}));
      int arm = 0;
      for (const auto& r : plan.runs()) arm += r.repeat_arm();
      EXPECT_EQ(arm, 9) << "the repeat arm at 10-90%";
    }
  }
  // The three allocation budgets keep their order (100M < 400M < 1.5B in the paper).
  EXPECT_LT(GpuPlan("allocation_100m").runs(0).spec().unique_tokens(),
            GpuPlan("allocation_400m").runs(0).spec().unique_tokens());
  EXPECT_LT(GpuPlan("allocation_400m").runs(0).spec().unique_tokens(),
            GpuPlan("allocation_1b5").runs(0).spec().unique_tokens());
  // And the three IsoFLOP families their compute order (2.8B < 4.2B < 8.7B).
  EXPECT_LT(GpuPlan("return_isoflop_2b8").runs(0).flops(), GpuPlan("return_isoflop_4b2").runs(0).flops());
  EXPECT_LT(GpuPlan("return_isoflop_4b2").runs(0).flops(), GpuPlan("return_isoflop_8b7").runs(0).flops());
}

}  // namespace
}  // namespace datawall::plan
