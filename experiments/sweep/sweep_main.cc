// The sweep CLI behind every experiment target:
//
//   bazel run //experiments:<name> -- --scale=smoke|cpu|gpu|paper [--dry_run] [--workers=N]
//       [--out=DIR] [--format=text|json]
//   ... --scale=gpu --devices=0,1 --runs_per_device=4    # 8 trainers, 4 sharing each GPU
//   ... --scale=cpu --backend=slurm --partition=cpu --max_parallel=16   # one Slurm job array
//   ... --scale=paper --emit_sbatch=DIR --partition=gpu --account=A    # scripts for a cluster
//
// Thin main: expand the experiment's spec at a scale (experiments/plan/expand.h), print the plan
// (--dry_run; plan.h), write sbatch scripts (--emit_sbatch; slurm_backend.h), or prepare missing shards (//data:prepare; skipped when every planned run
// already has a complete record), run the sweep (runner.h locally, slurm_backend.h with --backend=slurm) and write OUT/runs.csv (one line per
// run; experiments/records/records.h), OUT/summary.txt and OUT/summary.json
// (experiments/analysis/summary.h).
// Exit codes, chosen here only: 0 every planned run is complete; 2 bad input (one line naming
// the flag or file); 1 an internal error; 3 (kRunsIncomplete) the sweep ran but some planned
// runs are not complete: runs failed after their attempts or --summary_only found incomplete
// records (runs.csv and the summary are written all the same), or SIGINT/SIGTERM stopped the
// sweep (then nothing more is written).
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "experiments/analysis/summary.h"
#include "experiments/plan/expand.h"
#include "experiments/plan/plan.h"
#include "experiments/plan/similarity.h"
#include "experiments/plan/throughput.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"
#include "tools/process/process.h"
#include "experiments/sweep/runner.h"
#include "experiments/sweep/slurm_backend.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

namespace {
// --backend: where the trainers run.
enum class Backend { kLocal, kSlurm };
bool AbslParseFlag(absl::string_view text, Backend* b, std::string* error) {
  if (text == "local") return *b = Backend::kLocal, true;
  if (text == "slurm") return *b = Backend::kSlurm, true;
  *error = "must be local or slurm";
  return false;
}
std::string AbslUnparseFlag(Backend b) { return b == Backend::kSlurm ? "slurm" : "local"; }
}  // namespace

ABSL_FLAG(std::string, experiment, "", "ExperimentSpec file (text format); the targets set it");
ABSL_FLAG(std::string, scale, "", "smoke, cpu, gpu or paper (required)");
ABSL_FLAG(bool, dry_run, false, "print the plan (runs, FLOPs, time here; GPU-hours and predicted "
                                "loss at gpu/paper scale) and exit");
ABSL_FLAG(int, workers, 0,
          "parallel trainer processes (0: one, or with --devices, devices x --runs_per_device)");
ABSL_FLAG(std::vector<std::string>, devices, {},
          "GPUs to place trainers on, e.g. 0,1: each trainer gets CUDA_VISIBLE_DEVICES=<one>");
ABSL_FLAG(int, runs_per_device, 0, "trainers sharing one GPU at a time (with --devices; 0: one)");
ABSL_FLAG(std::string, out, "", "sweep directory (default: <workspace>/experiments/results/<scale>/<experiment>)");
ABSL_FLAG(std::string, format, "text", "text or json (plan with --dry_run, else the summary)");
ABSL_FLAG(std::string, train_binary, "", "the train CLI (the targets set it)");
ABSL_FLAG(std::string, train_args, "", "extra flags for every trainer, comma-separated (e.g. --threads=1)");
ABSL_FLAG(std::string, prepare_binary, "", "the //data:prepare CLI, run when a shard is missing (the targets set it)");
ABSL_FLAG(std::string, pools_binary, "", "DATA_FILTERING: //experiments/quality:build_pools, run when a scale's pools are not built (the targets set it)");
ABSL_FLAG(std::string, filter_binary, "", "DATA_FILTERING: //experiments/quality:perplexity_filter (passed to the pool builder)");
ABSL_FLAG(std::string, dedup_binary, "", "DATA_FILTERING: //data/dedup:dedup_shard (passed to the pool builder)");
ABSL_FLAG(std::string, eval_binary, "", "DATA_FILTERING: //experiments/quality:evaluate_sources, run on each complete run");
ABSL_FLAG(std::string, prepare_args, "", "extra flags for //data:prepare, comma-separated (e.g. --raw=DIR)");
ABSL_FLAG(std::string, data_root, "", "directory relative shard paths resolve against (default: the workspace)");
ABSL_FLAG(std::string, throughput, "", "calibration file of measured (params, tokens/s) for time estimates");
ABSL_FLAG(std::string, gpu_throughput, "", "calibration file used instead of --throughput at --scale=gpu");
ABSL_FLAG(std::string, validation_std, "", "per-sequence validation loss std by seq_len for the "
                                           "similarity card's expected standard error (the targets "
                                           "set it; empty: unknown)");
