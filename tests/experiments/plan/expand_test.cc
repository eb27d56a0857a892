// Every committed experiment spec expands at every scale with the structure the issue asks
// for: smoke is tiny; cpu allocation has >= 20 runs spanning >= 10x params and >= 30x epochs;
// returns cover epochs 1, 2, 3, 4, 5, 7, 14, 44 at one compute budget; code mixing covers
// 0-90% in 10% steps; paper scale is the paper's grid (the released runs for allocation).
// Also: hashes are deterministic and change with the spec; bad specs name the field.
#include "experiments/plan/expand.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "experiments/plan/throughput.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/testing/released_runs.h"
#include "tools/paths/paths.h"

namespace datawall::plan {
namespace {

const std::vector<std::string> kExperiments = {
    "allocation_100m",    "allocation_400m",    "allocation_1b5",    "return_isoflop_2b8",
    "return_isoflop_4b2", "return_isoflop_8b7", "complementary_code"};

ExperimentSpec Load(const std::string& name) {
  auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : ExperimentSpec();
}

SweepPlan PlanOf(const std::string& name, const std::string& scale) {
  auto plan = Expand(Load(name), scale);
  EXPECT_TRUE(plan.ok()) << name << " " << scale << ": " << plan.status();
  return plan.ok() ? *plan : SweepPlan();
}

ThroughputModel CommittedThroughput() {
  std::vector<ThroughputPoint> points;
  std::string error;
  EXPECT_TRUE(LoadThroughputPoints("experiments/plan/cpu_throughput.txt", &points, &error)) << error;
  ThroughputModel model;
  EXPECT_TRUE(model.Fit(points));
  return model;
}

double EstimatedSeconds(const SweepPlan& plan) {
  const ThroughputModel model = CommittedThroughput();
  double s = 0;
  for (const auto& r : plan.runs()) s += model.Seconds(r.params(), r.spec().total_tokens());
  return s;
}

bool IsAllocation(const std::string& n) { return n.rfind("allocation_", 0) == 0; }
bool IsReturn(const std::string& n) { return n.rfind("return_", 0) == 0; }

TEST(ExpandTest, EveryExperimentHasEveryScaleAndDistinctRuns) {
  for (const std::string& name : kExperiments) {
    const ExperimentSpec spec = Load(name);
    EXPECT_EQ(spec.name(), name);
    for (const char* scale : kScaleNames) {
      const SweepPlan plan = PlanOf(name, scale);
      ASSERT_GT(plan.runs_size(), 0) << name << " " << scale;
      std::set<std::string> hashes, names;
      for (const auto& r : plan.runs()) {
        hashes.insert(r.hash());
        names.insert(r.spec().name());
        EXPECT_EQ(r.hash(), records::RunHash(r.spec()));
        EXPECT_GT(r.params(), 0);
        EXPECT_LE(r.spec().unique_tokens(), r.spec().total_tokens()) << r.spec().name();
        EXPECT_NEAR(r.flops(), 6.0 * r.params() * r.spec().total_tokens(), 1e-6 * r.flops());
        EXPECT_FALSE(r.spec().validation_shard().empty());
        double fraction = 0;
        for (const auto& d : r.spec().data()) fraction += d.fraction();
        EXPECT_NEAR(fraction, 1.0, 1e-12) << r.spec().name();
      }
      EXPECT_EQ(static_cast<int>(hashes.size()), plan.runs_size()) << name << " " << scale;
      EXPECT_EQ(static_cast<int>(names.size()), plan.runs_size()) << name << " " << scale;
    }
  }
}

TEST(ExpandTest, SmokeScaleIsTiny) {
  double total = 0;
  for (const std::string& name : kExperiments) {
    const SweepPlan plan = PlanOf(name, "smoke");
    // Code mixing: 3 fractions plus the repeat arm at 50% and 90%.
    EXPECT_LE(plan.runs_size(), name == "complementary_code" ? 5 : 4) << name;
    for (const auto& r : plan.runs()) {
      EXPECT_LE(r.params(), 100000) << r.spec().name();
      EXPECT_LE(r.spec().total_tokens(), 10000) << r.spec().name();
      EXPECT_LE(r.spec().model().vocab_size(), 512);
    }
    total += EstimatedSeconds(plan);
  }
  // The whole smoke set, one worker, from the committed throughput model: well under 2 min.
  EXPECT_LT(total, 120);
}

// (The time budget of each cpu grid, 90 minutes with two workers, is a regime rule:
// similarity_test checks it.)
TEST(ExpandTest, CpuAllocationHasTheStructureOfThePaper) {
  for (const std::string& name : kExperiments) {
    if (!IsAllocation(name)) continue;
    const SweepPlan plan = PlanOf(name, "cpu");
    // A grid, not a handful: the 400m and 1b5 budgets fit (or are planned as) a diagonal grid.
    EXPECT_GE(plan.runs_size(), 12) << name;
    double min_params = 1e300, max_params = 0, min_epochs = 1e300, max_epochs = 0;
    std::set<int64_t> unique;
    std::map<std::pair<int, double>, std::set<uint64_t>> seeds;
    for (const auto& r : plan.runs()) {
      min_params = std::min<double>(min_params, r.eq23_params());  // the law's N (Eq. 23)
      max_params = std::max<double>(max_params, r.eq23_params());
      min_epochs = std::min(min_epochs, r.epochs());
      max_epochs = std::max(max_epochs, r.epochs());
      unique.insert(r.spec().unique_tokens());
      seeds[{r.shape_index(), r.epochs()}].insert(r.spec().seed());
      EXPECT_LE(r.spec().model().vocab_size(), 1024);
    }
    // A wide size range; the regime rule (smallest within 2x of U_N, largest >= 10x) is checked
    // by similarity_test.
    EXPECT_GE(max_params / min_params, 5) << name;
    EXPECT_GE(max_epochs / min_epochs, 30) << name;
    EXPECT_EQ(unique.size(), 1u) << name << ": one fixed unique budget";
    int replicated = 0;
    for (const auto& [point, s] : seeds) replicated += s.size() >= 3;
    EXPECT_GE(replicated, 2) << name << ": a few points with seed replicates";
  }
  // The three budgets grow like the paper's 100M < 400M < 1.5B.
  EXPECT_LT(PlanOf("allocation_100m", "cpu").runs(0).spec().unique_tokens(),
            PlanOf("allocation_400m", "cpu").runs(0).spec().unique_tokens());
  EXPECT_LT(PlanOf("allocation_400m", "cpu").runs(0).spec().unique_tokens(),
            PlanOf("allocation_1b5", "cpu").runs(0).spec().unique_tokens());
}

std::set<int> RoundedEpochs(const SweepPlan& plan) {
  std::set<int> epochs;
  for (const auto& r : plan.runs()) epochs.insert(static_cast<int>(std::lround(r.epochs())));
  return epochs;
}

TEST(ExpandTest, ReturnExperimentsCoverTheEpochSetAtOneComputeBudget) {
  const std::set<int> paper_epochs = {1, 2, 3, 4, 5, 7, 14, 44};
  for (const std::string& name : kExperiments) {
    if (!IsReturn(name)) continue;
    for (const char* scale : {"cpu", "gpu"}) {
      const SweepPlan plan = PlanOf(name, scale);
      EXPECT_EQ(RoundedEpochs(plan), paper_epochs) << name << " " << scale;
      std::set<double> flops;
      std::set<uint64_t> seeds;
      for (const auto& r : plan.runs()) {
        flops.insert(r.flops());
        seeds.insert(r.spec().seed());
        EXPECT_NEAR(r.epochs(), static_cast<double>(r.spec().total_tokens()) / r.spec().unique_tokens(), 1e-12);
      }
      EXPECT_EQ(flops.size(), 1u) << name << ": fixed compute";
      EXPECT_GE(seeds.size(), 2u) << name << ": seed replicates";
    }
  }
  // The three families' compute grows like the paper's 9.3e20 < 2.1e21 < 9.3e21.
  const double c2 = PlanOf("return_isoflop_2b8", "cpu").runs(0).flops();
  const double c4 = PlanOf("return_isoflop_4b2", "cpu").runs(0).flops();
  const double c8 = PlanOf("return_isoflop_8b7", "cpu").runs(0).flops();
  EXPECT_LT(c2, c4);
  EXPECT_LT(c4, c8);
}

TEST(ExpandTest, CodeMixingCoversZeroToNinetyPercent) {
  for (const char* scale : {"cpu", "gpu", "paper"}) {
    const SweepPlan plan = PlanOf("complementary_code", scale);
    std::set<int> percent;
    for (const auto& r : plan.runs()) {
      if (r.repeat_arm()) continue;  // RepeatArm... below
      percent.insert(static_cast<int>(std::lround(r.code_fraction() * 100)));
      int64_t unique = 0;
      for (const auto& d : r.spec().data()) {
        unique += d.unique_tokens();
        // Each source is seen once: its unique budget is its share of the tokens.
        EXPECT_NEAR(d.unique_tokens(), d.fraction() * r.spec().total_tokens(), 1.0) << r.spec().name();
      }
      EXPECT_EQ(unique, r.spec().total_tokens());
      if (r.code_fraction() > 0) {
        ASSERT_EQ(r.spec().data_size(), 2);
        EXPECT_EQ(r.spec().data(1).name(), "python_stdlib");
      }
    }
    EXPECT_EQ(percent, (std::set<int>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90})) << scale;
  }
  // 10 fractions x 5 seeds, plus the repeat arm: 9 fractions x 5 seeds.
  EXPECT_EQ(PlanOf("complementary_code", "paper").runs_size(), 95);
}

// The repeat arm (paper section 7, Figure 6): for every code fraction f > 0 and every seed of
// the f-run, one run with 0% code whose natural-language budget is the f-run's,
// U = D - round(f D), repeated to the same D; same model, optimiser and validation set.
TEST(ExpandTest, RepeatArmRepeatsTheNaturalLanguageBudgetOfEachCodeRun) {
  const std::map<std::string, int> arm_runs = {{"smoke", 2}, {"cpu", 11}, {"gpu", 9}, {"paper", 45}};
  for (const auto& [scale, expected] : arm_runs) {
    const SweepPlan plan = PlanOf("complementary_code", scale);
    std::map<std::pair<int, uint64_t>, const PlannedRun*> grid;  // (percent, seed) -> f-run
    for (const auto& r : plan.runs()) {
      if (!r.repeat_arm()) grid[{static_cast<int>(std::lround(r.code_fraction() * 100)), r.spec().seed()}] = &r;
    }
    int arm = 0;
    std::set<std::pair<int, uint64_t>> covered;
    for (const auto& r : plan.runs()) {
      if (!r.repeat_arm()) continue;
      ++arm;
      const int percent = static_cast<int>(std::lround(r.repeat_of_code_fraction() * 100));
      const PlannedRun* f_run = grid.at({percent, r.spec().seed()});  // same seed as the f-run
      covered.insert({percent, r.spec().seed()});
      const int64_t d = f_run->spec().total_tokens();
      const int64_t u = d - std::llround(r.repeat_of_code_fraction() * d);
      EXPECT_GT(r.repeat_of_code_fraction(), 0);
      EXPECT_EQ(r.code_fraction(), 0);
      EXPECT_EQ(r.spec().total_tokens(), d);
      EXPECT_EQ(r.spec().unique_tokens(), u) << r.spec().name();
      // 1 / (1 - f) epochs, up to the rounding of U to whole tokens.
      EXPECT_NEAR(r.epochs(), 1.0 / (1.0 - r.repeat_of_code_fraction()), r.epochs() / u) << r.spec().name();
      EXPECT_DOUBLE_EQ(r.epochs(), static_cast<double>(d) / u);
      // Natural language only, with exactly the f-run's natural-language source and budget.
      ASSERT_EQ(r.spec().data_size(), 1) << r.spec().name();
      EXPECT_EQ(r.spec().data(0).name(), "en_mix");
      EXPECT_EQ(r.spec().data(0).fraction(), 1.0);
      EXPECT_EQ(r.spec().data(0).unique_tokens(), u);
      EXPECT_EQ(r.spec().data(0).shard(), f_run->spec().data(0).shard());
      EXPECT_EQ(f_run->spec().data(0).unique_tokens(), u) << "the f-run's text budget";
      // Same model, seed and everything else but the data.
      EXPECT_EQ(r.params(), f_run->params());
      EXPECT_EQ(r.flops(), f_run->flops());
      RunSpec a = r.spec(), b = f_run->spec();
      for (RunSpec* x : {&a, &b}) {
        x->clear_name();
        x->clear_data();
        x->clear_unique_tokens();
      }
      EXPECT_EQ(records::CanonicalText(a), records::CanonicalText(b));
      EXPECT_NE(r.spec().name().find(absl::StrCat(".code0.repeat", percent, ".")), std::string::npos)
          << r.spec().name();
    }
    EXPECT_EQ(arm, expected) << scale;
    // Every f > 0 run (and seed) has its repeat-arm partner.
    for (const auto& [key, run] : grid) {
      if (key.first > 0) {
        EXPECT_TRUE(covered.count(key)) << scale << " " << run->spec().name();
      }
    }
  }
  // The smoke scale's arm: U = 2,048 (2 epochs) and 410 tokens (about 10 epochs) of 4,096.
  const SweepPlan smoke = PlanOf("complementary_code", "smoke");
  std::set<int64_t> budgets;
  for (const auto& r : smoke.runs()) {
    if (r.repeat_arm()) budgets.insert(r.spec().unique_tokens());
  }
  EXPECT_EQ(budgets, (std::set<int64_t>{410, 2048}));
}

// Turning the arm on changes none of the grid's runs: same RunSpecs, hashes and order.
TEST(ExpandTest, RepeatArmLeavesTheGridsRunsAndHashesUnchanged) {
  for (const char* scale : kScaleNames) {
    ExperimentSpec spec = Load("complementary_code");
    const auto with = Expand(spec, scale);
    ASSERT_TRUE(with.ok()) << with.status();
    for (auto& s : *spec.mutable_scales()) {
      s.clear_repeat_arm();
      s.clear_repeat_arm_code_fractions();
    }
    const auto without = Expand(spec, scale);
    ASSERT_TRUE(without.ok()) << without.status();
    ASSERT_LT(without->runs_size(), with->runs_size()) << scale;
    for (int i = 0; i < without->runs_size(); ++i) {
      EXPECT_EQ(with->runs(i).hash(), without->runs(i).hash()) << scale << " " << i;
      EXPECT_FALSE(with->runs(i).repeat_arm());
    }
    for (int i = without->runs_size(); i < with->runs_size(); ++i) EXPECT_TRUE(with->runs(i).repeat_arm());
  }
  // A subset of fractions: only those get an arm run.
  ExperimentSpec spec = Load("complementary_code");
  for (auto& s : *spec.mutable_scales()) {
    if (s.name() == "cpu") s.add_repeat_arm_code_fractions(0.5);
  }
  const auto subset = Expand(spec, "cpu");
  ASSERT_TRUE(subset.ok()) << subset.status();
  int arm = 0;
  for (const auto& r : subset->runs()) {
    if (!r.repeat_arm()) continue;
    ++arm;
    EXPECT_DOUBLE_EQ(r.repeat_of_code_fraction(), 0.5);
    EXPECT_EQ(r.spec().unique_tokens(), 768000);
  }
  EXPECT_EQ(arm, 3);  // seeds 0, 1, 2 as the 50% run
}

// The committed cpu records are found where the expansion puts them, in any checkout: for every
// experiment with committed cpu results (a runs.csv; the ablation at least), every planned cpu
// run has a complete record in runs/<hash>/ whose own spec (shard paths relative to the data
// root) hashes to <hash>, and the experiment's runs.csv lists exactly the planned runs, all
// complete.
TEST(ExpandTest, CommittedCpuRecordsMatchTheirPlannedRuns) {
  std::vector<std::string> names = kExperiments;
  names.push_back("repetition_vs_shift");
  int committed = 0;
  for (const std::string& name : names) {
    const std::string out = paths::WorkspaceRoot() + "/experiments/results/cpu/" + name;
    std::error_code ec;
    if (name != "repetition_vs_shift" && !std::filesystem::exists(out + "/runs.csv", ec)) continue;
    ++committed;
    const SweepPlan plan = PlanOf(name, "cpu");
    const auto loaded = records::LoadRecords(plan, out);
    for (int i = 0; i < plan.runs_size(); ++i) {
      const PlannedRun& r = plan.runs(i);
      ASSERT_TRUE(loaded[i].has_value()) << "no committed record " << r.hash() << " (" << r.spec().name() << ")";
      EXPECT_TRUE(records::IsCompleteFor(loaded[i], r)) << r.spec().name();
      EXPECT_EQ(loaded[i]->spec().validation_shard().rfind("data/work/", 0), 0u) << r.spec().name();
    }
    auto rows = records::ReadRunsCsv(out + "/runs.csv");
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(static_cast<int>(rows->size()), plan.runs_size()) << name;
    for (int i = 0; i < plan.runs_size(); ++i) {
      EXPECT_EQ((*rows)[i], records::MakeRunRow(plan.runs(i), loaded[i])) << plan.runs(i).spec().name();
      EXPECT_TRUE((*rows)[i].complete);
    }
  }
  EXPECT_GE(committed, 1);
}

// The allocation experiments' paper scale is exactly the released runs with that budget.
TEST(ExpandTest, PaperAllocationIsTheReleasedGrid) {
  std::map<double, std::map<std::string, double>> released;  // U -> key -> tokens
  const laws::RunTable table = testdata::ReleasedRuns();
  for (const laws::RunPoint& r : table.runs()) {
    released[r.unique_tokens][r.key] = r.tokens;
  }
  const std::map<std::string, double> budgets = {
      {"allocation_100m", 100e6}, {"allocation_400m", 400e6}, {"allocation_1b5", 1.5e9}};
  const std::map<std::string, int> counts = {
      {"allocation_100m", 93}, {"allocation_400m", 34}, {"allocation_1b5", 37}};
  for (const auto& [name, u] : budgets) {
    const SweepPlan plan = PlanOf(name, "paper");
    EXPECT_EQ(plan.runs_size(), counts.at(name)) << name;
    std::map<std::string, double> planned;
    for (const auto& r : plan.runs()) {
      planned[r.paper_run()] = r.spec().total_tokens();
      EXPECT_EQ(r.spec().unique_tokens(), static_cast<int64_t>(u));
      EXPECT_EQ(r.spec().model().vocab_size(), 50257);
      EXPECT_EQ(r.spec().model().seq_len(), 2048);
      EXPECT_EQ(r.spec().tokenizer(), "gpt2");
    }
    EXPECT_EQ(planned, released[u]) << name;
  }
  // Figure 3's star: 7m100m100m, and its lowest loss 146m5b9100m (146M params, 59 epochs).
  const SweepPlan p = PlanOf("allocation_100m", "paper");
  bool found = false;
  for (const auto& r : p.runs()) {
    if (r.paper_run() == "146m5b9100m") {
      found = true;
      EXPECT_EQ(r.eq23_params(), 146488320);  // Table 15 "this work": 146M
      EXPECT_NEAR(r.epochs(), 59, 1e-9);
    }
  }
  EXPECT_TRUE(found);
}

TEST(ExpandTest, PaperReturnsAreTheIsoFlopFamilies) {
  struct Family { const char* name; const char* first_run; int runs; int64_t d; double beta2; };
  for (const Family& f : {Family{"return_isoflop_2b8", "2b855b55b", 40, 55000000000, 0.95},
                          Family{"return_isoflop_4b2", "4b284b84b", 40, 84000000000, 0.95},
                          Family{"return_isoflop_8b7", "8b7178b178b", 8, 178000000000, 0}}) {
    const SweepPlan plan = PlanOf(f.name, "paper");
    EXPECT_EQ(plan.runs_size(), f.runs) << f.name;
    EXPECT_EQ(plan.runs(0).paper_run(), f.first_run);
    EXPECT_EQ(plan.runs(0).spec().total_tokens(), f.d);
    EXPECT_EQ(plan.runs(0).spec().optimizer().beta2(), f.beta2);
    std::set<std::string> names;
    for (const auto& r : plan.runs()) names.insert(r.paper_run());
    EXPECT_EQ(names.size(), 8u);
  }
  const SweepPlan p = PlanOf("return_isoflop_2b8", "paper");
  std::set<std::string> names;
  for (const auto& r : p.runs()) names.insert(r.paper_run());
  EXPECT_TRUE(names.count("2b855b1b25")) << "1.25B unique tokens, 44 epochs";
}

TEST(ExpandTest, HashesAreDeterministicAndFollowTheSpec) {
  const SweepPlan a = PlanOf("return_isoflop_2b8", "smoke");
  const SweepPlan b = PlanOf("return_isoflop_2b8", "smoke");
  ASSERT_EQ(a.runs_size(), b.runs_size());
  for (int i = 0; i < a.runs_size(); ++i) EXPECT_EQ(a.runs(i).hash(), b.runs(i).hash());
  RunSpec changed = a.runs(0).spec();
  changed.set_seed(changed.seed() + 1);
  EXPECT_NE(records::RunHash(changed), a.runs(0).hash());
  EXPECT_EQ(a.runs(0).hash().size(), 16u);
}

TEST(ExpandTest, BadSpecsNameTheField) {
  auto expect_error = [](const std::string& text, const std::string& needle) {
    auto spec = ParseExperimentSpec(text, "x.textproto");
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_NE(spec.status().message().find(needle), std::string::npos) << spec.status();
    EXPECT_NE(spec.status().message().find("x.textproto"), std::string::npos) << spec.status();
  };
  expect_error("name: \"x\" kind: ALLOCATION epochs: 1 scales { name: \"huge\" }", "name: must be");
  expect_error("name: \"x\" kind: RETURN_ISOFLOP epochs: 1 scales { name: \"cpu\" total_tokens: 5 "
               "base { data { shard: \"s\" } } }", "shapes: exactly one");
  expect_error("name: \"x\" kind: ALLOCATION epochs: 0.5", "epochs: 0.5");
  expect_error("name: \"x\" kind: ALLOCATION epochs: 1 scales { name: \"cpu\" epochs: 3 }",
               "epochs: 3 is not in the experiment's grid");
  expect_error("name: \"x\" kind: ALLOCATION bogus: 1", "bogus");
  expect_error("kind: ALLOCATION epochs: 1", "name: missing");
  expect_error("name: \"x\" kind: ALLOCATION epochs: 1 scales { name: \"cpu\" unique_tokens: 10 "
               "repeat_arm: true shapes { d_model: 8 } base { data { shard: \"s\" } } }",
               "repeat_arm: only for CODE_MIXING");
  const std::string code =
      "name: \"x\" kind: CODE_MIXING code_fractions: [0, 0.5] scales { name: \"cpu\" "
      "total_tokens: 100 shapes { d_model: 8 } base { data { shard: \"t\" } data { shard: \"c\" } } ";
  expect_error(code + "repeat_arm: true repeat_arm_code_fractions: 0.3 }",
               "repeat_arm_code_fractions: 0.3 is not a code fraction > 0");
  expect_error(code + "repeat_arm: true repeat_arm_code_fractions: 0 }",
               "repeat_arm_code_fractions: 0 is not");
  expect_error(code + "repeat_arm_code_fractions: 0.5 }", "set without repeat_arm");
  auto spec = ParseExperimentSpec(
      "name: \"x\" kind: ALLOCATION epochs: 1 scales { name: \"cpu\" unique_tokens: 10 "
      "shapes { preset: \"nope\" } base { data { shard: \"s\" } } }", "x.textproto");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto plan = Expand(*spec, "cpu");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("shapes[0]: unknown preset \"nope\""), std::string::npos)
      << plan.status();
  EXPECT_EQ(Expand(*spec, "gpu").status().message().rfind("--scale:", 0), 0u);
}


