// The sweep runner against a fake trainer (fake_train.cc): every run completes once, complete
// runs are skipped, interrupted runs resume from their checkpoints with the same final result,
// failed launches are retried, a second runner on the same directory is refused, complete
// records copied to another checkout (another path and data root) are complete there, and
// killing the runner with SIGKILL at random points never loses or duplicates a run; with devices,
// each trainer sees one GPU and no GPU holds more than runs_per_device trainers at once.
#include "experiments/sweep/runner.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "experiments/plan/expand.h"
#include "experiments/records/records.h"
#include "tools/process/process.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"

namespace datawall::sweep {
namespace {

namespace fs = std::filesystem;
using process::ExitCode;
using process::Launch;
using process::LaunchOptions;
using process::TryLockFile;
using experiments::SweepPlan;
using plan::Expand;
using plan::ParseExperimentSpec;

constexpr char kSpec[] = R"pb(
  name: "runner_test"
  kind: ALLOCATION
  epochs: [ 1, 2, 4 ]
  scales {
    name: "smoke"
    shapes { preset: "micro_d32_l1" }
    shapes { preset: "micro_d64_l2" }
    unique_tokens: 4000
    base { data { name: "en" shard: "unused.shard" } }
  }
)pb";

SweepPlan Plan() {
  auto spec = ParseExperimentSpec(kSpec, "kSpec");
  EXPECT_TRUE(spec.ok()) << spec.status();
  auto plan = Expand(*spec, "smoke");
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *plan;
}

std::string TempDir(const std::string& name) {
  const std::string dir = std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") +
                          "/" + name;
  fs::remove_all(dir);
  return dir;
}

RunnerOptions Options(const std::string& out) {
  RunnerOptions options;
  options.out_dir = out;
  options.train_binary = "tests/experiments/sweep/fake_train";
  options.data_root = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
  options.workers = 2;
  options.poll_seconds = 0.005;
  options.delete_checkpoints_when_complete = false;
  return options;
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

// hash -> final loss of every complete record.
std::map<std::string, double> Results(const SweepPlan& plan, const std::string& out) {
  std::map<std::string, double> results;
  auto records = records::LoadRecords(plan, out);
  for (int i = 0; i < plan.runs_size(); ++i) {
    if (records[i] && records[i]->complete()) results[plan.runs(i).hash()] = records[i]->final_val_loss();
  }
  return results;
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("FAKE_TRAIN_TIMELINE");
    unsetenv("FAKE_TRAIN_EXIT_AFTER");
    unsetenv("FAKE_TRAIN_FAIL_ONCE");
    setenv("FAKE_TRAIN_STEP_MS", "1", 1);
  }
};

TEST_F(RunnerTest, RunsEveryRunOnceThenSkipsThem) {
  const SweepPlan plan = Plan();
  ASSERT_EQ(plan.runs_size(), 6);
  const std::string out = TempDir("once");
  auto first = RunSweep(plan, Options(out));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->completed, 6);
  EXPECT_EQ(first->already_complete, 0);
  EXPECT_TRUE(first->all_complete());
  for (const auto& run : plan.runs()) {
    const std::string dir = RunDir(out, run);
    EXPECT_EQ(CountLines(dir + "/launches.log"), 1) << run.spec().name();
    std::string spec_text;
    ASSERT_TRUE(io::ReadFile(dir + "/spec.textproto", &spec_text).ok());
    // The trainer's spec: the planned one as is (relative shard paths), with --data_root.
    EXPECT_EQ(spec_text, records::CanonicalText(run.spec()));
    std::string launches;
    ASSERT_TRUE(io::ReadFile(dir + "/launches.log", &launches).ok());
    EXPECT_NE(launches.find("data_root=" + fs::absolute(Options(out).data_root).lexically_normal().string()),
              std::string::npos) << launches;
  }
  EXPECT_TRUE(fs::exists(out + "/plan.textproto"));