ABSL_FLAG(std::string, law, "", "law file with bootstrap samples: the band of the plan's predicted losses");
ABSL_FLAG(bool, law_point, false, "predict with the --law file's coefficients instead of the paper's law");
ABSL_FLAG(double, mfu, 0.40, "model FLOPs utilisation assumed for GPU-hours");
ABSL_FLAG(double, gpu_peak_flops, 989e12, "peak FLOP/s of one GPU for GPU-hours (H100 SXM dense bf16)");
ABSL_FLAG(int, bootstrap, 200, "bootstrap resamples for the summary's law-fit intervals (0: none)");
ABSL_FLAG(bool, summary_only, false, "do not run anything: summarise the records already in --out");
ABSL_FLAG(int, max_attempts, 2, "launches per run before it is reported failed");
ABSL_FLAG(double, progress_every, 30, "seconds between progress lines (events are always printed)");
ABSL_FLAG(bool, keep_checkpoints, false, "keep runs/<hash>/checkpoints/ of complete runs");
ABSL_FLAG(Backend, backend, Backend::kLocal,
          "local (trainer subprocesses here) or slurm (one sbatch job array, one task per run)");
ABSL_FLAG(std::string, partition, "", "Slurm partition (--backend=slurm, --emit_sbatch)");
ABSL_FLAG(std::string, account, "", "Slurm account");
ABSL_FLAG(std::string, time_limit, "",
          "Slurm time limit of every task, e.g. 04:00:00 (default: the partition's; "
          "--emit_sbatch: per run from the plan's GPU-hours)");
ABSL_FLAG(int, cpus_per_task, 1, "CPUs per Slurm task");
ABSL_FLAG(int, gpus_per_task, -1, "GPUs per Slurm task (--gres=gpu:N; -1: 1 at gpu and paper scale, else 0)");
ABSL_FLAG(int, max_parallel, 0, "tasks of the job array running at once (%M; 0: no limit)");
ABSL_FLAG(std::vector<std::string>, sbatch_args, {}, "further sbatch options, comma-separated (e.g. --qos=low)");
ABSL_FLAG(double, slurm_poll_seconds, 5, "seconds between squeue polls");
ABSL_FLAG(std::string, emit_sbatch, "", "write the plan as ready sbatch scripts into this directory and exit");
ABSL_FLAG(double, time_margin, 1.5, "--emit_sbatch: time limit = GPU-hours / GPUs per task x this + 10 min");
ABSL_FLAG(double, max_task_hours, 0, "--emit_sbatch: cap every task's time limit (0: none)");

namespace {

using namespace datawall;

// Exit status when the sweep ran (or summarised) but not every planned run is complete.
constexpr int kRunsIncomplete = 3;

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipEmpty())) out.emplace_back(part);
  return out;
}

// Shards the plan reads that do not exist under data_root.
std::vector<std::string> MissingShards(const experiments::SweepPlan& plan, const std::string& root) {
  std::set<std::string> paths;
  for (const auto& run : plan.runs()) {
    const experiments::RunSpec s = records::ResolveDataPaths(run.spec(), root);
    for (const auto& d : s.data()) paths.insert(d.shard());
    if (!s.validation_shard().empty()) paths.insert(s.validation_shard());
  }
  std::vector<std::string> missing;
  for (const std::string& p : paths) {
    if (!std::filesystem::exists(p)) missing.push_back(p);
  }
  return missing;
}