// DATA_FILTERING: one run per arm and seed, the arm's shard and provenance in its DataSource,
// U = min(arm's pool, D); an arm whose pool was never measured, a filter outside the grid and
// filter fields on another kind are spec errors.
TEST(ExpandTest, DataFilteringRunsEachArmsPoolRepeatedToD) {
  const std::string text = R"pb(
    name: "filter_test" kind: DATA_FILTERING filters: [ "all", "top25", "dedup_document" ]
    scales {
      name: "cpu"
      shapes { d_model: 48 ffw_size: 192 kv_size: 16 n_heads: 3 n_layers: 2 vocab_size: 1024 seq_len: 128 }
      total_tokens: 1000000
      seeds: [ 1 ]
      arms { filter: "all" unique_tokens: 2100000 shard: "pools/all.shard" seeds: [ 2 ] }
      arms { filter: "top25" unique_tokens: 500000 shard: "pools/top25.shard" provenance: "top25 by gpt:abc" }
      base { optimizer { max_lr: 0.002 batch_size: 8 } data { name: "en_mix" shard: "x" } validation_shard: "v" eval_tokens: 4097 }
    })pb";
  auto spec = ParseExperimentSpec(text, "t");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto plan = Expand(*spec, "cpu");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->runs_size(), 3);
  EXPECT_EQ(plan->runs(0).filter(), "all");
  EXPECT_EQ(plan->runs(0).spec().unique_tokens(), 1000000);  // a pool larger than D: U = D
  EXPECT_DOUBLE_EQ(plan->runs(0).epochs(), 1.0);
  EXPECT_EQ(plan->runs(1).spec().seed(), 2u);
  const auto& top = plan->runs(2);
  EXPECT_EQ(top.filter(), "top25");
  EXPECT_EQ(top.spec().data(0).shard(), "pools/top25.shard");
  EXPECT_EQ(top.spec().data(0).filter(), "top25 by gpt:abc");
  EXPECT_EQ(top.spec().data(0).unique_tokens(), 500000);
  EXPECT_DOUBLE_EQ(top.epochs(), 2.0);
  EXPECT_NE(top.spec().name().find(".top25."), std::string::npos) << top.spec().name();

  ExperimentSpec unmeasured = *spec;
  unmeasured.mutable_scales(0)->mutable_arms(1)->set_unique_tokens(0);
  EXPECT_NE(Expand(unmeasured, "cpu").status().message().find("pools are not built"), std::string::npos);
  ExperimentSpec outside = *spec;
  outside.mutable_scales(0)->mutable_arms(1)->set_filter("dedup_span");
  EXPECT_NE(ValidateExperimentSpec(outside, "t").message().find("not in the experiment's filters"),
            std::string::npos);
  ExperimentSpec unknown = *spec;
  unknown.add_filters("top10");
  EXPECT_NE(ValidateExperimentSpec(unknown, "t").message().find("unknown filter"), std::string::npos);
  auto other = Load("return_isoflop_8b7");
  other.mutable_scales(0)->add_arms()->set_filter("all");
  EXPECT_NE(ValidateExperimentSpec(other, "t").message().find("only for DATA_FILTERING"),
            std::string::npos);
}

