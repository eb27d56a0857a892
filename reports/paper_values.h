// The paper's published numbers that the report prints beside our recomputed ones, in a column
// labelled "paper". Every value is transcribed from ../shared/paper/REFERENCE.md (section given
// per item); none of them is used to compute anything the report presents as ours, except that
// the "at the paper's constants" columns evaluate the law AT these constants on the released
// runs (that is the point of those columns).
// Not here: any computation (table1.h, allocation_section.cc, ...).
#ifndef DATAWALL_REPORTS_PAPER_VALUES_H_
#define DATAWALL_REPORTS_PAPER_VALUES_H_

#include <array>
#include <string>
#include <vector>

#include "laws/forms.h"
#include "laws/law.h"

namespace datawall::reports::paper {

// One row of the paper's Table 1 (REFERENCE.md section 3, Table 1; full-precision constants from
// section 2.2, the notebook's values).
struct Table1Row {
  std::string label;            // as the paper prints it
  laws::Form form;
  std::vector<std::string> free;  // the decay constants fitted (a, b, e, alpha, beta fixed)
  bool fit_on_all_runs = false;   // Eq. 22 was fitted on all 296 runs; the others on the 182
  // Published decay constants (notebook precision); NaN where the row has none.
  double r_d = 0;   // R_D* (or delta_D for Eq. 10)
  double r_n = 0;   // R_N* (or delta_N for Eq. 10)
  double objective = 0;  // the notebook's minimum; NaN for "no decay"
  double r2_v4 = 0;         // R^2 as printed in v4 / NeurIPS (buggy call); NaN if not printed
  double r2_corrected = 0;  // R^2 after the repository fix (commit 1370131)
  std::string printed_constants;  // the constants exactly as Table 1 prints them
};
const std::vector<Table1Row>& Table1();

// The law of one Table 1 row at the paper's constants (App. B a, b, e, alpha = beta plus the
// row's decay constants).
laws::Law Table1Law(const Table1Row& row);

// App. B / App. A coefficients (REFERENCE.md section 2.1).
inline constexpr double kA = 6.255414, kB = 7.3049974, kE = 0.6254804, kAlpha = 0.3526596;
inline constexpr double kRdStar = 15.387756, kRnStar = 5.309743;

// Allocation examples (REFERENCE.md section 4).
struct AllocationExample {
  std::string name;
  double flops = 0;
  double unique_tokens = 0;
  // A reference configuration the paper compares against (Chinchilla-style / what was trained).
  std::string reference_name;
  double reference_params = 0;
  double reference_tokens = 0;
  // Where the authors' grid search is centred: "chinchilla" (the Eq. 3 point of the budget) or
  // "reference" (Galactica's notebook searches around the configuration that was trained).
  bool grid_around_reference = false;
  // The published optimum.
  double paper_params = 0;
  double paper_tokens = 0;
  double paper_epochs = 0;
  double paper_loss = 0;  // the law's prediction as published (NaN if none)
  std::string source;
};
const std::vector<AllocationExample>& AllocationExamples();

}  // namespace datawall::reports::paper

#endif  // DATAWALL_REPORTS_PAPER_VALUES_H_
