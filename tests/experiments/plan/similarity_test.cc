// Tests of experiments/plan/similarity.h: the card's numbers against the trainer's own counts
// (steps, warm-up, validation sequences from experiments/run_io.h's TrainOptions), the
// calibration file, every committed experiment's cpu and gpu grid against the regime rules (a
// cpu scale marked gpu scale only, or a gpu scale marked over its time budget, must break the time
// budget and nothing else), the rules across the allocation and return families, and planted
// violations of each rule.
#include "experiments/plan/similarity.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "experiments/plan/expand.h"
#include "experiments/plan/throughput.h"
#include "experiments/run_io.h"
#include "experiments/training/schedule.h"
#include "gtest/gtest.h"

namespace datawall::plan {
namespace {

using experiments::ExperimentSpec;
using experiments::SimilarityCard;
using experiments::SweepPlan;

constexpr char kCalibration[] = "experiments/plan/validation_loss_std.txt";

const std::vector<std::string>& Allocations() {
  static const auto* names =
      new std::vector<std::string>{"allocation_100m", "allocation_400m", "allocation_1b5"};
  return *names;
}
const std::vector<std::string>& Returns() {
  static const auto* names = new std::vector<std::string>{
      "return_isoflop_2b8", "return_isoflop_4b2", "return_isoflop_8b7"};
  return *names;
}

ExperimentSpec Load(const std::string& name) {
  auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : ExperimentSpec();
}

// Every committed ExperimentSpec (smoke_run.textproto is a RunSpec, not an experiment).
std::vector<std::string> CommittedExperiments() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator("experiments/specs")) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".textproto" || file == "smoke_run.textproto") continue;
    names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A DATA_FILTERING scale with pools: its arms' sizes come from the pool builder, so it has no
// plan before its pools are built (the filter sweeps check their own regime when they run).
bool NeedsBuiltPools(const ExperimentSpec& spec, const std::string& scale) {
  if (spec.kind() != experiments::DATA_FILTERING) return false;
  for (const auto& s : spec.scales()) {
    if (s.name() == scale) return s.has_pools();
  }
  return false;
}

CardOptions Calibration() {
  absl::StatusOr<CardOptions> options = LoadValidationCalibration(kCalibration);
  EXPECT_TRUE(options.ok()) << options.status();
  return options.ok() ? *options : CardOptions();
}

// The plan annotated as the dry run annotates it (no records yet): estimated_seconds from the
// committed calibration, this machine's at cpu scale, the H100's at gpu scale.
SweepPlan PlanOf(const ExperimentSpec& spec, const std::string& scale) {
  auto plan = Expand(spec, scale);
  EXPECT_TRUE(plan.ok()) << spec.name() << " " << scale << ": " << plan.status();
  if (!plan.ok()) return SweepPlan();
  if (scale != "cpu" && scale != "gpu") return *plan;
  const std::string path = scale == "cpu" ? "experiments/plan/cpu_throughput.txt"
                                          : "experiments/plan/gpu/h100_throughput.txt";
  std::vector<ThroughputPoint> points;
  std::string error;
  ThroughputModel model;
  double per_run_seconds = model.per_run_seconds();
  EXPECT_TRUE(LoadThroughputPoints(path, &points, &error, &per_run_seconds)) << error;
  model.set_per_run_seconds(per_run_seconds);
  EXPECT_TRUE(model.Fit(points));
  for (auto& r : *plan->mutable_runs()) {
    r.set_estimated_seconds(model.Seconds(r.params(), r.spec().total_tokens()));
  }
  return *plan;
}

std::string Joined(const SimilarityCard& c) {
  std::string out;
  for (const auto& v : c.violations()) out += v + "; ";
  return out;
}

bool Has(const SimilarityCard& c, const std::string& needle) {
  return Joined(c).find(needle) != std::string::npos;
}

experiments::Scale* MutableScale(ExperimentSpec* spec, const std::string& name) {
  for (auto& s : *spec->mutable_scales()) {
    if (s.name() == name) return &s;
  }
  ADD_FAILURE() << spec->name() << " has no scale " << name;
  static experiments::Scale none;
  return &none;
}

