// Section "Paper-scale plans": the paper-scale version of every experiment spec (runs this
// project cannot afford), expanded by experiments/plan/expand.h and annotated by
// its plan library (experiments/plan/plan.h: GPU-hours, and the predicted loss with a bootstrap
// band from our Eq. 14 refit, passed as a law file with its resamples), beside the paper's
// measured loss of the same run where runs.csv has it. Not here: fitting (Table 1 section),
// running anything.
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "experiments/plan/plan.h"
#include "experiments/plan/expand.h"
#include "laws/law_io.h"
#include "reports/experiment_specs.h"
#include "reports/format.h"
#include "reports/measured_runs.h"
#include "reports/sections.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

namespace datawall::reports {
namespace {

// Writes our fitted law with its bootstrap resamples as a law file (laws/law_io.h) in a fresh
// temporary directory; returns its path, or "" (and records the problem).
std::string WriteFittedLawFile(ReportInputs* inputs, std::string* tmp_dir) {
  if (!inputs->fitted_law) return "";
  laws::proto::Law proto = laws::LawToProto(*inputs->fitted_law, "reports: Eq. 14 refit on runs.csv");
  const int k = inputs->fitted_law->NumCoefficients();
  for (const laws::Law& s : inputs->bootstrap_samples) {
    laws::proto::CoefficientSample* sample = proto.add_bootstrap_sample();
    for (int i = 0; i < k; ++i) sample->add_value(s.coefficients()[i]);
  }
  std::error_code ec;
  std::string dir = std::filesystem::temp_directory_path(ec).string() + "/datawall_law_XXXXXX";
  if (ec || mkdtemp(dir.data()) == nullptr) {
    inputs->problems.push_back("plans: cannot create a temporary directory for the law file");
    return "";
  }
  *tmp_dir = dir;
  const std::string path = dir + "/eq14_refit.law";
  if (const Result r = io::WriteFileAtomically(path, laws::LawToText(proto)); !r.ok()) {
    inputs->problems.push_back("plans: " + r.message());
    return "";
  }
  return path;
}

}  // namespace

void AddPlansSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Paper-scale plans: predictions for runs we cannot afford", "plans");
  std::string tmp_dir;
  const std::string law_path = WriteFittedLawFile(inputs, &tmp_dir);
  doc->Paragraph(absl::StrCat(
      "Every experiment spec in experiments/specs has a \"paper\" scale: the paper's own grid "
      "(2.8B–8.7B-parameter IsoFLOP runs, hundreds of allocation runs), far beyond this "
      "project's compute. The runner's plan library expands each and predicts every run's final "
      "loss with ",
      law_path.empty() ? "the paper's published law (no band: our refit is unavailable)"
                       : absl::StrCat("our Eq. 14 refit and a 95% band over its ",
                                      inputs->bootstrap_samples.size(), " bootstrap resamples"),
      "; GPU-hours assume one H100 at 40% MFU (a yardstick, not the paper's bill). Where the "
      "paper trained the same run, its measured loss is shown: the law is raw (not anchored), "
      "so expect the 1-epoch offsets seen in the Returns section."));
  plan::PlanOptions po;
  po.law_path = law_path;
  po.point_from_paper = false;  // point and band from the same refit
  plan::PlanOptions paper_po;     // the paper's law, no band, for the detail tables
  const std::vector<LoadedSpec> specs =
      LoadExperimentSpecs(paths::WorkspaceRoot() + "/experiments/specs");
  Table overview;
  overview.id = "plans-overview";
  overview.caption = "Paper-scale plans: cost, and the predictions against the paper's runs";
  overview.header = {"experiment", "runs", "total FLOPs", "GPU-hours (H100, 40% MFU)",
                     "predicted loss range", "runs with a measured loss",
                     "mean |measured − predicted|", "measured inside the 95% band"};
  overview.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight,
                    Align::kRight, Align::kRight, Align::kRight, Align::kRight};
  std::vector<Table> details;
  Plot scatter;
  scatter.title = "Paper-scale runs: the law's prediction vs the paper's measurement";
  scatter.x_label = "measured final test loss (nats/token, runs.csv)";
  scatter.y_label = "predicted loss (nats/token, our Eq. 14 refit)";
  scatter.key = "top left";
  scatter.height = 560;
  scatter.width = 640;
  double max_loss = 0, min_loss = INFINITY;
  for (const LoadedSpec& loaded : specs) {
    absl::StatusOr<experiments::SweepPlan> plan = plan::Expand(loaded.spec, "paper");
    if (!plan.ok()) continue;
    experiments::SweepPlan at_paper = *plan;
    absl::Status s = plan::AnnotatePlan(po, &*plan);
    if (s.ok()) s = plan::AnnotatePlan(paper_po, &at_paper);
    if (!s.ok()) {
      inputs->problems.push_back(absl::StrCat("plan ", loaded.spec.name(), ": ",
                                              std::string(s.message())));
      continue;
    }
    double lo = INFINITY, hi = -INFINITY, abs_err = 0;
    int with_measured = 0, inside = 0;
    Table t;
    t.caption = absl::StrCat(loaded.spec.name(), " at paper scale");
    t.header = {"paper run", "params (Eq. 23)", "tokens D", "unique U", "epochs", "GPU-hours",
                "predicted loss, our refit [95% band]", "paper's constants",
                "paper's measured loss"};
    t.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight, Align::kRight,
               Align::kRight, Align::kRight, Align::kRight, Align::kRight};
    std::set<std::tuple<int64_t, int64_t, int64_t>> shown;  // one detail row per (N, D, U)
    Series points;
    points.title = loaded.spec.name();
    points.style = Series::kPoints;
    points.point_size = 0.7;
    points.color = Palette()[scatter.series.size() % Palette().size()];
    for (int i = 0; i < plan->runs_size(); ++i) {
      const experiments::PlannedRun& r = plan->runs(i);
      lo = std::min(lo, r.predicted_loss());
      hi = std::max(hi, r.predicted_loss());
      std::optional<laws::RunPoint> measured;
      if (inputs->runs && !r.paper_run().empty()) measured = RunByKey(*inputs->runs, r.paper_run());
      if (measured) {
        ++with_measured;
        abs_err += std::fabs(measured->val_loss - r.predicted_loss());
        points.x.push_back(measured->val_loss);
        points.y.push_back(r.predicted_loss());
        max_loss = std::max(max_loss, measured->val_loss);
        min_loss = std::min(min_loss, measured->val_loss);
        if (r.predicted_loss_high() > 0 && measured->val_loss >= r.predicted_loss_low() &&
            measured->val_loss <= r.predicted_loss_high()) {
          ++inside;
        }
      }
      const bool band = r.predicted_loss_high() > 0;
      if (!shown.insert({r.eq23_params(), r.spec().total_tokens(), r.spec().unique_tokens()})
               .second) {
        continue;
      }
      t.rows.push_back(
          {r.paper_run().empty() ? r.spec().name() : r.paper_run(), Count(static_cast<double>(r.eq23_params())),
           Count(static_cast<double>(r.spec().total_tokens())),
           Count(static_cast<double>(r.spec().unique_tokens())), Fixed(r.epochs(), 2),
           absl::StrFormat("%.0f", r.gpu_hours()),
           Fixed(r.predicted_loss(), 4) +
               (band ? " [" + Fixed(r.predicted_loss_low(), 4) + ", " +
                           Fixed(r.predicted_loss_high(), 4) + "]"
                     : ""),
           Fixed(at_paper.runs(i).predicted_loss(), 4),
           measured ? absl::StrCat(Fixed(measured->val_loss, 4), " (`", r.paper_run(), "`)")
                    : "–"});
    }
    if (!points.x.empty()) scatter.series.push_back(points);
    overview.rows.push_back(
        {loaded.spec.name(), std::to_string(plan->runs_size()), Sci(plan->total_flops(), 3),
         absl::StrFormat("%.0f", plan->total_gpu_hours()),
         plan->runs_size() > 0 ? Fixed(lo, 3) + " – " + Fixed(hi, 3) : "–",
         std::to_string(with_measured),
         with_measured > 0 ? Fixed(abs_err / with_measured, 4) : "–",
         with_measured > 0 && !law_path.empty()
             ? absl::StrFormat("%d of %d", inside, with_measured)
             : "–"});
    // Detail tables for the IsoFLOP experiments (one row per distinct run; seeds collapse).
    if (loaded.spec.kind() == experiments::RETURN_ISOFLOP) details.push_back(std::move(t));
  }
  if (!tmp_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir, ec);
  }
  if (overview.rows.empty()) {
    doc->Note("No experiment spec with a paper scale was found under experiments/specs.");
    return;
  }
  overview.note = "Plans: experiments/plan (expansion of each spec's paper scale; GPU-hours = "
                  "6 N D / (0.40 × 989e12 FLOP/s) / 3600). Measured: runs.csv, matched by the "
                  "plan's paper_run. Seeds expand to separate runs, so replicated runs count once "
                  "per seed.";
  doc->AddTable(overview);
  if (!scatter.series.empty()) {
    Series diagonal;
    diagonal.title = "prediction = measurement";
    diagonal.style = Series::kDashed;
    diagonal.color = "#777777";
    diagonal.line_width = 1.2;
    diagonal.x = {min_loss, max_loss};
    diagonal.y = {min_loss, max_loss};
    scatter.series.push_back(diagonal);
    scatter.x_range = scatter.y_range =
        std::make_pair(std::floor(min_loss), std::ceil(max_loss));
    AddPlot(inputs, doc, "plans-scatter", scatter,
            "Every paper-scale planned run the paper actually trained: our refit's raw prediction "
            "against the measured final loss. Points below the diagonal are runs the law thinks "
            "easier than they were; the law's a, b, e come from Chinchilla's data, so the offset "
            "grows for small models and for heavily repeated data.");
  }
  for (Table& t : details) doc->AddTable(std::move(t));
}

}  // namespace datawall::reports
