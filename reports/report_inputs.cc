// Shared report inputs: option validation and the figure helper (see report_inputs.h).
#include "reports/report_inputs.h"

#include "absl/strings/str_cat.h"

namespace datawall::reports {

bool PaperReportOptions::IsValid(std::string* error) const {
  if (bootstrap_resamples < 0) {
    *error = "bootstrap_resamples must be >= 0";
    return false;
  }
  if (threads < 1) {
    *error = "threads must be >= 1";
    return false;
  }
  if (gnuplot.empty()) {
    *error = "gnuplot must name an executable";
    return false;
  }
  return true;
}

void AddPlot(ReportInputs* inputs, Document* doc, const std::string& id, const Plot& plot,
             const std::string& caption) {
  RenderOptions render;
  render.gnuplot = inputs->options.gnuplot;
  render.id_prefix = id + "-";
  absl::StatusOr<std::string> svg = RenderSvg(plot, render);
  if (!svg.ok()) {
    const std::string problem =
        absl::StrCat("figure ", id, " could not be rendered: ", std::string(svg.status().message()));
    inputs->problems.push_back(problem);
    doc->Note(problem);
    return;
  }
  doc->AddFigure({id, caption, *std::move(svg), "figures/" + id + ".svg"});
}

}  // namespace datawall::reports
