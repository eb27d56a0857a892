// The sweep runner's Slurm backend against a real one-node Slurm (slurm_cluster.h, no mock):
// a smoke sweep through --backend=slurm ends with exactly the local backend's final losses; a
// running task cancelled (scancel) while its runner is SIGKILLed, then requeued (scontrol
// requeue), resumes from its checkpoint, and the restarted runner finds the array by its job id,
// submits nothing new and ends with the uninterrupted run's final loss; and --scale=paper
// --emit_sbatch writes scripts that `sbatch --test-only` accepts.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "experiments/plan/expand.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/experiments/sweep/slurm_cluster.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"
#include "tools/process/process.h"

namespace datawall::sweep {
namespace {

namespace fs = std::filesystem;
using process::LaunchOptions;
using testing::SlurmCluster;

std::string Tmp() { return getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp"; }
std::string DataRoot() { return Tmp() + "/data_root"; }
double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

LaunchOptions Sweep(const std::string& spec, const std::string& out, std::vector<std::string> extra) {
  LaunchOptions l;
  l.binary = fs::absolute("experiments/sweep/sweep").string();
  l.args = {"--experiment=" + spec, "--scale=smoke", "--train_binary=experiments/train",
            "--prepare_binary=data/prepare",
            "--prepare_args=--nofetch,--raw=" + paths::WorkspaceRoot() + "/data/raw",
            "--data_root=" + DataRoot(), "--out=" + out, "--bootstrap=0", "--format=json",
            "--progress_every=0", "--train_args=--threads=1"};
  l.args.insert(l.args.end(), extra.begin(), extra.end());
  l.log_path = out + ".log";
  return l;
}
std::vector<std::string> SlurmFlags() {
  return {"--backend=slurm", "--partition=debug", "--max_parallel=2", "--slurm_poll_seconds=0.5"};
}

int RunToEnd(const LaunchOptions& l) {
  std::string error;
  const pid_t pid = process::Launch(l, &error);
  EXPECT_GT(pid, 0) << error;
  return process::Wait(pid);
}

std::string Read(const std::string& path) {
  std::string text;
  if (!io::ReadFile(path, &text).ok()) return "";
  return text;
}
std::string Tail(const std::string& path) {
  const std::string t = Read(path);
  return t.size() > 4000 ? t.substr(t.size() - 4000) : t;
}

// hash -> final loss of every complete record of `spec`'s smoke plan under out/runs.
std::map<std::string, double> Results(const std::string& spec_path, const std::string& out) {
  auto spec = plan::LoadExperimentSpec(spec_path);
  auto plan = plan::Expand(*spec, "smoke");
  std::map<std::string, double> results;
  auto records = records::LoadRecords(*plan, out);
  for (int i = 0; i < plan->runs_size(); ++i) {
    if (records[i] && records[i]->complete()) results[plan->runs(i).hash()] = records[i]->final_val_loss();
  }
  return results;
}

class SlurmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto t0 = std::chrono::steady_clock::now();
    auto started = SlurmCluster::Start(2);
    ASSERT_TRUE(started.ok()) << started.status().message();
    cluster_ = std::move(*started);
    std::cerr << "test Slurm idle after " << Since(t0) << " s in " << cluster_->dir() << "\n";
  }
  static void TearDownTestSuite() {
    const auto t0 = std::chrono::steady_clock::now();
    cluster_.reset();
    std::cerr << "test Slurm torn down in " << Since(t0) << " s\n";
  }
  static std::unique_ptr<SlurmCluster> cluster_;
};
std::unique_ptr<SlurmCluster> SlurmTest::cluster_;

const char kSmoke[] = "experiments/specs/allocation_100m.textproto";
// Epochs of the long run: enough steps that a checkpoint exists well before it ends.
constexpr int kLongEpochs = 128;

TEST_F(SlurmTest, SmokeSweepOnSlurmEqualsTheLocalBackendBitForBit) {
  const std::string local = Tmp() + "/local", slurm = Tmp() + "/slurm";
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd(Sweep(kSmoke, local, {"--workers=2"})), 0) << Tail(local + ".log");
  std::cerr << "local backend (with data preparation): " << Since(t0) << " s\n";
  t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd(Sweep(kSmoke, slurm, SlurmFlags())), 0) << Tail(slurm + ".log") << cluster_->Logs();
  std::cerr << "slurm backend: " << Since(t0) << " s\n";
  const std::map<std::string, double> expected = Results(kSmoke, local);
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(Results(kSmoke, slurm), expected);
  const std::string log = Read(slurm + ".log");
  EXPECT_TRUE(absl::StrContains(log, "submitted 4 run(s) as job array")) << log;
  EXPECT_TRUE(absl::StrContains(log, "4 planned: 0 already complete, 4 completed now, 0 failed")) << log;
  EXPECT_TRUE(fs::exists(slurm + "/runs.csv"));
  EXPECT_TRUE(fs::exists(slurm + "/summary.json"));
  // A second invocation submits nothing and says so in the local backend's words.
  ASSERT_EQ(RunToEnd(Sweep(kSmoke, slurm, SlurmFlags())), 0);
  EXPECT_TRUE(absl::StrContains(Read(slurm + ".log"), "4 planned: 4 already complete"));
  const std::vector<std::string> jobs =
      absl::StrSplit(absl::StripAsciiWhitespace(Read(slurm + "/slurm/jobs.tsv")), '\n');
  EXPECT_EQ(jobs.size(), 1u) << "one job array for the whole grid";
}

