// Section "Headline numbers": the paper's quantitative claims about its own runs, recomputed
// from the released losses (runs.csv) and set beside the published figures (§5, §6, Figures 1
// and 3; paper/paper.h holds those the code also computes with).
// Not here: anything from a law (the other sections), our own experiments.
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "paper/paper.h"
#include "reports/format.h"
#include "reports/measured_runs.h"
#include "reports/sections.h"

namespace datawall::reports {
namespace {

double LossOf(const laws::RunTable& t, const std::string& key) {
  const auto r = RunByKey(t, key);
  return r ? r->val_loss : std::numeric_limits<double>::quiet_NaN();
}

std::string Change(double a, double b) {
  return std::isfinite(a) && std::isfinite(b) ? Signed(100 * (a / b - 1), 2) + "%" : "n/a";
}

}  // namespace

void AddHeadlineSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "The paper's headline numbers, recomputed from its runs", "headline");
  if (!inputs->runs) {
    doc->Note("runs.csv is missing: the headline numbers cannot be recomputed.");
    return;
  }
  const laws::RunTable& t = *inputs->runs;
  Table h;
  h.id = "headline";
  h.caption = "Claims about the paper's own runs: published vs recomputed from runs.csv";
  h.header = {"claim (paper section)", "paper", "recomputed from runs.csv", "runs used"};
  h.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft};
  h.rows.push_back({"4 epochs at equal compute cost almost nothing (§6, 8.7B / 178B)",
                    absl::StrFormat("+%.1f%%", 100 * paper::kFourEpochChangeAsPrinted),
                    Change(LossOf(t, "8b7178b44b"), LossOf(t, "8b7178b178b")),
                    "`8b7178b44b` vs `8b7178b178b`"});
  h.rows.push_back({"same, 4.2B / 84B and 2.8B / 55B (§6)", "–",
                    Change(LossOf(t, "4b284b21b"), LossOf(t, "4b284b84b")) + " / " +
                        Change(LossOf(t, "2b855b14b"), LossOf(t, "2b855b55b")),
                    "`4b284b21b`, `2b855b14b` vs their 1-epoch runs"});
  h.rows.push_back({"~44 epochs at equal compute is far worse (§6, Figure 5)", "–",
                    Change(LossOf(t, "4b284b1b9"), LossOf(t, "4b284b84b")) + " / " +
                        Change(LossOf(t, "2b855b1b25"), LossOf(t, "2b855b55b")),
                    "`4b284b1b9`, `2b855b1b25` (4.2B / 2.8B)"});
  const paper::TrainedRun& optimal = paper::kFigure1RightOptimalRun;
  const paper::TrainedRun& chinchilla = paper::kFigure1RightChinchillaRun;
  const double opt = LossOf(t, std::string(optimal.key));
  const double chin = LossOf(t, std::string(chinchilla.key));
  h.rows.push_back({"9.3e21 FLOPs, 25B unique: the data-constrained optimum beats the "
                    "Chinchilla-style run with 27% fewer parameters (§5, Figure 1 right)",
                    absl::StrFormat("%.3f vs %.3f", optimal.loss, chinchilla.loss),
                    absl::StrFormat("%.4f vs %.4f (%s); 6.355B / 8.67B = %.3f", opt, chin,
                                    Change(opt, chin), optimal.params / chinchilla.params),
                    "`8b7178b25bopt`, `8b7178b25b`"});
  // 100M unique tokens: lowest loss, the one-epoch compute-optimal run, the run count.
  const std::vector<laws::RunPoint> u100 = BaseRuns(t, std::nullopt, std::nullopt, 100e6);
  const laws::RunPoint* best = nullptr;
  for (const auto& r : u100) {
    if (best == nullptr || r.val_loss < best->val_loss) best = &r;
  }
  if (best != nullptr) {
    h.rows.push_back({"lowest loss with 100M unique tokens (§5, Figure 3)",
                      absl::StrFormat("%.2f (%s params, %g epochs)", paper::kFigure3LowestLoss,
                                      Count(paper::kFigure3LowestLossParams),
                                      paper::kFigure3LowestLossEpochs),
                      absl::StrFormat("%.4f (%s params, %.0f epochs)", best->val_loss,
                                      Count(best->params), best->tokens / best->unique_tokens),
                      "`" + best->key + "`"});
  }
  h.rows.push_back({"one-epoch compute-optimal model for 100M unique tokens (§5, Figure 3 star)",
                    absl::StrFormat("loss %.2f", paper::kFigure3OneEpochOptimumLoss),
                    Fixed(LossOf(t, "7m100m100m"), 4), "`7m100m100m`"});
  int n100 = 0, n400 = 0, n1b5 = 0;
  for (const auto& r : t.runs()) {
    n100 += r.unique_tokens == 100e6;
    n400 += r.unique_tokens == 400e6;
    n1b5 += r.unique_tokens == 1.5e9;
  }
  h.rows.push_back({"models trained on 100M / 400M / 1.5B unique tokens (§5, Figures 3, 8)",
                    absl::StrFormat("%d / %d / %d", paper::kModelsOn100MUnique,
                                    paper::kModelsOn400MUnique, paper::kModelsOn1B5Unique),
                    absl::StrFormat("%d / %d / %d", n100, n400, n1b5),
                    "all 296 rows"});
  h.note = "Paper figures: §5, §6, Figures 1 and 3. Changes are final test loss ratios minus 1. "
           "The data-constrained optimum's size is from the paper's Table 8 (runs.csv mis-parses "
           "its name).";
  doc->AddTable(h);
}

}  // namespace datawall::reports
