// Section "Contours": Figure 3 (right) — iso-loss contours of the law over (epochs, parameters)
// for 100M unique tokens, the efficient frontier through them (exact, sim/frontier.h), and the
// paper's measured 100M-unique runs. Not here: the frontier computation itself.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "paper/paper.h"
#include "reports/format.h"
#include "reports/measured_runs.h"
#include "reports/sections.h"
#include "sim/allocate.h"
#include "sim/frontier.h"

namespace datawall::reports {

void AddContoursSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Contours and the efficient frontier (Figure 3)", "contours");
  const double u = 100e6;
  const laws::Law& law = inputs->paper_law;
  sim::FrontierOptions fo;
  fo.min_params = 3.5e6;
  fo.max_params = 1e9;
  fo.min_epochs = 1;
  fo.max_epochs = 1000;
  fo.contour_points = 60;
  fo.path_points = 60;
  // Levels spanning the box: above the floor this budget can never go below (sim::LossFloor).
  const double floor = sim::LossFloor(law, u);
  for (const double level : {3.95, 4.0, 4.1, 4.25, 4.5, 4.75, 5.0, 5.5, 6.0, 7.0}) {
    if (level > floor + 0.01) fo.loss_levels.push_back(level);
  }
  absl::StatusOr<sim::Frontier> f = sim::ComputeFrontier(law, u, fo);
  if (!f.ok()) {
    inputs->problems.push_back(absl::StrCat("Figure 3: ", std::string(f.status().message())));
    doc->Note(absl::StrCat("The frontier could not be computed: ",
                           std::string(f.status().message())));
    return;
  }
  Plot p;
  p.title = "Figure 3 (right): 100M unique tokens";
  p.x_label = "epochs (D / U; log scale)";
  p.y_label = "parameters N (count; log scale)";
  p.log_x = p.log_y = true;
  p.x_range = std::make_pair(1.0, 1000.0);
  p.y_range = std::make_pair(fo.min_params, fo.max_params);
  p.key = "outside right top vertical";
  p.width = 940;
  for (size_t li = 0; li < f->loss_levels.size(); ++li) {
    Series s;
    s.title = li == 0 ? "iso-loss contours (law)" : "";
    s.color = "#8FA8CC";
    s.line_width = 1.2;
    double lx = NAN, ly = NAN;
    for (const sim::ContourPoint& c : f->contours) {
      if (c.loss_level != f->loss_levels[li]) continue;
      s.x.push_back(c.epochs);
      s.y.push_back(c.params);
      if (!std::isfinite(lx) && c.epochs >= 1.3) {
        lx = c.epochs;
        ly = c.params;
      }
    }
    if (std::isfinite(lx)) {
      p.labels.push_back({lx, ly, absl::StrFormat("%.2f", f->loss_levels[li])});
    }
    p.series.push_back(s);
  }
  Series frontier, chinchilla;
  frontier.title = "efficient frontier (exact optimum per budget)";
  frontier.color = "#D55E00";
  frontier.line_width = 2.5;
  chinchilla.title = "Chinchilla allocation";
  chinchilla.style = Series::kDashed;
  chinchilla.color = "#009E73";
  for (const sim::PathPoint& pp : f->path) {
    if (pp.epochs >= 1) {
      frontier.x.push_back(pp.epochs);
      frontier.y.push_back(pp.params);
    }
    if (pp.chinchilla_epochs >= 1) {
      chinchilla.x.push_back(pp.chinchilla_epochs);
      chinchilla.y.push_back(pp.chinchilla_params);
    }
  }
  p.series.push_back(frontier);
  p.series.push_back(chinchilla);
  std::string best_text;
  if (inputs->runs) {
    Series measured;
    measured.title = "trained runs, 100M unique (runs.csv)";
    measured.style = Series::kPoints;
    measured.point_type = 7;
    measured.point_size = 0.6;
    measured.color = "#333333";
    std::vector<laws::RunPoint> runs = BaseRuns(*inputs->runs, std::nullopt, std::nullopt, u);
    const laws::RunPoint* best = nullptr;
    for (const laws::RunPoint& r : runs) {
      measured.x.push_back(r.tokens / r.unique_tokens);
      measured.y.push_back(r.params);
      if (best == nullptr || r.val_loss < best->val_loss) best = &r;
    }
    p.series.push_back(measured);
    if (best != nullptr) {
      Series star;
      star.title = absl::StrFormat("lowest measured loss %.2f (%s)", best->val_loss, best->key);
      star.style = Series::kPoints;
      star.point_type = 3;
      star.point_size = 2.4;
      star.color = "#000000";
      star.x = {best->tokens / best->unique_tokens};
      star.y = {best->params};
      p.series.push_back(star);
      best_text = absl::StrFormat(
          " The paper's lowest measured loss on 100M unique tokens is %.4f (`%s`: %s params, "
          "%.0f epochs; paper: %.2f at %s params, %g epochs); %d runs with 100M unique tokens "
          "are plotted.",
          best->val_loss, best->key, Count(best->params), best->tokens / best->unique_tokens,
          paper::kFigure3LowestLoss, Count(paper::kFigure3LowestLossParams),
          paper::kFigure3LowestLossEpochs, static_cast<int>(runs.size()));
    }
  }
  AddPlot(inputs, doc, "fig3-right", p,
          absl::StrFormat("Iso-loss contours (labelled with the loss, nats/token) of the "
                          "data-constrained law (paper's constants) for 100M unique tokens, "
                          "whose loss can never fall below %.3f,", floor) + " with the exact efficient frontier (sim) and Chinchilla's allocation; dots are "
          "the paper's trained runs." + best_text);
}

}  // namespace datawall::reports