TEST(SimilarityTest, TheCalibrationIsTheCommittedMeasurement) {
  const CardOptions options = Calibration();
  ASSERT_EQ(options.sequence_loss_std.count(128), 1u);
  // 2,048 sequences of 128 tokens and a mean recorded standard error of about 0.0067 nats
  // (experiments/results/cpu/repetition_vs_shift/runs.csv, representative budgets).
  EXPECT_GT(options.sequence_loss_std.at(128), 0.2);
  EXPECT_LT(options.sequence_loss_std.at(128), 0.5);
  EXPECT_EQ(options.sequence_loss_std.count(256), 0u) << "no record measures seq_len 256 yet";
  EXPECT_NEAR(*ExpectedValidationSe(options, 262145, 128),
              options.sequence_loss_std.at(128) / std::sqrt(2048.0), 1e-15);
  EXPECT_FALSE(ExpectedValidationSe(options, 262145, 256).has_value());
  EXPECT_FALSE(ExpectedValidationSe(options, 0, 128).has_value());
}

TEST(SimilarityTest, ABadCalibrationFileIsRefusedNamingTheLine) {
  const std::string dir = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
  for (const std::string& text : {std::string("# ok\n128 0.3 x\n64 oops\n"),
                                  std::string("128 0.3\n128 0.4\n"), std::string("128 -1\n")}) {
    const std::string path = dir + "/validation_std.txt";
    std::ofstream(path) << text;
    absl::StatusOr<CardOptions> options = LoadValidationCalibration(path);
    ASSERT_FALSE(options.ok()) << text;
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(options.status().message().find(path + ":"), std::string::npos) << options.status();
  }
  EXPECT_FALSE(LoadValidationCalibration(dir + "/missing.txt").ok());
}