// Runs a helper CLI to its end; exits like the sweep would on its failure.
void RunHelper(const std::string& what, const std::string& binary, const std::vector<std::string>& args) {
  process::LaunchOptions launch;
  launch.binary = std::filesystem::absolute(binary).string();
  launch.args = args;
  std::string error;
  const pid_t pid = process::Launch(launch, &error);
  if (pid < 0) cli::InternalError(error);
  int status = 0;
  waitpid(pid, &status, 0);
  if (process::ExitCode(status) != 0) {
    cli::InternalError(absl::StrCat(what, " failed (exit ", process::ExitCode(status), ")"));
  }
}

void PrepareData(const experiments::ExperimentSpec& spec, const std::string& scale,
                 const experiments::SweepPlan& plan, const std::string& root,
                 std::vector<std::string> missing = {}) {
  if (missing.empty()) missing = MissingShards(plan, root);
  if (missing.empty()) return;
  std::vector<std::string> args;
  for (const auto& s : spec.scales()) {
    if (s.name() == scale) args.assign(s.prepare_args().begin(), s.prepare_args().end());
  }
  const std::string binary = absl::GetFlag(FLAGS_prepare_binary);
  if (args.empty() || binary.empty()) {
    cli::UsageError(absl::StrCat("data: ", missing[0], " is missing (run `bazel run //data:prepare` "
                                 "with the flags in the spec's prepare_args)"));
  }
  args.push_back("--out=" + root + "/data/work");
  for (const std::string& a : SplitList(absl::GetFlag(FLAGS_prepare_args))) args.push_back(a);
  std::cerr << "[sweep] " << missing.size() << " shard(s) missing (" << missing[0]
            << "): running " << binary;
  for (const auto& a : args) std::cerr << " " << a;
  std::cerr << std::endl;
  RunHelper("data preparation", binary, args);
  std::vector<std::string> still;
  for (const std::string& p : missing) {
    if (!std::filesystem::exists(p)) still.push_back(p);
  }
  missing = still.empty() && plan.runs_size() > 0 ? MissingShards(plan, root) : still;
  if (!missing.empty()) {
    cli::UsageError(absl::StrCat("data: ", missing[0], " still missing after //data:prepare ",
                                 "(check the scale's prepare_args against its shard paths)"));
  }
}

// DATA_FILTERING: the scale's arms measured by the pool builder. Reads the pools' manifest
// (FilterPools.out_dir/pools.textproto), else the copy committed beside the results
// (<out>/pools.textproto), else builds the pools (preparing the source shards first when
// `build`); the manifest used is copied to <out>/pools.textproto.
void ApplyPools(const std::string& spec_path, const std::string& scale, const std::string& root,
                const std::string& out, bool build, experiments::ExperimentSpec* spec) {
  const experiments::Scale* s = nullptr;
  for (const auto& x : spec->scales()) {
    if (x.name() == scale) s = &x;
  }
  if (s == nullptr || !s->has_pools()) return;  // plan only: the arms carry the paper's sizes
  const std::string built_path = absl::StrCat(root, "/", s->pools().out_dir(), "/", records::kPoolsFile);
  const std::string copy_path = absl::StrCat(out, "/", records::kPoolsFile);
  namespace fs = std::filesystem;
  if (!fs::exists(built_path) && !fs::exists(copy_path) && !build) return;  // Expand says the pools are missing
  if (!fs::exists(built_path) && (build || !fs::exists(copy_path))) {
    const std::string binary = absl::GetFlag(FLAGS_pools_binary);
    if (binary.empty()) {
      cli::UsageError(absl::StrCat(built_path, " is missing (run //experiments/quality:build_pools, or the experiment target)"));
    }
    std::vector<std::string> needed = {absl::StrCat(root, "/", s->pools().source_shard())};
    if (!s->base().validation_shard().empty()) needed.push_back(absl::StrCat(root, "/", s->base().validation_shard()));
    std::vector<std::string> missing;
    for (const std::string& p : needed) {
      if (!fs::exists(p)) missing.push_back(p);
    }
    if (!missing.empty()) PrepareData(*spec, scale, experiments::SweepPlan(), root, missing);
    std::cerr << "[sweep] building the pools of " << spec->name() << "/" << scale << " (" << built_path << ")" << std::endl;
    RunHelper("pool building", binary,
              {"--experiment=" + fs::absolute(spec_path).string(), "--scale=" + scale, "--data_root=" + root,
               "--train_binary=" + fs::absolute(absl::GetFlag(FLAGS_train_binary)).string(),
               "--filter_binary=" + fs::absolute(absl::GetFlag(FLAGS_filter_binary)).string(),
               "--dedup_binary=" + fs::absolute(absl::GetFlag(FLAGS_dedup_binary)).string()});
  }
  const std::string path = fs::exists(built_path) ? built_path : copy_path;
  absl::StatusOr<experiments::BuiltPools> built = records::ReadBuiltPools(path);
  if (!built.ok()) cli::UsageError(std::string(built.status().message()));
  if (absl::Status st = plan::ApplyBuiltPools(*built, scale, spec); !st.ok()) cli::UsageError(absl::StrCat(path, ": ", st.message()));
  fs::create_directories(out);
  std::error_code ec;
  if (path != copy_path) fs::copy_file(path, copy_path, fs::copy_options::overwrite_existing, ec);
  if (ec) cli::InternalError(absl::StrCat("cannot copy ", path, " to ", copy_path, ": ", ec.message()));
}

