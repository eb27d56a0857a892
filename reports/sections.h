// The report's sections, in the order paper_report.cc calls them. Each appends its headings,
// tables and figures to the document, reading (and, for Table 1, filling) the shared inputs.
// One .cc file per section; none of them writes files (paper_report.cc does).
#ifndef DATAWALL_REPORTS_SECTIONS_H_
#define DATAWALL_REPORTS_SECTIONS_H_

#include "reports/document.h"
#include "reports/report_inputs.h"

namespace datawall::reports {

// The paper's quantitative claims about its own runs, recomputed from runs.csv.
void AddHeadlineSection(ReportInputs* inputs, Document* doc);
// Table 1 regenerated from runs.csv: every variant refitted with the paper's recipe, R^2 at our
// fit and at the paper's constants beside both published R^2 columns, bootstrap CIs, and the
// (R_D*, R_N*) ridge. Fills inputs->fitted_law and inputs->bootstrap_samples (Eq. 14).
void AddTable1Section(ReportInputs* inputs, Document* doc);
// The coefficients (App. A/B) beside our refit, derived constants and the value of repetition.
void AddCoefficientsSection(ReportInputs* inputs, Document* doc);
// The committed law leaderboard (laws/results/leaderboard): forms ranked by held-out
// extrapolation on the released runs, with prediction-interval coverage.
void AddLeaderboardSection(ReportInputs* inputs, Document* doc);
// Allocation examples (Figure 1 right, README, Galactica): exact optimum vs the authors' grid.
void AddAllocationSection(ReportInputs* inputs, Document* doc);
// Return curves: Figure 1 left and Figure 5 (measured IsoFLOP runs beside the law).
void AddReturnsSection(ReportInputs* inputs, Document* doc);
// Figure 3 right: iso-loss contours over (epochs, parameters) for 100M unique tokens with the
// efficient frontier and the measured runs.
void AddContoursSection(ReportInputs* inputs, Document* doc);
// Our own measured experiments beside the law's predictions, and the paper's claims checked.
void AddExperimentsSection(ReportInputs* inputs, Document* doc);
// §7 at our scales: Tables 12-14 analogues, Figure 6's four strategies, §7's claims (from the
// summaries the experiments section leaves in inputs->measured).
void AddBeyondSection(ReportInputs* inputs, Document* doc);
// Paper-scale runs we could not afford: predicted losses with bootstrap CIs.
void AddPlansSection(ReportInputs* inputs, Document* doc);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_SECTIONS_H_
