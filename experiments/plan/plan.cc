// Plans: cost and predictions of a sweep (see plan.h).
#include "experiments/records/message_json.h"
#include "experiments/plan/plan.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/law.h"
#include "laws/law_io.h"
#include "paper/paper.h"
#include "sim/predict.h"

namespace datawall::plan {

bool PlanOptions::IsValid(std::string* error) const {
  if (!(mfu > 0 && mfu <= 1)) return *error = "--mfu: must be in (0, 1]", false;
  if (!(gpu_peak_flops > 0)) return *error = "--gpu_peak_flops: must be positive", false;
  if (!(confidence > 0 && confidence < 1)) return *error = "--confidence: must be in (0, 1)", false;
  return true;
}

absl::Status AnnotatePlan(const PlanOptions& options, experiments::SweepPlan* plan) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  laws::Law law = laws::PaperLaw();
  std::vector<laws::Law> samples;
  std::string source = absl::StrFormat(
      "the paper's law (App. A/B: a %.8g, b %.8g, e %.8g, alpha = beta %.8g, R_D* %.8g, "
      "R_N* %.8g), no band",
      paper::kLogA, paper::kLogB, paper::kLogE, paper::kAlpha, paper::kRdStar, paper::kRnStar);
  if (!options.law_path.empty()) {
    absl::StatusOr<laws::LawWithSamples> loaded = laws::ReadLawFileWithSamples(options.law_path);
    if (!loaded.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--law: ", loaded.status().message()));
    }
    samples = loaded->samples;
    if (options.point_from_paper) {
      source = absl::StrCat("the paper's law (App. A/B); band from the ", samples.size(),
                            " bootstrap samples in ", options.law_path);
    } else {
      law = loaded->law;
      source = absl::StrCat(options.law_path, " (", samples.size(), " bootstrap samples)");
    }
  }
  sim::PredictOptions predict_options;
  predict_options.confidence = options.confidence;
  double seconds = 0, gpu_hours = 0;
  for (experiments::PlannedRun& run : *plan->mutable_runs()) {
    run.set_estimated_seconds(options.throughput.Seconds(run.params(), run.spec().total_tokens()));
    run.set_gpu_hours(run.flops() / (options.mfu * options.gpu_peak_flops) / 3600);
    seconds += run.estimated_seconds();
    gpu_hours += run.gpu_hours();
    if (!options.predict) continue;
    absl::StatusOr<sim::Prediction> p =
        sim::Predict(law, run.eq23_params(), run.spec().total_tokens(), run.spec().unique_tokens(),
                     samples, predict_options);
    if (!p.ok()) return absl::InternalError(absl::StrCat(run.spec().name(), ": ", p.status().message()));
    run.set_predicted_loss(p->loss);
    if (p->bootstrap_samples > 0) {
      run.set_predicted_loss_low(p->loss_low);
      run.set_predicted_loss_high(p->loss_high);
    }
  }
  plan->set_estimated_seconds(seconds);
  plan->set_total_gpu_hours(gpu_hours);
  plan->set_mfu(options.mfu);
  plan->set_gpu_peak_flops(options.gpu_peak_flops);
  plan->set_throughput_model(options.throughput.Describe());
  if (options.predict) {
    plan->set_law_source(source);
    plan->set_bootstrap_samples(static_cast<int>(samples.size()));
    plan->set_confidence(samples.empty() ? 0 : options.confidence);
  }
  return absl::OkStatus();
}

std::string PlanText(const experiments::SweepPlan& plan, bool gpu_columns) {
  std::string out = absl::StrFormat("%s at scale %s: %d runs, %.4g FLOPs in total\n",
                                    plan.experiment(), plan.scale(), plan.runs_size(),
                                    plan.total_flops());
  absl::StrAppend(&out, absl::StrFormat("  %-16s %-14s %12s %14s %14s %8s %5s %4s %10s %10s",
                                        "hash", "run", "params", "tokens", "unique", "epochs",
                                        "code%", "seed", "flops", "est_time"));
  if (gpu_columns) absl::StrAppend(&out, absl::StrFormat(" %10s %9s %19s", "gpu_hours", "pred_loss", "band"));
  absl::StrAppend(&out, "\n");
  for (const experiments::PlannedRun& r : plan.runs()) {
    absl::StrAppend(&out, absl::StrFormat("  %-16s %-14s %12d %14d %14d %8.3g %5.0f %4d %10.3g %10s",
                                          r.hash(), r.paper_run().empty() ? "-" : r.paper_run(),
                                          r.params(), r.spec().total_tokens(),
                                          r.spec().unique_tokens(), r.epochs(),
                                          r.code_fraction() * 100, r.spec().seed(), r.flops(),
                                          FormatDuration(r.estimated_seconds())));
    if (gpu_columns) {
      absl::StrAppend(&out, absl::StrFormat(" %10.4g %9s %19s", r.gpu_hours(),
                                            r.predicted_loss() > 0 ? absl::StrFormat("%.4f", r.predicted_loss()) : "-",
                                            r.predicted_loss_high() > 0
                                                ? absl::StrFormat("[%.4f, %.4f]", r.predicted_loss_low(),
                                                                  r.predicted_loss_high())
                                                : "-"));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, absl::StrFormat("total: %.4g FLOPs; estimated time, one worker: %s (%s)\n",
                                        plan.total_flops(), FormatDuration(plan.estimated_seconds()),
                                        plan.throughput_model()));
  if (gpu_columns) {
    absl::StrAppend(&out, absl::StrFormat("GPU: %.4g GPU-hours at %.0f%% MFU of %.4g FLOP/s per GPU\n",
                                          plan.total_gpu_hours(), plan.mfu() * 100, plan.gpu_peak_flops()));
    if (!plan.law_source().empty()) {
      absl::StrAppend(&out, "predicted loss: ", plan.law_source());
      if (plan.bootstrap_samples() > 0) {
        absl::StrAppend(&out, absl::StrFormat("; band = %g%% bootstrap percentile interval", plan.confidence() * 100));
      }
      absl::StrAppend(&out, "; N = the paper's Eq. 23 count\n");
    }
  }
  return out;
}

absl::StatusOr<std::string> PlanJson(const experiments::SweepPlan& plan) { return records::MessageJson(plan); }

}  // namespace datawall::plan
