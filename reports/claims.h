// The paper's qualitative claims, checked against one experiment summary of ours
// (experiments/analysis/summary.h): each claim gets the numbers it rests on and a verdict.
//
// Verdict rules (stated in the report next to every verdict):
//  * "repeating up to 4 epochs is almost as good as unique data" (RETURN_ISOFLOP, 4 vs 1 epoch
//    at equal compute): holds when the loss rises by at most kNegligibleChange plus twice the
//    combined seed noise (std of the two means), else does not hold;
//  * "at ~40+ epochs repetition is close to worthless, and the fitted law underestimates those
//    losses" (RETURN_ISOFLOP, the largest epoch count >= 40): holds when the measured rise
//    exceeds the fitted law's predicted rise by more than twice the seed noise, does not hold
//    when it falls short by more than that, undetermined in between;
//  * "extra epochs on the same model still lower the loss at 4 epochs" (ALLOCATION, 4 vs 1
//    epoch, same model): holds when the 4-epoch loss is lower;
//  * "excess parameters decay faster than repeated data, R_N* < R_D*" (a fitted law with
//    intervals): holds when R_N*'s interval lies below R_D*'s, does not hold when above,
//    undetermined when they overlap;
//  * "up to 50% code does not hurt" (CODE_MIXING, natural-language validation loss, fractions
//    <= 0.5): holds when the loss rises by at most kNegligibleChange plus twice the noise;
//  * "filling up to 50% with code is about as good as repeating natural language" (CODE_MIXING
//    with a repeat arm, Figure 6): the summary's code_repeat_claim (holds when, at every code
//    fraction <= 0.5, the loss with code is at most 1% plus twice the seed noise above the loss
//    of repeating the same natural-language budget to the same D);
//  * "the perplexity top 25%, repeated, beats all the data" (DATA_FILTERING, Table 13) and
//    "deduplication does not beat all the data" (Table 14), each on the high-quality
//    validation subset and on the whole validation set: the first holds when the top-25% arm's
//    loss is lower than the unfiltered arm's by more than twice the seed noise, does not hold
//    when higher by more, undetermined in between; the second holds unless the document-dedup
//    arm's loss is lower by more than that; both undetermined without seed replicates.
// A claim without the runs it needs is "not measured". Not here: the sections around the
// claims tables (experiments, §7), the summary itself (experiments/).
#ifndef DATAWALL_REPORTS_CLAIMS_H_
#define DATAWALL_REPORTS_CLAIMS_H_

#include <string>
#include <utility>
#include <vector>

#include "experiments/analysis/summary.pb.h"
#include "reports/document.h"

namespace datawall::reports {

// Relative loss change counted as negligible (1%), before seed noise is added.
inline constexpr double kNegligibleChange = 0.01;

enum class Verdict { kHolds, kDoesNotHold, kUndetermined, kNotMeasured };
const char* VerdictName(Verdict v);  // "holds", "does not hold", ...

struct ClaimCheck {
  std::string claim;     // the paper's claim, one line, with its section
  std::string evidence;  // the numbers, e.g. "+0.42% (2.8410 vs 2.8291, 2 seeds each)"
  std::string rule;      // the rule applied, one line
  Verdict verdict = Verdict::kNotMeasured;
};

std::vector<ClaimCheck> CheckClaims(const experiments::ExperimentSummary& summary);

// The report's table of checked claims: one row per (where, claim) — where (e.g. "filter_dedup
// (cpu)"), the claim, our numbers, the rule and the verdict, in bold when decided.
Table ClaimsTable(const std::string& id, const std::string& caption,
                  const std::vector<std::pair<std::string, ClaimCheck>>& claims);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_CLAIMS_H_
