// Plans: what a sweep will cost and what the law predicts for it, before anything runs.
//
//   SweepPlan plan = *Expand(spec, "paper");
//   PlanOptions options;                    // H100 at 40% MFU, the paper's law
//   absl::Status s = AnnotatePlan(options, &plan);
//   std::cout << PlanText(plan, /*gpu_columns=*/true);
//
// Per run: time on this machine (throughput model), GPU-hours at a stated MFU and peak, and
// the predicted final loss with a bootstrap band (sim/predict.h; the law file's bootstrap
// samples when it has them, else the paper's law without a band). `--dry_run` of every
// experiment target prints this. Not here: expansion (expand.h), running (experiments/sweep).
#ifndef DATAWALL_EXPERIMENTS_PLAN_PLAN_H_
#define DATAWALL_EXPERIMENTS_PLAN_PLAN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/plan/throughput.h"

namespace datawall::plan {

struct PlanOptions {
  // Seconds on this machine (per run, one worker).
  ThroughputModel throughput;
  // GPU cost: 6 N D / (mfu * gpu_peak_flops). Default: one H100 SXM (989 TFLOP/s dense bf16)
  // at 40% MFU. The paper trained on AMD MI250X; this is a yardstick, not its bill.
  double gpu_peak_flops = 989e12;
  double mfu = 0.40;
  // Bootstrap samples for the prediction band: a law file (laws/law_io.h) with samples, e.g.
  // experiments/plan/paper_law_bootstrap.textproto (the paper's decay-constant fit on its 182
  // runs, refitted with 1000 bootstrap resamples). Empty: no band.
  std::string law_path;
  // Point prediction: the paper's published law (App. A/B) when true, else the law file's own
  // coefficients (a refit lands elsewhere on the R_D*-R_N* ridge, see docs/laws.md).
  bool point_from_paper = true;
  double confidence = 0.95;
  // Predict the loss of every run (meaningful at paper scale, where the law was fitted).
  bool predict = true;

  bool IsValid(std::string* error) const;
};

// Fills estimated_seconds, gpu_hours and the predictions of every run and the plan's totals.
// Errors: invalid options (naming the flag) or an unreadable law file.
absl::Status AnnotatePlan(const PlanOptions& options, experiments::SweepPlan* plan);

// An aligned table with totals; gpu_columns adds GPU-hours and predicted loss.
std::string PlanText(const experiments::SweepPlan& plan, bool gpu_columns);
// InvalidArgument naming the field when a number is not finite (records/message_json.h).
absl::StatusOr<std::string> PlanJson(const experiments::SweepPlan& plan);

}  // namespace datawall::plan

#endif  // DATAWALL_EXPERIMENTS_PLAN_PLAN_H_