// DATA_FILTERING: per-source and high-quality validation losses of each complete run
// (runs/<hash>/validation_sources.json, evaluate_sources), then its checkpoints go unless kept.
void EvaluateSources(const experiments::SweepPlan& plan, const std::string& out, const std::string& root,
                     bool keep_checkpoints) {
  const std::string binary = absl::GetFlag(FLAGS_eval_binary);
  const absl::StatusOr<experiments::BuiltPools> built = records::ReadBuiltPools(absl::StrCat(out, "/", records::kPoolsFile));
  if (!built.ok()) return;
  namespace fs = std::filesystem;
  for (const auto& run : plan.runs()) {
    const std::string dir = records::RunDir(out, run.hash());
    if (!records::IsCompleteFor(records::ReadRecord(dir), run)) continue;
    std::error_code ec;
    const bool has_checkpoints = fs::is_directory(dir + "/checkpoints", ec) && !fs::is_empty(dir + "/checkpoints", ec);
    const std::string validation = absl::StrCat(dir, "/", records::kValidationSourcesFile);
    if (!fs::exists(validation) && has_checkpoints) {
      if (binary.empty()) cli::UsageError("--eval_binary: required for DATA_FILTERING (the targets set it)");
      const experiments::RunSpec spec = records::ResolveDataPaths(run.spec(), root);
      std::vector<std::string> args = {"--run_dir=" + dir, "--shard=" + spec.validation_shard()};
      if (!built->quality_validation_shard().empty()) {
        args.push_back(absl::StrCat("--quality_shard=", root, "/", built->quality_validation_shard()));
      }
      RunHelper("per-source validation of " + run.spec().name(), binary, args);
    }
    if (!keep_checkpoints && fs::exists(validation)) fs::remove_all(dir + "/checkpoints", ec);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(
      argc, argv,
      "bazel run //experiments:<name> -- --scale=smoke|cpu|gpu|paper [--dry_run] [--workers=N | "
      "--devices=0,1,... [--runs_per_device=K] | --backend=slurm [--partition=P]] [--out=DIR] "
      "[--format=text|json] [--emit_sbatch=DIR]");
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  cli::InitLogging(argv[0]);  // the summary's fits: no Ceres/glog lines unless --verbose
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "text" && format != "json") cli::UsageError("--format: must be text or json");
  const std::string spec_path = absl::GetFlag(FLAGS_experiment);
  if (spec_path.empty()) cli::UsageError("--experiment: required");
  const std::string scale = absl::GetFlag(FLAGS_scale);
  if (scale.empty()) cli::UsageError("--scale: required (smoke, cpu, gpu or paper)");
  sweep::RunnerOptions placement;
  const std::vector<std::string> devices = absl::GetFlag(FLAGS_devices);
  if (absl::Status s = sweep::PlaceTrainers(absl::GetFlag(FLAGS_workers), devices,
                                            absl::GetFlag(FLAGS_runs_per_device), &placement);
      !s.ok()) {
    cli::UsageError(std::string(s.message()));
  }
  const int workers = placement.workers;
  const int runs_per_device = placement.runs_per_device;
  const Backend backend = absl::GetFlag(FLAGS_backend);
  const std::string emit_dir = absl::GetFlag(FLAGS_emit_sbatch);
  if (backend == Backend::kSlurm && !devices.empty()) {
    cli::UsageError("--devices: local backend only (with --backend=slurm use --gpus_per_task)");
  }
  if (!emit_dir.empty() && absl::GetFlag(FLAGS_dry_run)) cli::UsageError("--emit_sbatch: does not combine with --dry_run");
  sweep::SlurmOptions slurm;
  slurm.job.partition = absl::GetFlag(FLAGS_partition);
  slurm.job.account = absl::GetFlag(FLAGS_account);
  slurm.job.time_limit = absl::GetFlag(FLAGS_time_limit);
  slurm.job.cpus_per_task = absl::GetFlag(FLAGS_cpus_per_task);
  if (slurm.job.cpus_per_task < 1) cli::UsageError("--cpus_per_task: must be at least 1");
  slurm.job.gpus_per_task = absl::GetFlag(FLAGS_gpus_per_task);
  if (slurm.job.gpus_per_task < -1) cli::UsageError("--gpus_per_task: must be at least 0 (or -1: automatic)");
  if (slurm.job.gpus_per_task == -1) slurm.job.gpus_per_task = scale == "gpu" || scale == "paper" ? 1 : 0;
  slurm.job.max_parallel = absl::GetFlag(FLAGS_max_parallel);
  if (slurm.job.max_parallel < 0) cli::UsageError("--max_parallel: must be at least 0");
  for (const std::string& a : absl::GetFlag(FLAGS_sbatch_args)) {
    if (a.rfind("-", 0) != 0 || a.find('\n') != std::string::npos) {
      cli::UsageError("--sbatch_args: '" + a + "' is not an sbatch option (e.g. --qos=low)");
    }
    slurm.job.extra.push_back(a);
  }
  slurm.poll_seconds = cli::Positive(FLAGS_slurm_poll_seconds);
  sweep::EmitOptions emit;
  emit.time_margin = cli::Positive(FLAGS_time_margin);
  emit.max_task_seconds = absl::GetFlag(FLAGS_max_task_hours) * 3600;
  if (!(emit.max_task_seconds >= 0)) cli::UsageError("--max_task_hours: must be at least 0");

  absl::StatusOr<experiments::ExperimentSpec> spec = plan::LoadExperimentSpec(spec_path);
  if (!spec.ok()) cli::UsageError(std::string(spec.status().message()));

  const std::string root = paths::WorkspaceRoot();
  std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) out = absl::StrCat(root, "/experiments/results/", scale, "/", spec->name());
  std::string data_root = absl::GetFlag(FLAGS_data_root);
  if (data_root.empty()) data_root = root;
  data_root = std::filesystem::absolute(data_root).lexically_normal().string();
  const bool filtering = spec->kind() == experiments::DATA_FILTERING;
  if (filtering) {
    ApplyPools(spec_path, scale, data_root, out,
               !absl::GetFlag(FLAGS_dry_run) && !absl::GetFlag(FLAGS_summary_only) && emit_dir.empty(), &*spec);
  }
  absl::StatusOr<experiments::SweepPlan> plan = plan::Expand(*spec, scale);
  if (!plan.ok()) cli::UsageError(std::string(plan.status().message()));

  // Time model: the calibration file, refined by this sweep's own complete records.
  plan::PlanOptions plan_options;
  std::vector<plan::ThroughputPoint> points;
  std::string error;
  const bool gpu_calibration = scale == "gpu" && !absl::GetFlag(FLAGS_gpu_throughput).empty();
  const std::string throughput_path =
      gpu_calibration ? absl::GetFlag(FLAGS_gpu_throughput) : absl::GetFlag(FLAGS_throughput);
  double per_run_seconds = plan_options.throughput.per_run_seconds();
  std::map<int, double> concurrency;  // runs per device -> aggregate speedup (gpu calibration)
  if (!throughput_path.empty() &&
      !plan::LoadThroughputPoints(throughput_path, &points, &error, &per_run_seconds, &concurrency)) {
    cli::UsageError(std::string(gpu_calibration ? "--gpu_throughput: " : "--throughput: ") + error);
  }
  plan_options.throughput.set_per_run_seconds(per_run_seconds);
  bool every_run_complete = true;
  const std::vector<std::optional<experiments::RunRecord>> loaded = records::LoadRecords(*plan, out);
  for (int i = 0; i < plan->runs_size(); ++i) {
    const std::optional<experiments::RunRecord>& record = loaded[i];
    every_run_complete = every_run_complete && records::IsCompleteFor(record, plan->runs(i));
    if (records::IsCompleteFor(record, plan->runs(i)) && record->timings().train_tokens_per_second() > 0) {
      points.push_back({static_cast<double>(record->params()),
                        record->timings().train_tokens_per_second(), "record " + record->spec().name()});
    }
  }
  plan_options.throughput.Fit(points);
  plan_options.law_path = absl::GetFlag(FLAGS_law);
  plan_options.point_from_paper = !absl::GetFlag(FLAGS_law_point);
  plan_options.mfu = absl::GetFlag(FLAGS_mfu);
  plan_options.gpu_peak_flops = absl::GetFlag(FLAGS_gpu_peak_flops);
  plan_options.predict = scale == "paper";  // the law is fitted at paper scale only
  absl::Status annotated = plan::AnnotatePlan(plan_options, &*plan);
  if (!annotated.ok()) {
    if (annotated.code() == absl::StatusCode::kInvalidArgument) cli::UsageError(std::string(annotated.message()));
    cli::InternalError(std::string(annotated.message()));
  }

  plan::CardOptions card_options;
  if (const std::string path = absl::GetFlag(FLAGS_validation_std); !path.empty()) {
    absl::StatusOr<plan::CardOptions> loaded = plan::LoadValidationCalibration(path);
    if (!loaded.ok()) cli::UsageError(absl::StrCat("--validation_std: ", loaded.status().message()));
    card_options = *loaded;
  }
  card_options.runs_per_device = runs_per_device;
  card_options.concurrency_speedup = concurrency;
  *plan->mutable_card() = plan::Card(*spec, *plan, card_options);
  if (!emit_dir.empty()) {
    sweep::RunnerOptions cluster;
    cluster.train_binary = absl::GetFlag(FLAGS_train_binary);
    if (cluster.train_binary.empty()) cli::UsageError("--train_binary: required (the targets set it)");
    cluster.train_binary = std::filesystem::absolute(cluster.train_binary).lexically_normal().string();
    cluster.train_args = SplitList(absl::GetFlag(FLAGS_train_args));
    cluster.data_root = data_root;
    const absl::Status s = sweep::EmitSbatch(*plan, cluster, slurm, emit, emit_dir, &std::cerr);
    if (!s.ok()) cli::Exit(s);
    return 0;
  }
  if (absl::GetFlag(FLAGS_dry_run)) {
    if (format != "json") {
      std::cout << plan::PlanText(*plan, scale == "paper" || scale == "gpu") << "\n"
                << plan::CardText(plan->card());
      return 0;
    }
    absl::StatusOr<std::string> json = plan::PlanJson(*plan);
    if (!json.ok()) cli::InternalError(std::string(json.status().message()));
    std::cout << *json;
    return 0;
  }
  if (scale == "paper" && !absl::GetFlag(FLAGS_summary_only)) {
    cli::UsageError(absl::StrCat("--scale=paper: the paper's grid needs ", static_cast<int64_t>(plan->total_gpu_hours()),
                                 " GPU-hours; only --dry_run is supported"));
  }

  if (!plan->card().gpu_scale_only().empty() && !absl::GetFlag(FLAGS_summary_only)) {
    cli::UsageError(absl::StrCat("--scale=", scale, ": gpu scale only (",
                                 plan->card().gpu_scale_only(), "); only --dry_run is supported"));
  }
  if (!absl::GetFlag(FLAGS_summary_only)) {
    sweep::RunnerOptions options;
    options.out_dir = out;
    options.train_binary = absl::GetFlag(FLAGS_train_binary);
    if (options.train_binary.empty()) cli::UsageError("--train_binary: required (the targets set it)");
    // Nothing to train: the shards are not needed (a fresh clone reuses committed records).
    if (!every_run_complete) PrepareData(*spec, scale, *plan, data_root);
    options.train_args = SplitList(absl::GetFlag(FLAGS_train_args));
    options.data_root = data_root;
    options.workers = workers;
    options.devices = devices;
    options.runs_per_device = runs_per_device;
    options.max_attempts = absl::GetFlag(FLAGS_max_attempts);
    options.progress_every_seconds = absl::GetFlag(FLAGS_progress_every);
    // DATA_FILTERING: the checkpoints stay until the per-source validation has read them.
    options.delete_checkpoints_when_complete = !absl::GetFlag(FLAGS_keep_checkpoints) && !filtering;
    options.throughput = plan_options.throughput;
    options.progress = &std::cerr;
    absl::StatusOr<sweep::RunnerSummary> ran = backend == Backend::kSlurm
                                                    ? sweep::RunSweepOnSlurm(*plan, options, slurm)
                                                    : sweep::RunSweep(*plan, options);
    if (!ran.ok()) {
      if (ran.status().code() == absl::StatusCode::kInvalidArgument ||
          ran.status().code() == absl::StatusCode::kFailedPrecondition) {
        cli::UsageError(std::string(ran.status().message()));
      }
      cli::InternalError(std::string(ran.status().message()));
    }
    std::cerr << "[sweep] " << ran->BriefReport() << std::endl;
    if (ran->interrupted) return kRunsIncomplete;  // stopped by a signal: no summary
    if (filtering) EvaluateSources(*plan, out, data_root, absl::GetFlag(FLAGS_keep_checkpoints));
  }

  analysis::SummaryOptions summary_options;
  summary_options.bootstrap_resamples = absl::GetFlag(FLAGS_bootstrap);
  const std::vector<records::RunRow> rows = records::MakeRunRows(*plan, records::LoadRecords(*plan, out));
  std::optional<records::FilterEvidence> evidence;
  if (spec->kind() == experiments::DATA_FILTERING) {
    absl::StatusOr<records::FilterEvidence> loaded = records::LoadFilterEvidence(*plan, out);
    if (loaded.ok()) {
      evidence = *std::move(loaded);
      summary_options.filter_evidence = &*evidence;
    } else if (!absl::IsNotFound(loaded.status())) {
      cli::UsageError(std::string(loaded.status().message()));
    }
  }
  const experiments::ExperimentSummary summary =
      analysis::Summarize(*spec, *plan, rows, summary_options);
  const std::string text = analysis::SummaryText(summary);
  absl::StatusOr<std::string> summary_json = analysis::SummaryJson(summary);
  if (!summary_json.ok()) cli::InternalError(std::string(summary_json.status().message()));
  const std::string& json = *summary_json;
  std::filesystem::create_directories(out);
  const absl::Status wrote = records::WriteRunsCsv(absl::StrCat(out, "/", records::kRunsCsvFile), rows);
  if (!wrote.ok()) cli::InternalError(std::string(wrote.message()));
  for (const auto& [name, contents] : {std::pair{"/summary.txt", &text}, std::pair{"/summary.json", &json}}) {
    if (const Result r = io::WriteFileAtomically(out + name, *contents); !r.ok()) {
      cli::InternalError(r.message());
    }
  }
  std::cout << (format == "json" ? json : text);
  std::cerr << "[sweep] summary: " << out << "/runs.csv, " << out << "/summary.txt, " << out
            << "/summary.json" << std::endl;
  return summary.complete() == summary.planned() ? 0 : kRunsIncomplete;
}
