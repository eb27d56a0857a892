// Section "Paper-scale runs": the runs of the paper we cannot afford to train (its IsoFLOP
// families and the Figure 1 data-constrained optimum), predicted by our refitted law with 95%
// bootstrap intervals (sim/predict.h), beside the paper's constants and the paper's measured
// losses. Not here: planning costs (experiments/), fitting (Table 1 section).
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/format.h"
#include "reports/measured_runs.h"
#include "reports/sections.h"
#include "sim/predict.h"

namespace datawall::reports {
namespace {

struct PaperRun {
  const char* what;
  double params, tokens, unique_tokens;
  const char* key;  // released run with its measured loss ("" = none)
};

// Paper §6 IsoFLOP families (REFERENCE.md §5.5) at 1, 4, 14 and 44 epochs, and Figure 1's runs.
constexpr PaperRun kRuns[] = {
    {"9.3e21 IsoFLOP, 1 epoch", 8.67e9, 178e9, 178e9, "8b7178b178b"},
    {"9.3e21 IsoFLOP, 4 epochs", 8.67e9, 178e9, 44e9, "8b7178b44b"},
    {"9.3e21 IsoFLOP, 14 epochs", 8.67e9, 178e9, 13e9, "8b7178b13b"},
    {"9.3e21 IsoFLOP, 44 epochs", 8.67e9, 178e9, 4e9, "8b7178b4b"},
    {"9.3e21, 25B unique: Chinchilla-style (7.1 epochs)", 8.67e9, 178e9, 25e9, "8b7178b25b"},
    {"9.3e21, 25B unique: data-constrained optimum (9.7 epochs)", 6.355e9, 241.48e9, 25e9,
     "8b7178b25bopt"},
    {"2.1e21 IsoFLOP, 1 epoch", 4.2465e9, 84e9, 84e9, "4b284b84b"},
    {"2.1e21 IsoFLOP, 4 epochs", 4.2465e9, 84e9, 21e9, "4b284b21b"},
    {"2.1e21 IsoFLOP, 44 epochs", 4.2465e9, 84e9, 1.9e9, "4b284b1b9"},
    {"9.3e20 IsoFLOP, 1 epoch", 2.81e9, 55e9, 55e9, "2b855b55b"},
    {"9.3e20 IsoFLOP, 4 epochs", 2.81e9, 55e9, 14e9, "2b855b14b"},
    {"9.3e20 IsoFLOP, 44 epochs", 2.81e9, 55e9, 1.25e9, "2b855b1b25"},
};

}  // namespace

void AddPlansSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Paper-scale runs we cannot afford: predictions", "plans");
  doc->Paragraph(
      "These are the paper's largest runs (2.8B–8.7B parameters, 1e21–1e22 FLOPs), far beyond "
      "this project's compute. The table gives what our refitted law predicts for each, with a "
      "95% bootstrap interval over the refit, beside the prediction at the paper's constants and "
      "the loss the paper measured. The runner's plan library (experiments/) will add the "
      "planned costs of our own paper-scale specs here once it lands.");
  if (!inputs->fitted_law) {
    doc->Note("Our Eq. 14 fit is not available (runs.csv missing or the fit failed): only the "
              "paper's constants are used below.");
  }
  Table t;
  t.id = "paper-scale-predictions";
  t.caption = "Predicted final loss (nats/token) of paper-scale runs";
  t.header = {"run", "params", "tokens", "unique", "our fit [95% CI]", "paper's constants",
              "measured (paper)", "measured − ours"};
  t.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight,
             Align::kRight, Align::kRight, Align::kRight, Align::kRight};
  for (const PaperRun& r : kRuns) {
    absl::StatusOr<sim::Prediction> at_paper =
        sim::Predict(inputs->paper_law, r.params, r.tokens, r.unique_tokens);
    if (!at_paper.ok()) {
      inputs->problems.push_back(absl::StrCat("prediction ", r.what, ": ",
                                              std::string(at_paper.status().message())));
      continue;
    }
    std::string ours = "–";
    double ours_loss = NAN;
    if (inputs->fitted_law) {
      absl::StatusOr<sim::Prediction> p = sim::Predict(
          *inputs->fitted_law, r.params, r.tokens, r.unique_tokens, inputs->bootstrap_samples);
      if (p.ok()) {
        ours_loss = p->loss;
        ours = Fixed(p->loss, 4);
        if (p->bootstrap_samples > 0) {
          ours += " [" + Fixed(p->loss_low, 4) + ", " + Fixed(p->loss_high, 4) + "]";
        }
      }
    }
    std::optional<laws::RunPoint> measured;
    if (inputs->runs) measured = RunByKey(*inputs->runs, r.key);
    t.rows.push_back({r.what, Count(r.params), Count(r.tokens), Count(r.unique_tokens), ours,
                      Fixed(at_paper->loss, 4),
                      measured ? absl::StrCat(Fixed(measured->val_loss, 4), " (`", r.key, "`)")
                               : "–",
                      measured ? Signed(measured->val_loss - ours_loss, 4) : "–"});
  }
  t.note =
      "Runs: paper §5–6 (REFERENCE.md §4, §5.5). The data-constrained optimum's size (6.355B "
      "params, 241.48B tokens) is from REFERENCE.md §7.1 because runs.csv mis-parses its name; "
      "its measured loss is the table's. Measured losses are the paper's final test losses on "
      "C4; the law is anchored to nothing here (raw predictions).";
  doc->AddTable(t);
}

}  // namespace datawall::reports
