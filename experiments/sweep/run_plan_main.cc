// run_plan: runs an expanded plan with the local runner (runner.h) on a machine that has the
// train CLI but not the rest of the stack — the GPU machine, where there is no Bazel and no
// Ceres. The plan is made where the stack is:
//
//   bazel run -c opt //experiments:<name> -- --scale=gpu --dry_run --format=json > plan.json
//   run_plan --plan=plan.json --out=DIR --train_binary=train --data_root=ROOT \
//       [--devices=0 --runs_per_device=K | --workers=N] [--train_args=--threads=1] [--max_attempts=2]
//
// and the records it leaves in DIR/runs/ are summarised back there:
//
//   bazel run -c opt //experiments:<name> -- --scale=gpu --out=DIR --summary_only
//
// (a complete record is complete in any checkout: runs are matched by the hash of their spec).
// --plan takes the dry run's JSON or the plan.textproto a sweep directory holds. Same runner,
// same directory layout, locks, resume and placement as the sweep CLI; no expansion, no data
// preparation, no summary. Exit codes: 0 every planned run complete; 2 bad input (one line
// naming the flag or file); 1 an internal error; 3 some runs are not complete (failed after
// their attempts, or SIGINT/SIGTERM stopped the runner).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/sweep/runner.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/flags.h"
#include "tools/io/atomic_file.h"
#include "tools/proto/text_format.h"

ABSL_FLAG(std::string, plan, "", "the plan: the sweep CLI's --dry_run --format=json output, or a plan.textproto");
ABSL_FLAG(std::string, out, "", "sweep directory (records go to DIR/runs/<hash>/)");
ABSL_FLAG(std::string, train_binary, "", "the train CLI");
ABSL_FLAG(std::string, data_root, ".", "directory relative shard paths resolve against");
ABSL_FLAG(int, workers, 0, "parallel trainers without --devices (0: one)");
ABSL_FLAG(std::vector<std::string>, devices, {}, "GPUs to place trainers on, e.g. 0,1 (CUDA_VISIBLE_DEVICES)");
ABSL_FLAG(int, runs_per_device, 0, "trainers sharing one GPU at a time (with --devices; 0: one)");
ABSL_FLAG(std::string, train_args, "", "extra flags for every trainer, comma-separated (e.g. --threads=1)");
ABSL_FLAG(int, max_attempts, 2, "launches per run before it is reported failed");
ABSL_FLAG(double, progress_every, 30, "seconds between progress lines (events are always printed)");
ABSL_FLAG(bool, keep_checkpoints, false, "keep runs/<hash>/checkpoints/ of complete runs");

namespace {

using namespace datawall;

constexpr int kRunsIncomplete = 3;

// The plan from JSON (its first non-blank character is '{') or text format.
experiments::SweepPlan ReadPlan(const std::string& path) {
  std::string text;
  if (Result r = io::ReadFile(path, &text); !r.ok()) cli::UsageError("--plan: " + r.message());
  experiments::SweepPlan plan;
  if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "{")) {
    const auto s = google::protobuf::util::JsonStringToMessage(text, &plan);
    if (!s.ok()) {
      const std::string why(s.message());
      cli::UsageError(absl::StrCat("--plan: ", path, ": not a plan in JSON (",
                                   absl::StripAsciiWhitespace(why.substr(0, why.find('\n'))), ")"));
    }
  } else if (std::string error; !proto::ParseTextFormat(text, &plan, &error)) {
    cli::UsageError(absl::StrCat("--plan: ", path, ": not a SweepPlan in text format (", error, ")"));
  }
  if (plan.runs_size() == 0) cli::UsageError(absl::StrCat("--plan: ", path, ": the plan has no runs"));
  for (const auto& run : plan.runs()) {
    if (run.hash().empty() || run.spec().name().empty()) {
      cli::UsageError(absl::StrCat("--plan: ", path, ": a run without a hash or a spec"));
    }
  }
  return plan;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(
      argc, argv,
      "run_plan --plan=FILE --out=DIR --train_binary=FILE [--data_root=DIR] [--devices=0,... "
      "[--runs_per_device=K] | --workers=N]");
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  if (absl::GetFlag(FLAGS_plan).empty()) cli::UsageError("--plan: required");
  if (absl::GetFlag(FLAGS_out).empty()) cli::UsageError("--out: required");
  sweep::RunnerOptions options;
  options.train_binary = absl::GetFlag(FLAGS_train_binary);
  if (options.train_binary.empty()) cli::UsageError("--train_binary: required");
  if (absl::Status s = sweep::PlaceTrainers(absl::GetFlag(FLAGS_workers), absl::GetFlag(FLAGS_devices),
                                            absl::GetFlag(FLAGS_runs_per_device), &options);
      !s.ok()) {
    cli::UsageError(std::string(s.message()));
  }
  const experiments::SweepPlan plan = ReadPlan(absl::GetFlag(FLAGS_plan));
  namespace fs = std::filesystem;
  options.out_dir = fs::absolute(absl::GetFlag(FLAGS_out)).lexically_normal().string();
  options.data_root = fs::absolute(absl::GetFlag(FLAGS_data_root)).lexically_normal().string();
  std::error_code ec;
  if (!fs::is_directory(options.data_root, ec)) cli::UsageError("--data_root: " + options.data_root + ": not a directory");
  for (absl::string_view a : absl::StrSplit(absl::GetFlag(FLAGS_train_args), ',', absl::SkipEmpty())) {
    options.train_args.emplace_back(a);
  }
  options.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  options.progress_every_seconds = absl::GetFlag(FLAGS_progress_every);
  options.delete_checkpoints_when_complete = !absl::GetFlag(FLAGS_keep_checkpoints);
  options.progress = &std::cerr;
  absl::StatusOr<sweep::RunnerSummary> ran = sweep::RunSweep(plan, options);
  if (!ran.ok()) cli::Exit(ran.status());
  std::cerr << "[run_plan] " << ran->BriefReport() << std::endl;
  return ran->all_complete() ? 0 : kRunsIncomplete;
}