TEST_F(SlurmTest, CancelledAndRequeuedTaskResumesToTheSameFinalLoss) {
  // One longer run (the smoke grid's first shape, many epochs), so a task is cancelled mid-run.
  auto spec = plan::LoadExperimentSpec(kSmoke);
  ASSERT_TRUE(spec.ok());
  spec->add_epochs(kLongEpochs);
  for (auto& scale : *spec->mutable_scales()) {
    if (scale.name() != "smoke") continue;
    scale.mutable_shapes()->DeleteSubrange(1, scale.shapes_size() - 1);
    scale.clear_epochs();
    scale.add_epochs(kLongEpochs);
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(*spec, &text);
  const std::string spec_path = Tmp() + "/long.textproto";
  ASSERT_TRUE(io::WriteFileAtomically(spec_path, text).ok());
  const std::string local = Tmp() + "/long_local", slurm = Tmp() + "/long_slurm";
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd(Sweep(spec_path, local, {})), 0) << Tail(local + ".log");
  std::cerr << "long run, local: " << Since(t0) << " s\n";
  const std::map<std::string, double> expected = Results(spec_path, local);
  ASSERT_EQ(expected.size(), 1u);
  const std::string run_dir = slurm + "/runs/" + expected.begin()->first;

  std::string error;
  const pid_t runner = process::Launch(Sweep(spec_path, slurm, SlurmFlags()), &error);
  ASSERT_GT(runner, 0) << error;
  // Wait for a checkpoint of the running task.
  auto has_checkpoint = [&] {
    std::error_code ec;
    return fs::is_directory(run_dir + "/checkpoints", ec) &&
           fs::directory_iterator(run_dir + "/checkpoints", ec) != fs::directory_iterator();
  };
  t0 = std::chrono::steady_clock::now();
  while (!has_checkpoint() && Since(t0) < 60) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(has_checkpoint()) << Tail(slurm + ".log") << Tail(run_dir + "/train.log");
  kill(runner, SIGKILL);  // the runner dies; its job does not
  process::Wait(runner);
  const std::string job = std::string(absl::StripAsciiWhitespace(Read(slurm + "/slurm/jobs.tsv")).substr(2));
  ASSERT_FALSE(job.empty());
  const std::string task = job + "_0";
  std::string out;
  ASSERT_EQ(cluster_->Command({"scancel", task}, &out), 0) << out;
  for (int i = 0; i < 100; ++i) {
    cluster_->Command({"squeue", "--noheader", "--array", "--format=%i"}, &out);
    if (absl::StripAsciiWhitespace(out).empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(absl::StripAsciiWhitespace(out), "") << "the cancelled task is still queued";
  auto record = records::ReadRecord(run_dir);
  ASSERT_FALSE(record && record->complete()) << "the run finished before it was cancelled: raise kLongEpochs";
  // slurmd revokes a cancelled job's credential with a time stamp in whole seconds and refuses
  // any credential of that job created no later ("Killing non-startable batch JobId=N: Job
  // credential revoked"): a requeued task that starts within the second of its cancellation is
  // killed before its script runs. Requeue once the clock has passed that second.
  const std::time_t cancelled = std::time(nullptr);
  while (std::time(nullptr) <= cancelled + 1) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(cluster_->Command({"scontrol", "requeue", task}, &out), 0) << out;
  // A requeued job waits ~2 minutes before it is eligible again; let it start now.
  ASSERT_EQ(cluster_->Command({"scontrol", "update", "JobId=" + task, "StartTime=now"}, &out), 0) << out;

  const LaunchOptions again = Sweep(spec_path, slurm, SlurmFlags());
  const int before = static_cast<int>(Read(again.log_path).size());
  ASSERT_EQ(RunToEnd(again), 0) << Tail(again.log_path) << cluster_->Logs();
  const std::string log = Read(again.log_path).substr(before);
  EXPECT_TRUE(absl::StrContains(log, "found this sweep's job array(s) " + job)) << log;
  EXPECT_FALSE(absl::StrContains(log, "submitted")) << "a queued run was submitted again:\n"
                                                   << log << cluster_->Logs();
  EXPECT_EQ(Results(spec_path, slurm), expected);  // bit for bit
  const std::string train_log = Read(run_dir + "/train.log");
  EXPECT_TRUE(absl::StrContains(train_log, "resumed from")) << train_log;
  EXPECT_TRUE(absl::StrContains(Read(slurm + "/slurm/" + job + "_0.out"), "restart 1"))
      << Read(slurm + "/slurm/" + job + "_0.out") << cluster_->Logs();
}

TEST_F(SlurmTest, BadSlurmFlagsExitTwoWithOneLine) {
  for (const std::string& flag : {"--backend=pbs", "--cpus_per_task=0", "--sbatch_args=qos",
                                  "--max_parallel=-1"}) {
    const std::string out = Tmp() + "/bad";
    LaunchOptions l = Sweep(kSmoke, out, {"--backend=slurm", flag});
    l.log_path = Tmp() + "/bad.log";
    fs::remove(l.log_path);
    EXPECT_EQ(RunToEnd(l), 2) << flag;
    const std::string log = Read(l.log_path);
    EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << flag << ": " << log;
  }
}

TEST_F(SlurmTest, PaperScaleEmitSbatchWritesScriptsThatSbatchAccepts) {
  const std::string dir = Tmp() + "/emit";
  LaunchOptions l = Sweep(kSmoke, Tmp() + "/unused", {"--emit_sbatch=" + dir, "--partition=debug",
                                                       "--gpus_per_task=0", "--max_parallel=8"});
  for (std::string& a : l.args) {
    if (a == "--scale=smoke") a = "--scale=paper";
  }
  l.log_path = dir + ".log";
  ASSERT_EQ(RunToEnd(l), 0) << Tail(l.log_path);
  auto spec = plan::LoadExperimentSpec(kSmoke);
  auto plan = plan::Expand(*spec, "paper");
  ASSERT_TRUE(plan.ok());
  int scripts = 0, tasks = 0;
  for (absl::string_view line : absl::StrSplit(Read(dir + "/submit.sh"), '\n')) {
    if (!absl::StartsWith(line, "sbatch ")) continue;
    const std::string script = dir + "/" + std::string(line.substr(7));
    const std::string text = Read(script);
    EXPECT_TRUE(absl::StrContains(text, "#SBATCH --time=")) << text;
    EXPECT_TRUE(absl::StrContains(text, "#SBATCH --partition=debug"));
    std::string out;
    EXPECT_EQ(cluster_->Command({"sbatch", "--test-only", script}, &out), 0) << script << ": " << out;
    ++scripts;
  }
  for (absl::string_view line : absl::StrSplit(Read(dir + "/runs.tsv"), '\n', absl::SkipEmpty())) {
    if (!absl::StartsWith(line, "script")) ++tasks;
  }
  EXPECT_GE(scripts, 1);
  EXPECT_EQ(tasks, plan->runs_size());
  for (const auto& run : plan->runs()) EXPECT_TRUE(fs::exists(dir + "/runs/" + run.hash() + "/spec.textproto"));
  std::cerr << "emit_sbatch: " << plan->runs_size() << " paper runs in " << scripts << " script(s)\n";
}

}  // namespace
}  // namespace datawall::sweep
