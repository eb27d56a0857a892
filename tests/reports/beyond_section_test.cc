// Tests of the report's §7 section (reports/beyond_section.cc) on synthetic smoke-scale results
// written where the sweep writes them: filter_perplexity with its pools manifest and per-run
// validation_sources.json, complementary_code beside it; and of the filtering claims' rules on
// hand-made summaries (reports/claims.h).
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "experiments/plan/expand.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "reports/claims.h"
#include "reports/markdown_writer.h"
#include "reports/sections.h"
#include "tests/reports/smoke_records.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

namespace datawall::reports {
namespace {

namespace fs = std::filesystem;

// filter_perplexity at smoke scale: a pool of 8,192 tokens (all: U = D = 4,096), top25 1,024
// tokens, top50 2,048, mid25_75 2,048. Final and whole-validation losses by arm as given; the
// high-quality subset's loss is 4.0 for top25, 4.6 otherwise.
std::string WriteFilterResults(const std::string& name, bool with_code) {
  const std::string results = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  experiments::ExperimentSpec spec = LoadSpec("filter_perplexity");
  experiments::BuiltPools pools;
  pools.set_experiment("filter_perplexity");
  pools.set_scale("smoke");
  pools.set_quality_validation_tokens(700);
  for (const auto& [filter, tokens, docs] :
       {std::tuple{"all", 8192, 40}, std::tuple{"top25", 1024, 10}, std::tuple{"top50", 2048, 20},
        std::tuple{"mid25_75", 2048, 20}}) {
    auto* arm = pools.add_arms();
    arm->set_filter(filter);
    arm->set_unique_tokens(std::string(filter) == "all" ? 4096 : tokens);
    arm->set_shard(absl::StrCat("data/work/pools/test/", filter, ".shard"));
    arm->set_provenance(absl::StrCat(filter, ":scorer=test"));
    auto* st = pools.add_stats();
    st->set_filter(filter);
    st->set_documents(docs);
    st->set_tokens(tokens);
  }
  EXPECT_TRUE(plan::ApplyBuiltPools(pools, "smoke", &spec).ok());
  auto loss = [](const experiments::PlannedRun& r) {
    return r.filter() == "all" ? 5.0 : r.filter() == "top25" ? 5.5 : 5.2;
  };
  experiments::SweepPlan plan;
  WriteSmokeRecords(results, spec, loss, &plan);
  const std::string out = results + "/smoke/filter_perplexity";
  std::string text;
  google::protobuf::TextFormat::PrintToString(pools, &text);
  EXPECT_TRUE(io::WriteFileAtomically(out + "/" + records::kPoolsFile, text).ok());
  for (const auto& run : plan.runs()) {
    records::SourceValidation v;
    v.run = run.spec().name();
    v.all = {30, 3000, loss(run) - 0.1};
    v.quality = records::DocumentsLoss{5, 700, run.filter() == "top25" ? 4.0 : 4.6};
    v.sources["brown"] = {5, 700, run.filter() == "top25" ? 4.0 : 4.6};
    v.sources["email_ham"] = {25, 2300, run.filter() == "top25" ? 6.0 : 5.0};
    EXPECT_TRUE(io::WriteFileAtomically(records::RunDir(out, run.hash()) + "/" + records::kValidationSourcesFile,
                                        *records::SourceValidationJson(v))
                    .ok());
  }
  if (with_code) {
    WriteSmokeRecords(results, LoadSpec("complementary_code"), [](const experiments::PlannedRun& r) {
      return r.repeat_arm() ? 5.02 : 5.0 + r.code_fraction() * 0.2;
    });
  }
  return results;
}

std::string Render(const std::string& results) {
  ReportInputs inputs;
  inputs.options.results_dir = results;
  inputs.options.bootstrap_resamples = 0;
  Document doc;
  AddExperimentsSection(&inputs, &doc);
  AddBeyondSection(&inputs, &doc);
  for (const std::string& p : inputs.problems) ADD_FAILURE() << p;
  return RenderMarkdown(doc);
}

TEST(BeyondSectionTest, TablesTwelveAndThirteenAndFigureSixFromTheCommittedFiles) {
  const std::string md = Render(WriteFilterResults("with_code", true));
  // The experiments section now summarises the filter experiment (its arms from the manifest).
  EXPECT_NE(md.find("### filter_perplexity (smoke scale): 4 of 4 runs complete"), std::string::npos) << md;
  EXPECT_NE(md.find("top25 (4.00)"), std::string::npos) << "the runs table names each arm: " << md;
  // Table 12: sizes and shares of the pool, the paper's C4 sizes beside.
  EXPECT_NE(md.find("Table 12 analogue"), std::string::npos) << md;
  EXPECT_NE(md.find("| filter_perplexity | top25 | 10 | 1.02K | 12.5% | 44.0B | 25% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| filter_perplexity | all | 40 | 8.19K | 100.0% | 178B | 100% |"), std::string::npos) << md;
  // Table 13: whole validation 5.4 vs 4.9 (+10.20%), high-quality 4.0 vs 4.6 (-13.04%); one
  // seed per arm, so no noise estimate and nothing in bold.
  EXPECT_NE(md.find("Table 13 analogue"), std::string::npos) << md;
  EXPECT_NE(md.find("| top25 | 1.02K | 4.00 | 5.4000 | +10.20% (noise ±0.00%) | 4.0000 | -13.04% (noise ±0.00%) | "
                    "25.3 (+3.1) | 21.0 (+0.1) |"),
            std::string::npos)
      << md;
  // Per source: email_ham (more tokens) first, brown marked as a high-quality source.
  const size_t email = md.find("| email_ham | 25 | 2.30K | 5.0000 | +20.0% | +0.0% | +0.0% |");
  const size_t brown = md.find("| brown * | 5 | 700 | 4.6000 | -13.0% | +0.0% | +0.0% |");
  EXPECT_NE(email, std::string::npos) << md;
  EXPECT_NE(brown, std::string::npos) << md;
  EXPECT_LT(email, brown);
  EXPECT_NE(md.find("![figure6-smoke](figures/figure6-smoke.svg)"), std::string::npos) << md;
  EXPECT_EQ(md.find("No complementary_code results at this model and D"), std::string::npos) << md;
  // §7's claims: without seed replicates the filtering claims are undetermined, and say why.
  const size_t row = md.find("| filter_perplexity | §7, Table 13: the perplexity top 25%");
  ASSERT_NE(row, std::string::npos) << md;
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find("no seed replicates: noise unknown"), std::string::npos) << line;
  EXPECT_NE(line.find("| undetermined |"), std::string::npos) << line;
}

TEST(BeyondSectionTest, WithoutCodeResultsTheFigureSaysSo) {
  const std::string md = Render(WriteFilterResults("without_code", false));
  EXPECT_NE(md.find("No complementary_code results at this model and D"), std::string::npos) << md;
}

TEST(BeyondSectionTest, SaysPlainlyWhenNoFilterResultsAreCommitted) {
  const std::string md = Render(std::string(std::getenv("TEST_TMPDIR")) + "/nothing");
  EXPECT_NE(md.find("No filter experiment results are committed"), std::string::npos) << md;
}

TEST(BeyondSectionTest, AFilterExperimentWithoutItsPoolsManifestIsNotSummarised) {
  const std::string results = WriteFilterResults("no_manifest", false);
  fs::remove(results + "/smoke/filter_perplexity/" + std::string(records::kPoolsFile));
  const std::string md = Render(results);
  EXPECT_EQ(md.find("### filter_perplexity (smoke scale)"), std::string::npos) << md;
  EXPECT_NE(md.find("No filter experiment results are committed"), std::string::npos) << md;
}

// A hand-made comparison: all (3 seeds) and one filtered arm with the given changes.
experiments::ExperimentSummary Filtered(const std::string& arm, double quality_change, double full_change,
                                        double allowed) {
  experiments::ExperimentSummary s;
  s.set_kind("data_filtering");
  auto* f = s.mutable_filters();
  f->add_quality_sources("brown");
  auto* all = f->add_arms();
  all->set_filter("all");
  for (auto* m : {all->mutable_quality_loss(), all->mutable_full_loss()}) {
    m->set_n(3);
    m->set_mean(4.0);
  }
  auto* a = f->add_arms();
  a->set_filter(arm);
  a->mutable_quality_loss()->set_n(1);
  a->mutable_quality_loss()->set_mean(4.0 * (1 + quality_change));
  a->mutable_full_loss()->set_n(1);
  a->mutable_full_loss()->set_mean(4.0 * (1 + full_change));
  a->set_quality_change(quality_change);
  a->set_full_change(full_change);
  a->set_quality_allowed(allowed);
  a->set_full_allowed(allowed);
  return s;
}

std::vector<Verdict> Verdicts(const experiments::ExperimentSummary& s) {
  std::vector<Verdict> v;
  for (const ClaimCheck& c : CheckClaims(s)) v.push_back(c.verdict);
  return v;
}

TEST(FilterClaimsTest, PerplexityFilteringMustWinBeyondTheNoise) {
  // High-quality subset -5% (beyond 1%): holds; whole validation +5%: does not hold.
  EXPECT_EQ(Verdicts(Filtered("top25", -0.05, 0.05, 0.01)),
            (std::vector<Verdict>{Verdict::kHolds, Verdict::kDoesNotHold}));
  // Within the noise either way: undetermined.
  EXPECT_EQ(Verdicts(Filtered("top25", -0.005, 0.005, 0.01)),
            (std::vector<Verdict>{Verdict::kUndetermined, Verdict::kUndetermined}));
  // No noise estimate: undetermined, however large the change.
  EXPECT_EQ(Verdicts(Filtered("top25", -0.05, 0.05, 0)),
            (std::vector<Verdict>{Verdict::kUndetermined, Verdict::kUndetermined}));
  const std::vector<ClaimCheck> c = CheckClaims(Filtered("top25", -0.05, 0.05, 0.01));
  EXPECT_NE(c[0].claim.find("high-quality validation subset (brown)"), std::string::npos) << c[0].claim;
  EXPECT_NE(c[0].evidence.find("top25 -5.00% (3.8000 vs 4.0000, n = 1 / 3); noise ±1.00%"), std::string::npos)
      << c[0].evidence;
  EXPECT_NE(c[1].claim.find("whole validation set"), std::string::npos) << c[1].claim;
}

TEST(FilterClaimsTest, DeduplicationMustNotWinBeyondTheNoise) {
  EXPECT_EQ(Verdicts(Filtered("dedup_document", -0.05, 0.005, 0.01)),
            (std::vector<Verdict>{Verdict::kDoesNotHold, Verdict::kHolds}));
  EXPECT_EQ(Verdicts(Filtered("dedup_document", 0.03, -0.005, 0.01)),
            (std::vector<Verdict>{Verdict::kHolds, Verdict::kHolds}));
  // Other arms carry no claim of the paper's.
  EXPECT_TRUE(Verdicts(Filtered("dedup_span", -0.05, -0.05, 0.01)).empty());
}

}  // namespace
}  // namespace datawall::reports
