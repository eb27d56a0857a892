// train: one training run from a RunSpec text file.
//
//   bazel run //experiments:train -- --spec=FILE --out=DIR [--resume] [--device=cpu|cuda|auto]
//       [--threads=1]
//
// Writes DIR/record.textproto (final_val_loss, curves, provenance; rewritten after every
// evaluation, complete: true at the end), DIR/checkpoints/ and DIR/tensorboard/. Exit codes:
// 0 done, 2 invalid spec/flags/data (one line naming the problem, before training starts),
// 1 the run failed (e.g. non-finite loss; the last good checkpoint is kept).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "experiments/training/run_io.h"
#include "experiments/training/trainer.h"
#include "tools/cli/flags.h"
#include "tools/paths/paths.h"
#include "tools/provenance/provenance.h"

ABSL_FLAG(std::string, spec, "", "RunSpec in protobuf text format (required)");
ABSL_FLAG(std::string, out, "", "output directory for record.textproto, checkpoints/, tensorboard/");
ABSL_FLAG(bool, resume, false, "continue from the newest valid checkpoint in --out");
ABSL_FLAG(std::string, device, "auto", "cpu, cuda or auto");
ABSL_FLAG(int32_t, threads, 1, "intra-op and OpenBLAS threads (1 is fastest on 2-vCPU hosts)");
ABSL_FLAG(double, progress_every_seconds, 10, "seconds between progress lines (0: none)");

namespace {

// Relative paths given to `bazel run` mean the caller's directory (or the workspace).
std::string CallerPath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) return std::string(dir) + "/" + path;
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace datawall;
  cli::ParseFlags(argc, argv,
                  "train --spec=FILE --out=DIR [--resume]: train one GPT-2 run from a RunSpec");
  const std::string spec_path = CallerPath(absl::GetFlag(FLAGS_spec));
  const std::string out_dir = CallerPath(absl::GetFlag(FLAGS_out));
  if (spec_path.empty()) cli::UsageError("--spec: required");
  if (out_dir.empty()) cli::UsageError("--out: required");
  experiments::RunSpec spec;
  std::string error;
  if (!training::ReadRunSpec(spec_path, &spec, &error)) cli::UsageError("--spec: " + error);
  training::TrainOptions options;
  if (!training::SpecToOptions(spec, paths::WorkspaceRoot(), &options, &error)) {
    cli::UsageError("--spec: " + spec_path + ": " + error);
  }
  options.out_dir = out_dir;
  options.resume = absl::GetFlag(FLAGS_resume);
  options.device = absl::GetFlag(FLAGS_device);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.progress_every_seconds = absl::GetFlag(FLAGS_progress_every_seconds);
  const std::string record_path = out_dir + "/record.textproto";
  const std::string start_time = provenance::UtcNow();
  options.on_eval = [&](const training::TrainSummary& s) {
    const std::string e = training::WriteRunRecord(
        record_path, training::MakeRunRecord(spec, s, options.threads, start_time, ""));
    if (!e.empty()) std::fprintf(stderr, "train: %s\n", e.c_str());
  };
  training::TrainSummary summary;
  const training::TrainStatus status = training::Train(options, &summary);
  if (status.code == training::TrainStatus::kInvalidInput) cli::UsageError(status.message);
  const std::string write_error = training::WriteRunRecord(
      record_path, training::MakeRunRecord(spec, summary, options.threads, start_time,
                                           status.message));
  if (!status.ok()) cli::InternalError(status.message);
  if (!write_error.empty()) cli::InternalError(write_error);
  std::printf("%s\nrecord: %s\n", summary.BriefReport().c_str(), record_path.c_str());
  return 0;
}
