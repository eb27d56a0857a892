// The paper's Table 1: each parametric-fit variant, its published constants (paper::kTable1 in
// paper/paper.h), and the recipe the paper used to fit it (App. A, Eq. 16; App. F), as
// FitOptions.
//
//   absl::StatusOr<RunTable> runs = ReadReleasedRuns();   // laws/released_runs.h
//   for (const PaperVariant& v : PaperTable1()) {
//     absl::StatusOr<FitSummary> fit = FitPaperVariant(v, *runs);   // our fit, paper's recipe
//     Evaluate(v.paper_law, *PaperVariantR2Runs(v, *runs)).r2;     // the paper's constants
//   }
//
// Every variant holds a, b, e, alpha, beta at the App. B values and fits only its decay
// constants, on the 182 in_fit_set rows (Eq. 22: all 296 rows). This file only describes the
// recipes; fitting is fit.h.
//
// One deliberate difference: the notebook's "only decay N" fit put U_D in the data term of its
// objective while its R^2 used D; our decay_params_only form uses D in both (as the R^2 and the
// paper's text do), so its refit lands elsewhere than the notebook's R_N* = 713.0015.
#ifndef DATAWALL_LAWS_PAPER_FITS_H_
#define DATAWALL_LAWS_PAPER_FITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/fit.h"
#include "laws/run_table.h"

namespace datawall::laws {

struct PaperVariant {
  std::string name;        // short id for command lines: no_decay, decay_params_only, ...
  std::string label;       // the row label of Table 1
  Form form;
  std::string subset;      // the column selecting the runs it is fitted on ("" = every row)
  // The column selecting the runs of its Table 1 R^2: in_fit_set for every row (Eq. 22 is fitted
  // on all 296 runs but its R^2, 0.5110, is on the 182; on all 296 it is -30.82).
  std::string r2_subset = "in_fit_set";
  Law paper_law = PaperLaw();  // the paper's constants (notebook precision)
  double paper_r2 = 0;         // Table 1, R^2 of the later version (4 decimals)
  double paper_objective = 0;  // the fit's printed minimum (NaN where none)
  FitOptions options;          // how the paper fitted it: frozen a, b, e, alpha, beta; its grid
};

// The seven rows of Table 1, in the table's order.
const std::vector<PaperVariant>& PaperTable1();
// The row named `name`, or an error listing the names.
absl::StatusOr<PaperVariant> FindPaperVariant(const std::string& name);

// The runs a variant is fitted on, selected from the full released table.
absl::StatusOr<std::vector<RunPoint>> PaperVariantRuns(const PaperVariant& variant,
                                                       const RunTable& all_runs);
// The runs its Table 1 R^2 is computed on.
absl::StatusOr<std::vector<RunPoint>> PaperVariantR2Runs(const PaperVariant& variant,
                                                         const RunTable& all_runs);

// Fits a variant with the paper's recipe (threads over starts). "No decay" has nothing to fit:
// the summary then describes the paper's law itself (zero starts, one minimum).
absl::StatusOr<FitSummary> FitPaperVariant(const PaperVariant& variant, const RunTable& all_runs,
                                           int num_threads = 1);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_PAPER_FITS_H_