TEST(ExpandTest, ApplyBuiltPoolsFillsTheArmsAndKeepsTheirSeeds) {
  const std::string text = R"pb(
    name: "filter_test" kind: DATA_FILTERING filters: [ "all", "top25" ]
    scales {
      name: "cpu"
      shapes { d_model: 48 ffw_size: 192 kv_size: 16 n_heads: 3 n_layers: 2 vocab_size: 1024 seq_len: 128 }
      total_tokens: 1000000
      arms { filter: "all" seeds: [ 2 ] }
      arms { filter: "top25" }
      base { optimizer { max_lr: 0.002 batch_size: 8 } data { name: "en_mix" shard: "x" } validation_shard: "v" eval_tokens: 4097 }
    })pb";
  auto spec = ParseExperimentSpec(text, "t");
  ASSERT_TRUE(spec.ok()) << spec.status();
  experiments::BuiltPools built;
  built.set_experiment("filter_test");
  built.set_scale("cpu");
  auto* all = built.add_arms();
  all->set_filter("all");
  all->set_unique_tokens(2100000);
  all->set_shard("p/all.shard");
  all->set_provenance("pool:x");
  ExperimentSpec missing = *spec;
  EXPECT_NE(ApplyBuiltPools(built, "cpu", &missing).message().find("no arm top25"), std::string::npos);
  auto* top = built.add_arms();
  top->set_filter("top25");
  top->set_unique_tokens(500000);
  top->set_shard("p/top25.shard");
  top->set_provenance("top25:scorer=gpt:abc");
  ASSERT_TRUE(ApplyBuiltPools(built, "cpu", &*spec).ok());
  auto plan = Expand(*spec, "cpu");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->runs_size(), 3);
  EXPECT_EQ(plan->runs(1).spec().seed(), 2u);
  EXPECT_EQ(plan->runs(2).spec().data(0).shard(), "p/top25.shard");
  EXPECT_EQ(plan->runs(2).spec().data(0).filter(), "top25:scorer=gpt:abc");
  EXPECT_DOUBLE_EQ(plan->runs(2).epochs(), 2.0);
  built.set_scale("gpu");
  EXPECT_FALSE(ApplyBuiltPools(built, "cpu", &*spec).ok());
}

}  // namespace
}  // namespace datawall::plan