// Steps, warm-up and validation tokens as the trainer counts them, for every run of every
// committed experiment at every scale the trainer can build (smoke, cpu, gpu).
TEST(SimilarityTest, CardNumbersAreTheTrainersOwn) {
  const CardOptions calibration = Calibration();
  int checked = 0;
  for (const std::string& name : CommittedExperiments()) {
    const ExperimentSpec spec = Load(name);
    for (const std::string scale : {"smoke", "cpu", "gpu"}) {
      if (NeedsBuiltPools(spec, scale)) continue;
      const SweepPlan plan = PlanOf(spec, scale);
      const SimilarityCard card = Card(spec, plan, calibration);
      ASSERT_EQ(card.runs_size(), plan.runs_size());
      for (int i = 0; i < plan.runs_size(); ++i) {
        const auto& r = plan.runs(i);
        const auto& row = card.runs(i);
        training::TrainOptions options;
        std::string error;
        ASSERT_TRUE(SpecToOptions(r.spec(), ".", &options, &error)) << error;
        EXPECT_EQ(row.steps(), options.total_steps()) << row.run();
        EXPECT_EQ(row.warmup_steps(),
                  training::WarmupSteps(options.total_steps(), options.warmup_fraction))
            << row.run();
        const int64_t sequences = (options.eval_tokens - 1) / options.model.seq_len;
        EXPECT_EQ(row.validation_sequences(), sequences) << row.run();
        EXPECT_EQ(row.eval_tokens(), sequences * options.model.seq_len) << row.run();
        const double n = static_cast<double>(r.eq23_params());
        EXPECT_NEAR(row.params_over_unique_params(), n / (0.051 * r.spec().unique_tokens()),
                    1e-12 * row.params_over_unique_params());
        EXPECT_NEAR(row.tokens_per_param(), r.spec().total_tokens() / n, 1e-12 * n);
        EXPECT_EQ(row.epochs(), r.epochs());
        const auto std = calibration.sequence_loss_std.find(options.model.seq_len);
        EXPECT_EQ(row.val_se_calibrated(), std != calibration.sequence_loss_std.end()) << row.run();
        if (row.val_se_calibrated()) {
          EXPECT_NEAR(row.expected_val_se(), std->second / std::sqrt(sequences), 1e-15);
        } else {
          EXPECT_EQ(row.expected_val_se(), 0) << row.run();
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(SimilarityTest, AnUnsetBatchSizeCountsTheTrainersDefault) {
  ExperimentSpec spec = Load("return_isoflop_2b8");
  MutableScale(&spec, "cpu")->mutable_base()->mutable_optimizer()->clear_batch_size();
  MutableScale(&spec, "cpu")->mutable_base()->mutable_optimizer()->set_warmup_fraction(0.05);
  const SweepPlan plan = PlanOf(spec, "cpu");
  const SimilarityCard card = Card(spec, plan);
  training::TrainOptions options;
  std::string error;
  ASSERT_TRUE(SpecToOptions(plan.runs(0).spec(), ".", &options, &error)) << error;
  EXPECT_EQ(options.batch_size, 8);
  EXPECT_EQ(card.runs(0).steps(), options.total_steps());
  EXPECT_EQ(card.runs(0).warmup_steps(), training::WarmupSteps(options.total_steps(), 0.05));
}

TEST(SimilarityTest, RangesSpanTheRuns) {
  const ExperimentSpec spec = Load("allocation_100m");
  const SimilarityCard card = Card(spec, PlanOf(spec, "cpu"), Calibration());
  double lo = 1e300, hi = 0;
  int64_t steps_lo = INT64_MAX, steps_hi = 0;
  for (const auto& r : card.runs()) {
    lo = std::min(lo, r.params_over_unique_params());
    hi = std::max(hi, r.params_over_unique_params());
    steps_lo = std::min(steps_lo, r.steps());
    steps_hi = std::max(steps_hi, r.steps());
  }
  EXPECT_EQ(card.min_params_over_unique_params(), lo);
  EXPECT_EQ(card.max_params_over_unique_params(), hi);
  EXPECT_EQ(card.min_steps(), steps_lo);
  EXPECT_EQ(card.max_steps(), steps_hi);
  EXPECT_LT(card.min_steps(), card.max_steps());
  EXPECT_TRUE(card.val_se_calibrated());
  EXPECT_GT(card.max_expected_val_se(), 0);
  // The paper scale's card, for the report to compare like with like: its own budget.
  absl::StatusOr<SimilarityCard> paper = ScaleCard(spec, "paper");
  ASSERT_TRUE(paper.ok()) << paper.status();
  EXPECT_EQ(paper->budget_over_paper(), 1);
  EXPECT_FALSE(paper->rules_applied());
  EXPECT_TRUE(paper->violations().empty());
  EXPECT_GT(paper->max_epochs(), 32);  // the paper's 100M grid goes far beyond 32 epochs
}

TEST(SimilarityTest, MakespanIsTheRunnersQueueInPlanOrder) {
  SweepPlan plan;
  for (double s : {1.0, 1.0, 4.0}) plan.add_runs()->set_estimated_seconds(s);
  EXPECT_EQ(Makespan(plan, 1), 6);
  EXPECT_EQ(Makespan(plan, 2), 5);  // 1 | 1 + 4: the queue does not reorder
  EXPECT_EQ(Makespan(plan, 3), 4);
}

TEST(SimilarityTest, GpuRunsSharingADeviceUseTheMeasuredSpeedup) {
  const ExperimentSpec spec = Load("return_isoflop_2b8");
  const SweepPlan plan = PlanOf(spec, "gpu");
  CardOptions options = Calibration();
  const SimilarityCard alone = Card(spec, plan, options);
  EXPECT_EQ(alone.workers(), 1);
  EXPECT_DOUBLE_EQ(alone.estimated_seconds(), Makespan(plan, 1));

  options.runs_per_device = 4;  // no measurement for 4: four at a time, each four times slower
  const SimilarityCard assumed = Card(spec, plan, options);
  EXPECT_EQ(assumed.workers(), 4);
  EXPECT_FALSE(assumed.concurrency_calibrated());
  EXPECT_DOUBLE_EQ(assumed.estimated_seconds(), Makespan(plan, 4) * 4);
  EXPECT_GE(assumed.estimated_seconds(), alone.estimated_seconds() * 0.999);
  EXPECT_NE(CardText(assumed).find("assumes no gain"), std::string::npos) << CardText(assumed);

  options.concurrency_speedup = {{2, 1.8}, {4, 3.0}};
  const SimilarityCard measured = Card(spec, plan, options);
  EXPECT_TRUE(measured.concurrency_calibrated());
  EXPECT_DOUBLE_EQ(measured.concurrency_speedup(), 3.0);
  EXPECT_DOUBLE_EQ(measured.estimated_seconds(), Makespan(plan, 4) * 4 / 3.0);
  EXPECT_NE(CardText(measured).find("measured aggregate speedup 3.00x"), std::string::npos)
      << CardText(measured);
}

TEST(SimilarityTest, EveryCommittedCpuAndGpuGridIsInTheRegime) {
  const CardOptions calibration = Calibration();
  int marked = 0;
  for (const std::string& name : CommittedExperiments()) {
    const ExperimentSpec spec = Load(name);
    for (const std::string scale : {"cpu", "gpu"}) {
      if (NeedsBuiltPools(spec, scale)) continue;
      const SweepPlan plan = PlanOf(spec, scale);
      const SimilarityCard card = Card(spec, plan, calibration);
      EXPECT_TRUE(card.rules_applied()) << name << " " << scale;
      EXPECT_TRUE(card.violations().empty()) << name << " " << scale << ": " << Joined(card);
      ASSERT_GT(card.budget_seconds(), 0) << name << " " << scale << ": the time rule ran";
      if (scale == "cpu") {
        EXPECT_EQ(card.estimated_seconds(), Makespan(plan, 2));
        EXPECT_EQ(card.budget_seconds(), 90 * 60);
      } else {
        double sum = 0;
        for (const auto& r : plan.runs()) sum += r.estimated_seconds();
        EXPECT_NEAR(card.estimated_seconds(), sum, 1e-9 * sum);
        EXPECT_EQ(card.budget_seconds(), 8 * 60);
      }
      // A mark is shown to be needed: the grid keeps every other rule and breaks the time.
      if (!card.gpu_scale_only().empty() || !card.over_time_budget().empty()) {
        EXPECT_GT(card.estimated_seconds(), card.budget_seconds()) << name << " " << scale;
        const std::string mark = scale == "cpu" ? "gpu scale only: " : "over the time budget: ";
        EXPECT_NE(CardText(card).find(mark), std::string::npos);
        ++marked;
      } else {
        EXPECT_LE(card.estimated_seconds(), card.budget_seconds()) << name << " " << scale;
        EXPECT_NE(CardText(card).find("in regime: every rule holds\n"), std::string::npos);
      }
    }
  }
  // allocation_1b5: gpu scale only at cpu scale, over the 8 H100-minutes at gpu scale.
  EXPECT_EQ(marked, 2);
  // The acceptance's cpu experiments must fit the machine: the 1x and 4x allocation budgets.
  for (const std::string name : {"allocation_100m", "allocation_400m"}) {
    EXPECT_TRUE(Card(Load(name), PlanOf(Load(name), "cpu")).gpu_scale_only().empty()) << name;
  }
}

TEST(SimilarityTest, SmokeAndPaperScalesAreNotHeldToTheRules) {
  for (const std::string& name : CommittedExperiments()) {
    const ExperimentSpec spec = Load(name);
    for (const std::string scale : {"smoke", "paper"}) {
      bool has = false;
      for (const auto& s : spec.scales()) has = has || s.name() == scale;
      if (!has || NeedsBuiltPools(spec, scale)) continue;
      const SimilarityCard card = Card(spec, PlanOf(spec, scale));
      EXPECT_FALSE(card.rules_applied()) << name << " " << scale;
      EXPECT_TRUE(card.violations().empty()) << name << " " << scale << ": " << Joined(card);
    }
  }
}

TEST(SimilarityTest, TheFamiliesKeepThePapersRatios) {
  std::vector<ExperimentSpec> allocations, returns;
  for (const auto& n : Allocations()) allocations.push_back(Load(n));
  for (const auto& n : Returns()) returns.push_back(Load(n));
  for (const std::string scale : {"cpu", "gpu"}) {
    auto a = FamilyViolations(allocations, scale);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(a->empty()) << scale << ": " << (a->empty() ? "" : a->front());
    auto r = FamilyViolations(returns, scale);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->empty()) << scale << ": " << (r->empty() ? "" : r->front());
  }
  // The ratio itself, from the specs: 1 : 4 : 15 at cpu and gpu scale, as at paper scale.
  for (const std::string scale : {"cpu", "gpu", "paper"}) {
    std::vector<double> u;
    for (ExperimentSpec& spec : allocations) {
      u.push_back(static_cast<double>(MutableScale(&spec, scale)->unique_tokens()));
    }
    EXPECT_NEAR(u[1] / u[0], 4, 1e-12) << scale;
    EXPECT_NEAR(u[2] / u[0], 15, 1e-12) << scale;
  }
  // Planted: a 400m budget off the ratio, and return models out of the paper's order.
  MutableScale(&allocations[1], "cpu")->set_unique_tokens(
      MutableScale(&allocations[1], "cpu")->unique_tokens() - 102400);
  auto a = FamilyViolations(allocations, "cpu");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_NE(a->front().find("allocation_400m"), std::string::npos) << a->front();
  const experiments::ModelShape largest = MutableScale(&returns[2], "gpu")->shapes(0);
  *MutableScale(&returns[0], "gpu")->mutable_shapes(0) = largest;
  auto r = FamilyViolations(returns, "gpu");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->empty());
  EXPECT_NE(r->front().find("return_isoflop_2b8"), std::string::npos) << r->front();
  // Mixed kinds are a caller's error.
  EXPECT_FALSE(FamilyViolations({allocations[0], returns[0]}, "cpu").ok());
}

TEST(SimilarityTest, PlantedViolationsAreCaught) {
  // Return: validation, tokens per parameter, steps.
  ExperimentSpec spec = Load("return_isoflop_2b8");
  MutableScale(&spec, "cpu")->mutable_base()->set_eval_tokens(16385);
  MutableScale(&spec, "cpu")->set_total_tokens(280000);  // 2.5 tokens per parameter, 274 steps
  SimilarityCard card = Card(spec, PlanOf(spec, "cpu"));
  EXPECT_TRUE(Has(card, "validation on 16384 tokens")) << Joined(card);
  EXPECT_TRUE(Has(card, "tokens per parameter at one epoch")) << Joined(card);
  EXPECT_TRUE(Has(card, "optimizer steps (want >= 300)")) << Joined(card);
  EXPECT_NE(CardText(card).find("outside the regime: "), std::string::npos);
  // Return: not the paper's eight epoch counts.
  ExperimentSpec few = Load("return_isoflop_2b8");
  MutableScale(&few, "cpu")->clear_epochs();
  MutableScale(&few, "cpu")->add_epochs(1);
  MutableScale(&few, "cpu")->add_epochs(4);
  EXPECT_TRUE(Has(Card(few, PlanOf(few, "cpu")), "eight epoch counts"));
  // Gpu: fewer than 1,000 steps (the cpu grid's batch on the gpu scale's budget would pass).
  ExperimentSpec gpu = Load("return_isoflop_2b8");
  MutableScale(&gpu, "gpu")->set_total_tokens(4000000);
  EXPECT_TRUE(Has(Card(gpu, PlanOf(gpu, "gpu")), "(want >= 1000)"));
  // Allocation: the smallest model far above U_N, epochs short of 32.
  ExperimentSpec alloc = Load("allocation_100m");
  MutableScale(&alloc, "cpu")->set_unique_tokens(102400);
  MutableScale(&alloc, "cpu")->clear_epochs();
  for (double e : {1, 2, 4, 8, 16}) MutableScale(&alloc, "cpu")->add_epochs(e);
  card = Card(alloc, PlanOf(alloc, "cpu"));
  EXPECT_TRUE(Has(card, "smallest model at 4.16 U_N (want 0.5-2)")) << Joined(card);
  EXPECT_TRUE(Has(card, "epochs 1 to 16 (want 1 to >= 32)")) << Joined(card);
  // Allocation: the largest model below 10 U_N.
  ExperimentSpec small = Load("allocation_100m");
  MutableScale(&small, "cpu")->mutable_shapes()->RemoveLast();
  EXPECT_TRUE(Has(Card(small, PlanOf(small, "cpu")), "(want >= 10)"));
  // Time: a grid over 90 minutes without the mark, and a stale mark on one that fits.
  ExperimentSpec slow = Load("allocation_100m");
  MutableScale(&slow, "cpu")->set_unique_tokens(819200);
  EXPECT_TRUE(Has(Card(slow, PlanOf(slow, "cpu")), "with two workers (want <= 90.0 minutes)"));
  ExperimentSpec stale = Load("allocation_100m");
  MutableScale(&stale, "cpu")->set_gpu_scale_only("too slow");
  EXPECT_TRUE(Has(Card(stale, PlanOf(stale, "cpu")), "gpu_scale_only is set but the estimate"));
  ExperimentSpec gpu_stale = Load("allocation_100m");
  MutableScale(&gpu_stale, "gpu")->set_over_time_budget("too slow");
  EXPECT_TRUE(Has(Card(gpu_stale, PlanOf(gpu_stale, "gpu")), "over_time_budget is set but"));
  // A mark on the wrong scale.
  ExperimentSpec wrong = Load("allocation_1b5");
  MutableScale(&wrong, "gpu")->set_gpu_scale_only("x");
  EXPECT_TRUE(Has(Card(wrong, PlanOf(wrong, "gpu")), "gpu_scale_only is for a cpu scale"));
}

}  // namespace
}  // namespace datawall::plan