  auto second = RunSweep(plan, Options(out));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->already_complete, 6);
  EXPECT_EQ(second->completed, 0);
  for (const auto& run : plan.runs()) EXPECT_EQ(CountLines(RunDir(out, run) + "/launches.log"), 1);
}

struct Launched {
  std::string device;
  long long start_ms, end_ms;
};

std::vector<Launched> ReadTimeline(const std::string& path) {
  std::vector<Launched> out;
  std::ifstream in(path);
  Launched l;
  while (in >> l.device >> l.start_ms >> l.end_ms) out.push_back(l);
  return out;
}

// The most launches of `device` running at one time.
int MaxConcurrent(const std::vector<Launched>& timeline, const std::string& device) {
  std::vector<std::pair<long long, int>> events;  // (time, +1 start / -1 end); ends first on ties
  for (const Launched& l : timeline) {
    if (l.device != device) continue;
    events.push_back({l.start_ms, +1});
    events.push_back({l.end_ms, -1});
  }
  std::sort(events.begin(), events.end());
  int now = 0, most = 0;
  for (const auto& [t, delta] : events) most = std::max(most, now += delta);
  return most;
}

TEST_F(RunnerTest, PlacesTrainersOnDevicesAtMostKPerDevice) {
  const SweepPlan plan = Plan();
  const std::string out = TempDir("devices");
  const std::string timeline = out + ".timeline";
  fs::remove(timeline);
  setenv("FAKE_TRAIN_TIMELINE", timeline.c_str(), 1);
  setenv("FAKE_TRAIN_STEP_MS", "40", 1);  // 0.16-0.64 s per run: the first launches overlap
  RunnerOptions options = Options(out);
  options.devices = {"3", "1"};
  options.runs_per_device = 2;
  options.workers = 4;
  auto ran = RunSweep(plan, options);
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_EQ(ran->completed, plan.runs_size());
  const std::vector<Launched> launched = ReadTimeline(timeline);
  ASSERT_EQ(static_cast<int>(launched.size()), plan.runs_size());
  std::map<std::string, int> per_device;
  for (const Launched& l : launched) ++per_device[l.device];
  // Every trainer saw exactly one of the listed devices, and both were used.
  EXPECT_EQ(per_device.size(), 2u);
  EXPECT_EQ(per_device.count("3") + per_device.count("1"), 2u);
  EXPECT_EQ(MaxConcurrent(launched, "3"), 2);
  EXPECT_EQ(MaxConcurrent(launched, "1"), 2);
  for (const RunOutcome& r : ran->runs) EXPECT_TRUE(r.device == "3" || r.device == "1") << r.device;

  // One device, one run at a time: never two at once.
  const std::string serial = TempDir("one_device");
  fs::remove(timeline);
  options = Options(serial);
  options.devices = {"0"};
  options.runs_per_device = 1;
  options.workers = 1;
  ran = RunSweep(plan, options);
  ASSERT_TRUE(ran.ok()) << ran.status();
  const std::vector<Launched> one = ReadTimeline(timeline);
  ASSERT_EQ(static_cast<int>(one.size()), plan.runs_size());
  EXPECT_EQ(MaxConcurrent(one, "0"), 1);

  // Without devices the trainers inherit the environment (no CUDA_VISIBLE_DEVICES set here).
  unsetenv("CUDA_VISIBLE_DEVICES");
  fs::remove(timeline);
  ran = RunSweep(plan, Options(TempDir("no_devices")));
  ASSERT_TRUE(ran.ok()) << ran.status();
  for (const Launched& l : ReadTimeline(timeline)) EXPECT_EQ(l.device, "-");
}

