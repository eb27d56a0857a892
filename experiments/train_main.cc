// train: one training run from a RunSpec text file.
//
//   bazel run //experiments:train -- --spec=FILE --out=DIR [--resume] [--device=cpu|cuda|auto]
//       [--threads=1] [--data_root=DIR] [--nproc=N]
//
// Data parallelism (docs/training.md): --nproc=N trains on N local ranks (the spec's batch_size
// is the global batch; each rank trains batch_size / N of it; launch.h). Under torchrun or
// `srun --ntasks=N` the ranks come from the environment instead (world_env.h). Rank 0 writes
// the record, curves and checkpoints; resume needs the same number of ranks.
//
// Writes DIR/record.textproto (the spec as given, final_val_loss, the val_loss curve,
// provenance; rewritten after every evaluation, complete: true at the end), DIR/curves.csv (the
// per-step train_loss), DIR/checkpoints/ and DIR/tensorboard/ (layout: experiments/records/
// records.h). Relative shard paths in the spec resolve against --data_root. Exit codes: 0 done,
// 2 invalid spec/flags/data (one line naming the problem, before training starts; a missing
// shard names the //data:prepare command that creates it), 1 the run failed (e.g. non-finite
// loss; the last good checkpoint is kept).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "experiments/records/records.h"
#include "experiments/run_io.h"
#include "experiments/training/launch.h"
#include "experiments/training/trainer.h"
#include "experiments/training/world_env.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/paths/paths.h"
#include "tools/provenance/provenance.h"

ABSL_FLAG(std::string, spec, "", "RunSpec in protobuf text format (required)");
ABSL_FLAG(std::string, out, "", "output directory for record.textproto, checkpoints/, tensorboard/");
ABSL_FLAG(bool, resume, false, "continue from the newest valid checkpoint in --out");
ABSL_FLAG(std::string, device, "auto", "cpu, cuda or auto");
ABSL_FLAG(int32_t, threads, 1, "intra-op and OpenBLAS threads (1 is fastest on 2-vCPU hosts)");
ABSL_FLAG(double, progress_every_seconds, 10, "seconds between progress lines (0: none)");
ABSL_FLAG(int32_t, nproc, 1,
          "data-parallel ranks to launch on this machine (the spec's batch_size is split "
          "across them); under torchrun/srun the environment gives the ranks instead");
ABSL_FLAG(std::string, data_root, "",
          "directory relative shard paths in the spec resolve against (default: the workspace)");

namespace {

// Exits 2 naming the first shard of the run that does not exist and the command that makes it.
void CheckShardsExist(const datawall::training::TrainOptions& options, const std::string& workspace) {
  std::vector<std::string> shards;
  for (const auto& d : options.data) shards.push_back(d.shard);
  shards.push_back(options.validation_shard);
  for (const std::string& shard : shards) {
    std::error_code ec;
    if (shard.empty() || std::filesystem::exists(shard, ec)) continue;
    const std::string command = datawall::training::PrepareCommandFor(shard, workspace);
    datawall::cli::UsageError(
        "--spec: shard " + shard + " is missing; " +
        (command.empty() ? std::string("it is not a //data:prepare path (data/prepare.h)")
                         : "create it with `" + command + "`"));
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace datawall;
  cli::ParseFlags(argc, argv,
                  "train --spec=FILE --out=DIR [--resume]: train one GPT-2 run from a RunSpec");
  cli::InitLogging(argv[0]);  // LibTorch's c10 logs through glog: quiet unless --verbose
  const std::string spec_path = paths::UserPath(absl::GetFlag(FLAGS_spec));
  const std::string out_dir = paths::UserPath(absl::GetFlag(FLAGS_out));
  if (spec_path.empty()) cli::UsageError("--spec: required");
  if (out_dir.empty()) cli::UsageError("--out: required");
  experiments::RunSpec spec;
  std::string error;
  if (!training::ReadRunSpec(spec_path, &spec, &error)) cli::UsageError("--spec: " + error);
  training::TrainOptions options;
  const std::string workspace = paths::WorkspaceRoot();
  std::string data_root = paths::UserPath(absl::GetFlag(FLAGS_data_root));
  if (data_root.empty()) data_root = workspace;
  if (!training::SpecToOptions(spec, data_root, &options, &error)) {
    cli::UsageError("--spec: " + spec_path + ": " + error);
  }
  CheckShardsExist(options, workspace);
  options.out_dir = out_dir;
  options.resume = absl::GetFlag(FLAGS_resume);
  options.device = absl::GetFlag(FLAGS_device);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.progress_every_seconds = absl::GetFlag(FLAGS_progress_every_seconds);
  const int nproc = absl::GetFlag(FLAGS_nproc);
  auto env = [](const char* name) -> const char* { return std::getenv(name); };
  if (nproc < 1) cli::UsageError("--nproc: must be >= 1, got " + std::to_string(nproc));
  if (nproc > 1) {
    if (training::LaunchedByLauncher(env)) {
      cli::UsageError("--nproc: the ranks are already given by the environment (RANK/WORLD_SIZE "
                      "or a multi-task srun step): drop --nproc");
    }
    options.world.world_size = nproc;
    if (const Result r = options.Validate(); !r.ok()) {
      cli::UsageError("--nproc=" + std::to_string(nproc) + ": " + r.message());
    }
    training::LaunchRanksOptions launch;
    launch.nproc = nproc;
    launch.binary = "/proc/self/exe";
    launch.args = training::ArgsWithoutNproc(argc, argv);
    launch.log_dir = out_dir + "/ranks";
    return training::LaunchRanks(launch);
  }
  if (!training::WorldFromEnvironment(env, &options.world, &error)) cli::UsageError(error);
  const bool rank0 = options.world.rank == 0;
  const std::string record_path = out_dir + "/" + records::kRecordFile;
  const std::string curves_path = out_dir + "/" + records::kCurvesFile;
  const std::string start_time = provenance::UtcNow();
  options.on_eval = [&](const training::TrainSummary& s) {  // rank 0 only (Train)
    const std::string e = training::WriteRunRecord(
        record_path, training::MakeRunRecord(spec, s, options.threads, start_time, ""));
    if (!e.empty()) std::fprintf(stderr, "train: %s\n", e.c_str());
    const std::string c = training::WriteTrainCurve(curves_path, s);
    if (!c.empty()) std::fprintf(stderr, "train: %s\n", c.c_str());
  };
  training::TrainSummary summary;
  const Result status = training::Train(options, &summary);
  if (status.bad_input()) cli::UsageError(status.message());
  if (!rank0) {  // rank 0 writes the record and the curves
    if (!status.ok()) cli::InternalError(status.message());
    return 0;
  }
  const std::string write_error = training::WriteRunRecord(
      record_path, training::MakeRunRecord(spec, summary, options.threads, start_time,
                                           status.message()));
  const std::string curve_error = training::WriteTrainCurve(curves_path, summary);
  if (!status.ok()) cli::InternalError(status.message());
  if (!write_error.empty()) cli::InternalError(write_error);
  if (!curve_error.empty()) cli::InternalError(curve_error);
  std::printf("%s\nrecord: %s\n", summary.BriefReport().c_str(), record_path.c_str());
  return 0;
}
