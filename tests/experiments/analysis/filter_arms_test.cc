// Tests of the filter arms' comparison (experiments/analysis/filter_arms.h) on a hand-made plan:
// the unfiltered arm first, pool sizes and shares from the manifest, means over seeds, changes
// against the unfiltered arm with the pooled-seed-noise threshold, and what is missing.
#include "experiments/analysis/filter_arms.h"

#include <cmath>

#include "experiments/analysis/summary.h"
#include "gtest/gtest.h"

namespace datawall::analysis {
namespace {

struct Run {
  const char* filter;
  uint64_t seed;
  int64_t unique;
  double final_loss, full, quality;  // quality < 0: no high-quality subset scored
};

struct Fixture {
  experiments::ExperimentSpec spec;
  experiments::SweepPlan plan;
  std::vector<records::RunRow> rows;
  records::FilterEvidence evidence;
};

Fixture Make(const std::vector<Run>& runs) {
  Fixture f;
  f.spec.set_kind(experiments::DATA_FILTERING);
  auto* scale = f.spec.add_scales();
  scale->set_name("cpu");
  scale->mutable_pools()->add_quality_sources("brown");
  scale->mutable_pools()->add_quality_sources("sotu");
  f.plan.set_scale("cpu");
  int i = 0;
  for (const Run& r : runs) {
    auto* p = f.plan.add_runs();
    p->set_hash("h" + std::to_string(i++));
    p->set_filter(r.filter);
    p->mutable_spec()->set_seed(r.seed);
    p->mutable_spec()->set_total_tokens(1000);
    p->mutable_spec()->set_unique_tokens(r.unique);
    p->set_epochs(1000.0 / r.unique);
    if (r.final_loss <= 0) continue;  // not complete
    records::RunRow row;
    row.hash = p->hash();
    row.complete = true;
    row.final_val_loss = r.final_loss;
    f.rows.push_back(row);
    if (r.full <= 0) continue;  // no validation_sources.json
    records::SourceValidation v;
    v.all = {10, 500, r.full};
    if (r.quality > 0) v.quality = records::DocumentsLoss{2, 100, r.quality};
    v.sources["brown"] = {2, 100, r.full + 0.5};
    v.sources["email"] = {8, 400, r.full - 0.5};
    f.evidence.by_hash[p->hash()] = v;
  }
  auto stat = [&](const char* filter, int64_t docs, int64_t tokens) {
    auto* s = f.evidence.pools.add_stats();
    s->set_filter(filter);
    s->set_documents(docs);
    s->set_tokens(tokens);
    auto* a = f.evidence.pools.add_arms();
    a->set_filter(filter);
    a->set_provenance(std::string(filter) + ":test");
  };
  stat("all", 100, 2000);
  stat("top25", 25, 400);
  stat("dedup_document", 70, 900);
  f.evidence.pools.set_quality_validation_tokens(100);
  return f;
}

TEST(FilterArmsTest, ChangesAgainstTheUnfilteredArmWithPooledSeedNoise) {
  // The top25 arm listed first in the plan: the unfiltered arm still comes first.
  const Fixture f = Make({{"top25", 0, 400, 4.6, 4.5, 4.0},
                          {"all", 0, 1000, 4.40, 4.30, 4.20},
                          {"all", 1, 1000, 4.42, 4.32, 4.22},
                          {"all", 2, 1000, 4.44, 4.34, 4.24},
                          {"dedup_document", 0, 900, 4.45, 4.35, -1}});
  const auto c = CompareFilterArms(f.spec, f.plan, f.rows, f.evidence);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(c->arms_size(), 3);
  EXPECT_EQ(c->arms(0).filter(), "all");
  EXPECT_EQ(c->arms(1).filter(), "top25");
  EXPECT_EQ(c->arms(2).filter(), "dedup_document");
  EXPECT_EQ(c->quality_sources_size(), 2);
  EXPECT_EQ(c->validation_tokens(), 500);
  EXPECT_EQ(c->quality_validation_tokens(), 100);

  const auto& all = c->arms(0);
  EXPECT_EQ(all.documents(), 100);
  EXPECT_DOUBLE_EQ(all.pool_share(), 1.0);
  EXPECT_EQ(all.final_loss().n(), 3);
  EXPECT_NEAR(all.final_loss().mean(), 4.42, 1e-12);
  EXPECT_EQ(all.final_change(), 0);
  // Seed sd 0.02 in every measure (only the unfiltered arm has replicates).
  EXPECT_NEAR(c->final_seed_sd(), 0.02, 1e-12);
  EXPECT_NEAR(c->full_seed_sd(), 0.02, 1e-12);
  EXPECT_NEAR(c->quality_seed_sd(), 0.02, 1e-12);

  const auto& top = c->arms(1);
  EXPECT_EQ(top.provenance(), "top25:test");
  EXPECT_EQ(top.pool_tokens(), 400);
  EXPECT_DOUBLE_EQ(top.pool_share(), 0.2);
  EXPECT_EQ(top.unique_tokens(), 400);
  EXPECT_DOUBLE_EQ(top.epochs(), 2.5);
  EXPECT_NEAR(top.final_change(), 4.6 / 4.42 - 1, 1e-12);
  EXPECT_NEAR(top.full_change(), 4.5 / 4.32 - 1, 1e-12);
  EXPECT_NEAR(top.quality_change(), 4.0 / 4.22 - 1, 1e-12);
  // 2 sd sqrt(1/1 + 1/3) / mean of the unfiltered arm.
  EXPECT_NEAR(top.quality_allowed(), 2 * 0.02 * std::sqrt(1 + 1.0 / 3) / 4.22, 1e-12);
  EXPECT_NEAR(top.final_allowed(), 2 * 0.02 * std::sqrt(1 + 1.0 / 3) / 4.42, 1e-12);

  // Per source: means over the same seeds, changes against the unfiltered arm's loss on it.
  ASSERT_EQ(top.sources_size(), 2);
  EXPECT_EQ(top.sources(0).src(), "brown");
  EXPECT_EQ(top.sources(0).tokens(), 100);
  EXPECT_NEAR(top.sources(0).change(), 5.0 / 4.82 - 1, 1e-12);
  EXPECT_NEAR(top.sources(1).change(), 4.0 / 3.82 - 1, 1e-12);
  EXPECT_NEAR(top.sources(1).allowed(), 2 * 0.02 * std::sqrt(1 + 1.0 / 3) / 3.82, 1e-12);
  EXPECT_EQ(all.sources(0).loss().n(), 3);
  EXPECT_EQ(all.sources(0).change(), 0);

  // No high-quality subset scored for dedup: that measure is missing, the others are not.
  const auto& dedup = c->arms(2);
  EXPECT_EQ(dedup.quality_loss().n(), 0);
  EXPECT_EQ(dedup.quality_change(), 0);
  EXPECT_EQ(dedup.full_loss().n(), 1);
  EXPECT_NEAR(dedup.full_change(), 4.35 / 4.32 - 1, 1e-12);
}

TEST(FilterArmsTest, IncompleteRunsAndMissingValidationAreLeftOut) {
  const Fixture f = Make({{"all", 0, 1000, 4.40, 4.30, 4.20},
                          {"all", 1, 1000, 4.50, -1, -1},   // complete, never evaluated
                          {"top25", 0, 400, -1, -1, -1}});  // not complete
  const auto c = CompareFilterArms(f.spec, f.plan, f.rows, f.evidence);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->arms(0).final_loss().n(), 2);
  EXPECT_EQ(c->arms(0).full_loss().n(), 1);
  EXPECT_EQ(c->arms(1).final_loss().n(), 0);
  EXPECT_EQ(c->arms(1).final_change(), 0);
  // One seed of whole-validation loss: noise unknown there, so nothing counts as beyond it.
  EXPECT_EQ(c->full_seed_sd(), 0);
  EXPECT_NEAR(c->final_seed_sd(), std::sqrt(0.005), 1e-12);
}

TEST(FilterArmsTest, APlanWithoutFilterArmsHasNoComparison) {
  Fixture f = Make({{"all", 0, 1000, 4.4, 4.3, 4.2}});
  f.plan.mutable_runs(0)->clear_filter();
  EXPECT_FALSE(CompareFilterArms(f.spec, f.plan, f.rows, f.evidence).has_value());
}

TEST(FilterArmsTest, TheSummaryCarriesTheComparisonOnlyWithEvidence) {
  const Fixture f = Make({{"all", 0, 1000, 4.40, 4.30, 4.20}, {"top25", 0, 400, 4.6, 4.5, 4.0}});
  SummaryOptions options;
  options.fit_law = false;
  EXPECT_EQ(Summarize(f.spec, f.plan, f.rows, options).filters().arms_size(), 0);
  options.filter_evidence = &f.evidence;
  const experiments::ExperimentSummary s = Summarize(f.spec, f.plan, f.rows, options);
  ASSERT_EQ(s.filters().arms_size(), 2);
  EXPECT_EQ(s.runs(1).filter(), "top25");
  EXPECT_NE(SummaryText(s).find("Filter arms"), std::string::npos);
  EXPECT_NE(SummaryText(s).find("top25"), std::string::npos);
}

}  // namespace
}  // namespace datawall::analysis