TEST_F(RunnerTest, RefusesInconsistentDevices) {
  RunnerOptions options = Options(TempDir("bad_devices"));
  std::string error;
  options.devices = {"0", "1"};
  options.runs_per_device = 2;
  options.workers = 3;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_NE(error.find("leave --workers out"), std::string::npos) << error;
  options.workers = 4;
  EXPECT_TRUE(options.IsValid(&error)) << error;
  options.devices = {"0", "0"};
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_NE(error.find("listed twice"), std::string::npos) << error;
  options.devices = {"0", ""};
  EXPECT_FALSE(options.IsValid(&error));
  options.devices = {"0"};
  options.runs_per_device = 0;
  options.workers = 0;
  EXPECT_FALSE(options.IsValid(&error));
}

TEST_F(RunnerTest, ResumesAnInterruptedRunToTheSameResult) {
  const SweepPlan plan = Plan();
  const std::string reference = TempDir("reference");
  ASSERT_TRUE(RunSweep(plan, Options(reference)).ok());

  const std::string out = TempDir("resume");
  setenv("FAKE_TRAIN_EXIT_AFTER", "3", 1);  // every launch stops after 3 steps
  RunnerOptions options = Options(out);
  options.max_attempts = 1;
  auto partial = RunSweep(plan, options);
  ASSERT_TRUE(partial.ok()) << partial.status();
  // Runs of <= 3 steps (4000 tokens -> 4 steps is the smallest) all fail here.
  EXPECT_EQ(partial->completed, 0);
  EXPECT_EQ(partial->failed, 6);
  unsetenv("FAKE_TRAIN_EXIT_AFTER");
  auto rest = RunSweep(plan, Options(out));
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->completed, 6);
  for (const auto& run : plan.runs()) {
    std::ifstream log(RunDir(out, run) + "/launches.log");
    std::string first, second;
    std::getline(log, first);
    std::getline(log, second);
    EXPECT_NE(first.find("resume=0 start_step=0"), std::string::npos) << first;
    EXPECT_NE(second.find("resume=1 start_step=3"), std::string::npos) << second;
  }
  EXPECT_EQ(Results(plan, out), Results(plan, reference));
  EXPECT_EQ(Results(plan, out).size(), 6u);
}

TEST_F(RunnerTest, RetriesAFailedLaunchWithResume) {
  const SweepPlan plan = Plan();
  const std::string out = TempDir("retry");
  setenv("FAKE_TRAIN_FAIL_ONCE", "1", 1);
  auto summary = RunSweep(plan, Options(out));
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->completed, 6);
  for (const RunOutcome& r : summary->runs) EXPECT_EQ(r.attempts, 2) << r.name;

  const std::string out1 = TempDir("retry_limit");
  RunnerOptions options = Options(out1);
  options.max_attempts = 1;
  auto limited = RunSweep(plan, options);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->failed, 6);
  EXPECT_FALSE(limited->all_complete());
  EXPECT_NE(limited->BriefReport().find("failed: runner_test.smoke"), std::string::npos);
}

TEST_F(RunnerTest, RefusesASecondRunnerAndAForeignRunDirectory) {
  const SweepPlan plan = Plan();
  const std::string out = TempDir("locked");
  fs::create_directories(out);
  std::string error;
  const int fd = TryLockFile(out + "/sweep.lock", false, &error);
  ASSERT_GE(fd, 0) << error;
  // flock locks belong to the open file description: a second open in this process conflicts.
  RunnerOptions options = Options(out);
  options.lock_wait_seconds = 0.2;
  auto refused = RunSweep(plan, options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("sweep.lock"), std::string::npos);
  close(fd);

  // A record of another run in run 2's directory (its spec does not hash to the name).
  fs::create_directories(RunDir(out, plan.runs(2)));
  experiments::RunRecord other;
  *other.mutable_spec() = plan.runs(3).spec();
  other.set_complete(true);
  ASSERT_TRUE(records::WriteRecordFile(RunDir(out, plan.runs(2)) + "/record.textproto", other).ok());
  auto foreign = RunSweep(plan, Options(out));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(foreign.status().message().find(plan.runs(2).hash()), std::string::npos);
  EXPECT_NE(foreign.status().message().find(plan.runs(3).hash()), std::string::npos);

  RunnerOptions bad = Options(TempDir("bad"));
  bad.train_binary = "/nonexistent/train";
  EXPECT_NE(RunSweep(plan, bad).status().message().find("--train_binary"), std::string::npos);
  bad.workers = 0;
  EXPECT_NE(RunSweep(plan, bad).status().message().find("--workers"), std::string::npos);
}

