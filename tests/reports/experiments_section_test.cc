// Tests of the report's experiments section and claim checks: synthetic run records written
// where the runner writes them (experiments/results/<scale>/<experiment>/runs/<hash>/
// record.textproto) with the runs.csv the sweep CLI writes beside them are summarised
// (experiments/analysis/summary.h) and rendered with verdicts; the claim rules are checked on
// hand-made summaries.
#include <filesystem>
#include <functional>
#include <fstream>
#include <string>

#include "experiments/plan/expand.h"
#include "experiments/records/records.h"
#include "gtest/gtest.h"
#include "reports/claims.h"
#include "reports/markdown_writer.h"
#include "reports/sections.h"
#include "tests/reports/smoke_records.h"
#include "tools/paths/paths.h"

namespace datawall::reports {
namespace {

// Complete smoke-scale records of `experiment` under TEST_TMPDIR/name; returns that results
// directory.
std::string WriteResults(const std::string& name, const std::string& experiment,
                              const std::function<double(const experiments::PlannedRun&)>& loss) {
  const std::string results = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  WriteSmokeRecords(results, LoadSpec(experiment), loss);
  return results;
}

// return_isoflop_4b2 at smoke scale (1, 4 and 44 epochs) with the given losses.
std::string WriteSmokeResults(const std::string& name, double l1, double l4, double l44) {
  return WriteResults(name, "return_isoflop_4b2", [&](const experiments::PlannedRun& run) {
    const double e = run.epochs();
    return e < 2 ? l1 : (e < 10 ? l4 : l44);
  });
}

std::string Render(const std::string& results) {
  ReportInputs inputs;
  inputs.options.results_dir = results;
  inputs.options.bootstrap_resamples = 0;
  Document doc;
  AddExperimentsSection(&inputs, &doc);
  for (const std::string& p : inputs.problems) ADD_FAILURE() << p;
  return RenderMarkdown(doc);
}

TEST(ExperimentsSectionTest, RendersCommittedRunsAndClaimVerdicts) {
  const std::string md = Render(WriteSmokeResults("good", 5.0, 5.02, 5.6));
  EXPECT_NE(md.find("### return_isoflop_4b2 (smoke scale): 3 of 3 runs complete"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 5.0200 |"), std::string::npos);
  EXPECT_NE(md.find("![exp-return-isoflop-4b2-smoke]"), std::string::npos);
  // 4 epochs: +0.40% <= 1% -> holds. 44 epochs: no law fitted on 3 runs -> undetermined.
  EXPECT_NE(md.find("+0.40% (5.0200 at 4 epochs vs 5.0000 at 1; n = 1 / 1); allowed +1.00%"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| **holds** |"), std::string::npos);
  EXPECT_NE(md.find("| undetermined |"), std::string::npos);
  EXPECT_EQ(md.find("No experiment results are committed yet"), std::string::npos);
}

TEST(ExperimentsSectionTest, AFourEpochPenaltyIsReportedAsNotHolding) {
  const std::string md = Render(WriteSmokeResults("bad", 5.0, 5.2, 5.6));
  EXPECT_NE(md.find("+4.00% (5.2000 at 4 epochs"), std::string::npos) << md;
  EXPECT_NE(md.find("| **does not hold** |"), std::string::npos);
}

// Smoke-scale complementary_code records (0, 50, 90% code and the repeat arm at 50% and 90%)
// with the given natural-language losses; returns the results directory.
std::string WriteCodeResults(const std::string& name, double code50, double repeat50) {
  return WriteResults(name, "complementary_code", [&](const experiments::PlannedRun& run) {
    if (run.repeat_arm()) return run.repeat_of_code_fraction() < 0.6 ? repeat50 : 5.3;
    if (run.code_fraction() > 0) return run.code_fraction() < 0.6 ? code50 : 5.5;
    return 5.0;  // 0% code
  });
}

TEST(ExperimentsSectionTest, CodeVsRepeatTableAndClaim) {
  // 50%: 5.0400 with code vs 5.0200 repeating 2,048 tokens twice: +0.40% <= 1% -> holds.
  const std::string md = Render(WriteCodeResults("code_good", 5.04, 5.02));
  EXPECT_NE(md.find("### complementary_code (smoke scale): 5 of 5 runs complete"), std::string::npos) << md;
  EXPECT_NE(md.find("Fill with code vs repeat natural language"), std::string::npos) << md;
  EXPECT_NE(md.find("| 50% | 2.05K | 2 | 5.0400 (n = 1) | 5.0200 (n = 1) | +0.40% | ±1.00% | about equal |"),
            std::string::npos)
      << md;
  // 90%: 5.5 with code vs 5.3 repeating 410 tokens ~10 times: +3.77%, outside the claim's 50%.
  EXPECT_NE(md.find("| 90% | 410 | 9.99 | 5.5000 (n = 1) | 5.3000 (n = 1) | +3.77% | ±1.00% | repeat better |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("0 (repeat arm, 2 ep)"), std::string::npos);
  EXPECT_NE(md.find("§7, Figure 6: filling up to 50% of the budget with code is about as good as "
                    "repeating the natural language"),
            std::string::npos);
  EXPECT_NE(md.find("50%: +0.40% (5.0400 vs 5.0200, n = 1 / 1; allowed +1.00%)"), std::string::npos) << md;
  const size_t row = md.find("| complementary_code (smoke) | §7, Figure 6");
  ASSERT_NE(row, std::string::npos);
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find("| **holds** |"), std::string::npos) << line;
}

TEST(ExperimentsSectionTest, CodeWorseThanRepeatingIsReportedAsNotHolding) {
  // 50%: 5.2 with code vs 5.02 repeating: +3.59% > 1% -> does not hold.
  const std::string md = Render(WriteCodeResults("code_bad", 5.2, 5.02));
  EXPECT_NE(md.find("| 50% | 2.05K | 2 | 5.2000 (n = 1) | 5.0200 (n = 1) | +3.59% | ±1.00% | repeat better |"),
            std::string::npos)
      << md;
  const size_t row = md.find("| complementary_code (smoke) | §7, Figure 6");
  ASSERT_NE(row, std::string::npos);
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find("| **does not hold** |"), std::string::npos) << line;
}

TEST(ExperimentsSectionTest, SaysPlainlyWhenNothingIsCommitted) {
  const std::string md = Render(std::string(std::getenv("TEST_TMPDIR")) + "/nothing");
  EXPECT_NE(md.find("No experiment results are committed yet"), std::string::npos);
}

experiments::ExperimentSummary FittedSummary(double rd, double rd_lo, double rd_hi, double rn,
                                             double rn_lo, double rn_hi) {
  experiments::ExperimentSummary s;
  s.set_kind("allocation");
  s.mutable_fit()->set_status("fitted");
  auto* a = s.mutable_fit()->add_coefficients();
  a->set_name("rd_star");
  a->set_value(rd);
  a->set_lower(rd_lo);
  a->set_upper(rd_hi);
  auto* b = s.mutable_fit()->add_coefficients();
  b->set_name("rn_star");
  b->set_value(rn);
  b->set_lower(rn_lo);
  b->set_upper(rn_hi);
  return s;
}

Verdict DecayVerdict(const experiments::ExperimentSummary& s) {
  for (const ClaimCheck& c : CheckClaims(s)) {
    if (c.claim.find("R_N* < R_D*") != std::string::npos) return c.verdict;
  }
  return Verdict::kNotMeasured;
}

TEST(ClaimsTest, DecayConstantsComparedByInterval) {
  EXPECT_EQ(DecayVerdict(FittedSummary(15, 10, 20, 5, 3, 8)), Verdict::kHolds);
  EXPECT_EQ(DecayVerdict(FittedSummary(5, 3, 8, 15, 10, 20)), Verdict::kDoesNotHold);
  EXPECT_EQ(DecayVerdict(FittedSummary(15, 4, 90, 5, 1, 20)), Verdict::kUndetermined);
  experiments::ExperimentSummary unfitted;
  unfitted.set_kind("allocation");
  unfitted.mutable_fit()->set_status("not fitted: 3 complete runs < 6");
  EXPECT_EQ(DecayVerdict(unfitted), Verdict::kNotMeasured);
}

TEST(ClaimsTest, SeedNoiseWidensTheNegligibleBand) {
  experiments::ExperimentSummary s;
  s.set_kind("return_isoflop");
  auto* c = s.add_checks();
  c->set_epochs(4);
  c->set_loss(5.1);
  c->set_loss_std(0.1);
  c->set_n(4);
  c->set_reference_epochs(1);
  c->set_reference_loss(5.0);
  c->set_reference_std(0.1);
  c->set_reference_n(4);
  c->set_relative_change(0.02);
  // Noise: sqrt(2) * 0.1 / 2 / 5.0 = 1.41%; allowed 1% + 2.83% = 3.83% >= 2%.
  const auto claims = CheckClaims(s);
  ASSERT_FALSE(claims.empty());
  EXPECT_EQ(claims[0].verdict, Verdict::kHolds) << claims[0].evidence;
  EXPECT_NE(claims[0].evidence.find("allowed +3.83%"), std::string::npos) << claims[0].evidence;
}

// The 40-epoch claim: the measured rise must beat the fitted law's by more than the seed noise.
TEST(ClaimsTest, FortyEpochClaimNeedsARiseBeyondTheNoise) {
  auto verdict = [](double measured, double law) {
    experiments::ExperimentSummary s;
    s.set_kind("return_isoflop");
    s.mutable_fit()->set_status("fitted");
    auto* c = s.add_checks();
    c->set_epochs(44);
    c->set_loss(5.0 * (1 + measured));
    c->set_n(1);
    c->set_reference_epochs(1);
    c->set_reference_loss(5.0);
    c->set_reference_std(0.1);
    c->set_reference_n(4);  // noise 0.1 / 2 / 5.0 = 1%: band +/-2%
    c->set_relative_change(measured);
    c->set_fitted_law_relative_change(law);
    for (const ClaimCheck& k : CheckClaims(s)) {
      if (k.claim.find("40+ epochs") != std::string::npos) return k.verdict;
    }
    return Verdict::kNotMeasured;
  };
  EXPECT_EQ(verdict(0.40, 0.30), Verdict::kHolds);
  EXPECT_EQ(verdict(0.5390, 0.5389), Verdict::kUndetermined);  // return_isoflop_4b2's case
  EXPECT_EQ(verdict(0.31, 0.30), Verdict::kUndetermined);
  EXPECT_EQ(verdict(0.20, 0.30), Verdict::kDoesNotHold);
}

}  // namespace
}  // namespace datawall::reports
