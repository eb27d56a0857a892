// Every unique-data budget and validation set of every committed cpu and gpu grid is a
// representative sample of its shard: source_tv <= 0.02 (data/budget.h), measured on the real
// shards the grids train on (data/work/shards/small1024_full/, made by tools/setup.sh through
// tools/setup.d/50-cpu-shards.sh). The ablation's whole-document arm is the exception by design;
// it must show the shift it is there to measure. Needs the shards: without them it fails naming
// the command that makes them.
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "data/budget.h"
#include "data/shard.h"
#include "experiments/plan/expand.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace datawall::plan {
namespace {

constexpr double kMaxSourceTv = 0.02;

const std::vector<std::string> kExperiments = {
    "allocation_100m",    "allocation_400m",    "allocation_1b5",    "return_isoflop_2b8",
    "return_isoflop_4b2", "return_isoflop_8b7", "complementary_code", "repetition_vs_shift"};

data::BudgetOrder OrderOf(experiments::BudgetOrder o) {
  return o == experiments::DOCUMENTS      ? data::BudgetOrder::kDocuments
         : o == experiments::SHARD_PREFIX ? data::BudgetOrder::kShardPrefix
                                          : data::BudgetOrder::kRepresentative;
}

class BudgetMixTest : public ::testing::Test {
 protected:
  const data::Shard& Open(const std::string& relative) {
    auto it = shards_.find(relative);
    if (it != shards_.end()) return *it->second;
    std::unique_ptr<data::Shard> shard;
    const Result r = data::Shard::Open(paths::WorkspaceRoot() + "/" + relative, &shard);
    EXPECT_TRUE(r.ok()) << r.message()
                        << " (make the cpu shards with `bash tools/setup.d/50-cpu-shards.sh .`)";
    if (!r.ok()) return *empty_;
    return *(shards_[relative] = std::move(shard));
  }

  double Tv(const std::string& relative, int64_t tokens, uint64_t seed, data::BudgetOrder order,
            int64_t chunk) {
    const data::Shard& shard = Open(relative);
    if (shard.num_tokens() == 0) return 1;
    data::SourceMix mix;
    const Result r = data::MeasureBudget(shard, {tokens, seed, order, chunk}, &mix);
    EXPECT_TRUE(r.ok()) << relative << ": " << r.message();
    return r.ok() ? mix.source_tv : 1;
  }

  std::map<std::string, std::unique_ptr<data::Shard>> shards_;
  std::unique_ptr<data::Shard> empty_;
};

TEST_F(BudgetMixTest, EveryCpuAndGpuBudgetAndValidationSetFollowsItsShard) {
  // A shard with no source table measures 0; make sure the test is looking at real sources.
  const data::Shard& en_mix = Open("data/work/shards/small1024_full/en_mix.train.shard");
  ASSERT_GE(en_mix.info().sources.size(), 15u);
  int measured = 0;
  double documents_tv_sum = 0;
  int documents_runs = 0;
  for (const std::string& name : kExperiments) {
    auto spec = LoadExperimentSpec("experiments/specs/" + name + ".textproto");
    ASSERT_TRUE(spec.ok()) << spec.status();
    for (const char* scale : {"cpu", "gpu"}) {
      auto plan = Expand(*spec, scale);
      ASSERT_TRUE(plan.ok()) << name << " " << scale << ": " << plan.status();
      // (shard, tokens, seed, order, chunk) already measured: grids repeat budgets across seeds
      // of other parameters.
      std::map<std::string, double> seen;
      for (const auto& run : plan->runs()) {
        const auto& s = run.spec();
        const int64_t chunk = s.budget_chunk_tokens() > 0 ? s.budget_chunk_tokens()
                                                          : s.model().seq_len();
        auto tv = [&](const std::string& shard, int64_t tokens, uint64_t seed,
                      data::BudgetOrder order) {
          const std::string key = absl::StrCat(shard, "/", tokens, "/", seed, "/",
                                               static_cast<int>(order), "/", chunk);
          auto it = seen.find(key);
          if (it != seen.end()) return it->second;
          ++measured;
          return seen[key] = Tv(shard, tokens, seed, order, chunk);
        };
        for (const auto& d : s.data()) {
          const int64_t u = d.unique_tokens() > 0 ? d.unique_tokens() : s.unique_tokens();
          const double v = tv(d.shard(), u, s.data_order_seed(), OrderOf(s.budget_order()));
          if (s.budget_order() == experiments::DOCUMENTS) {
            documents_tv_sum += v;
            ++documents_runs;
            continue;
          }
          EXPECT_LE(v, kMaxSourceTv) << s.name() << ": budget of " << d.name() << ", U = " << u;
        }
        // The validation set as the trainer cuts it: (eval_tokens - 1) / T sequences of T + 1.
        const int64_t T = s.model().seq_len();
        const int64_t n = (s.eval_tokens() - 1) / T;
        const double v = tv(s.validation_shard(), n * T + 1, 0, OrderOf(s.validation_order()));
        EXPECT_LE(v, kMaxSourceTv) << s.name() << ": validation set of " << n * T + 1 << " tokens";
      }
    }
  }
  EXPECT_GT(measured, 20);
  // The ablation's whole-document arm measures the shift it is meant to: far from the mix.
  ASSERT_GT(documents_runs, 0);
  EXPECT_GT(documents_tv_sum / documents_runs, 0.2);
}

}  // namespace
}  // namespace datawall::plan