// What a fresh clone elsewhere sees: the committed files of a finished sweep (records, logs;
// not the git-ignored spec.textproto, plan.textproto, locks or checkpoints) under another root,
// run with another data root. Every run counts as complete and no trainer is launched.
TEST_F(RunnerTest, CommittedRecordsAreCompleteInAnotherCheckout) {
  const SweepPlan plan = Plan();
  const std::string first_root = TempDir("checkout_a");
  const std::string out = first_root + "/experiments/results/smoke/runner_test";
  RunnerOptions options = Options(out);
  options.data_root = first_root;
  options.delete_checkpoints_when_complete = true;
  auto first = RunSweep(plan, options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->completed, plan.runs_size());

  const std::string second_root = TempDir("elsewhere") + "/clone";
  const std::string copy = second_root + "/experiments/results/smoke/runner_test";
  fs::create_directories(copy + "/runs");
  for (const auto& run : plan.runs()) {
    fs::create_directories(RunDir(copy, run));
    for (const char* file : {"record.textproto", "launches.log"}) {
      fs::copy_file(RunDir(out, run) + "/" + file, RunDir(copy, run) + "/" + file);
    }
  }
  fs::remove_all(first_root);  // nothing of the first checkout is left to find
  RunnerOptions elsewhere = Options(copy);
  elsewhere.data_root = second_root;
  auto second = RunSweep(plan, elsewhere);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->already_complete, plan.runs_size());
  EXPECT_EQ(second->completed, 0);
  EXPECT_TRUE(second->all_complete());
  for (const auto& run : plan.runs()) {
    EXPECT_EQ(CountLines(RunDir(copy, run) + "/launches.log"), 1) << run.spec().name();
    EXPECT_FALSE(fs::exists(RunDir(copy, run) + "/spec.textproto")) << "a trainer was prepared";
  }
}

TEST_F(RunnerTest, SurvivesSigkillAtRandomPoints) {
  const SweepPlan plan = Plan();
  const std::string reference = TempDir("kill_reference");
  ASSERT_TRUE(RunSweep(plan, Options(reference)).ok());

  setenv("FAKE_TRAIN_STEP_MS", "3", 1);
  const std::string out = TempDir("kill");
  std::mt19937 rng(12345);
  int kills = 0;
  for (int round = 0; round < 40; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = RunSweep(plan, Options(out));
      if (!s.ok()) fprintf(stderr, "child: %s\n", s.status().ToString().c_str());
      if (s.ok() && !s->all_complete()) fprintf(stderr, "child: %s\n", s->BriefReport().c_str());
      _exit(s.ok() && s->all_complete() ? 0 : 1);
    }
    const int delay_ms = std::uniform_int_distribution<int>(1, 60)(rng);
    usleep(delay_ms * 1000);
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) {
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      break;
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    ++kills;
  }
  EXPECT_GE(kills, 3);
  // Finish whatever is left without interruption.
  auto last = RunSweep(plan, Options(out));
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_TRUE(last->all_complete());
  EXPECT_EQ(Results(plan, out), Results(plan, reference));
  for (const auto& run : plan.runs()) {
    EXPECT_FALSE(fs::exists(RunDir(out, run) + "/DUPLICATE")) << run.spec().name();
  }
  // Exactly the planned run directories exist.
  int dirs = 0;
  for (const auto& entry : fs::directory_iterator(out + "/runs")) {
    (void)entry;
    ++dirs;
  }
  EXPECT_EQ(dirs, plan.runs_size());
}

}  // namespace
}  // namespace datawall::sweep
