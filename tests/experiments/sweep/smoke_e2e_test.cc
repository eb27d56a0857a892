// End to end with the real train CLI and //data:prepare: every experiment's smoke scale runs
// to completion through the sweep CLI (exactly what `bazel run //experiments:<name> --
// --scale=smoke` runs, with --out and --data_root in the test's temporary directory), and the
// acceptance test: SIGKILL the sweep at random points during a smoke experiment, restart it,
// and end with exactly the records and results of an uninterrupted sweep.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "experiments/analysis/summary.pb.h"
#include "experiments/plan/expand.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/records.h"
#include "tools/process/process.h"
#include "experiments/sweep/runner.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

namespace datawall::sweep {
namespace {

namespace fs = std::filesystem;
using process::ExitCode;
using process::Launch;
using process::LaunchOptions;
using process::TryLockFile;
using plan::Expand;
using plan::LoadExperimentSpec;

const std::vector<std::string> kExperiments = {
    "allocation_100m",    "allocation_400m",    "allocation_1b5",    "return_isoflop_2b8",
    "return_isoflop_4b2", "return_isoflop_8b7", "complementary_code"};

std::string Tmp() { return getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp"; }
std::string DataRoot() { return Tmp() + "/data_root"; }

LaunchOptions SweepCommand(const std::string& experiment, const std::string& out, int workers = 2) {
  LaunchOptions l;
  l.binary = fs::absolute("experiments/sweep/sweep").string();
  l.args = {"--experiment=experiments/specs/" + experiment + ".textproto",
            "--scale=smoke",
            "--train_binary=experiments/train",
            "--prepare_binary=data/prepare",
            "--prepare_args=--nofetch,--raw=" + paths::WorkspaceRoot() + "/data/raw",
            "--data_root=" + DataRoot(),
            "--out=" + out,
            "--workers=" + std::to_string(workers),
            "--bootstrap=0",
            "--format=json",
            "--progress_every=0"};
  l.log_path = out + ".log";
  return l;
}

int RunToEnd(const LaunchOptions& l) {
  std::string error;
  const pid_t pid = Launch(l, &error);
  EXPECT_GT(pid, 0) << error;
  int status = 0;
  waitpid(pid, &status, 0);
  return ExitCode(status);
}

std::string FullLog(const std::string& path) {
  std::string text;
  if (!io::ReadFile(path, &text).ok()) return "";  // a missing log reads as empty
  return text;
}

std::string Log(const std::string& path) {
  const std::string text = FullLog(path);
  return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
}

experiments::ExperimentSummary ReadSummary(const std::string& out) {
  std::string json;
  const Result read = io::ReadFile(out + "/summary.json", &json);
  EXPECT_TRUE(read.ok()) << read.message();
  experiments::ExperimentSummary s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok());
  return s;
}

// hash -> final loss of every complete record under out/runs.
std::map<std::string, double> Results(const std::string& experiment, const std::string& out) {
  auto spec = LoadExperimentSpec("experiments/specs/" + experiment + ".textproto");
  auto plan = Expand(*spec, "smoke");
  std::map<std::string, double> results;
  auto records = records::LoadRecords(*plan, out);
  for (int i = 0; i < plan->runs_size(); ++i) {
    if (records[i] && records[i]->complete()) results[plan->runs(i).hash()] = records[i]->final_val_loss();
  }
  return results;
}

class SmokeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(fs::exists(paths::WorkspaceRoot() + "/data/raw/MANIFEST.tsv"))
        << "data/raw is missing: run tools/setup.sh (its data hook fetches the corpora)";
  }
};

TEST_F(SmokeTest, EveryExperimentRunsEndToEndAtSmokeScale) {
  for (const std::string& e : kExperiments) {
    const std::string out = Tmp() + "/smoke/" + e;
    fs::create_directories(Tmp() + "/smoke");
    const LaunchOptions command = SweepCommand(e, out);
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(RunToEnd(command), 0) << e << "\n" << Log(command.log_path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const experiments::ExperimentSummary s = ReadSummary(out);
    EXPECT_EQ(s.experiment(), e);
    EXPECT_GT(s.planned(), 0);
    EXPECT_EQ(s.complete(), s.planned()) << e;
    for (const auto& r : s.runs()) {
      EXPECT_TRUE(r.complete()) << r.name();
      // A trained model beats the uniform distribution over the 384-token vocabulary by far
      // only with more data; here it must at least be finite and below uniform + 1 nat.
      EXPECT_TRUE(std::isfinite(r.final_val_loss())) << r.name();
      EXPECT_GT(r.final_val_loss(), 0);
      EXPECT_LT(r.final_val_loss(), std::log(384.0) + 1) << r.name();
      EXPECT_TRUE(fs::exists(out + "/runs/" + r.hash() + "/record.textproto"));
      // The per-step train curve beside the record, not in it.
      auto curve = records::ReadCurveCsv(out + "/runs/" + r.hash() + "/curves.csv");
      ASSERT_TRUE(curve.ok()) << curve.status();
      EXPECT_EQ(curve->name(), "train_loss");
      EXPECT_GT(curve->point_size(), 0);
      EXPECT_FALSE(fs::exists(out + "/runs/" + r.hash() + "/checkpoints")) << "deleted when complete";
    }
    EXPECT_TRUE(fs::exists(out + "/summary.txt"));
    auto rows = records::ReadRunsCsv(out + "/runs.csv");
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(static_cast<int>(rows->size()), s.planned());
    for (int i = 0; i < s.runs_size(); ++i) {
      EXPECT_EQ((*rows)[i].hash, s.runs(i).hash());
      EXPECT_EQ((*rows)[i].final_val_loss, s.runs(i).final_val_loss());
    }
    if (e == "complementary_code") {
      // The repeat arm (natural language only, U = (1 - f) D repeated to D) trains for real:
      // both comparison rows (50% and 90%) are measured, and so is the claim.
      ASSERT_EQ(s.code_vs_repeat_size(), 2);
      for (const auto& row : s.code_vs_repeat()) {
        EXPECT_EQ(row.code_n(), 1);
        EXPECT_EQ(row.repeat_n(), 1);
        EXPECT_NE(row.verdict(), "not measured");
        EXPECT_NE(row.code_loss(), row.repeat_loss()) << "different data, different losses";
      }
      EXPECT_NE(s.code_repeat_claim().status(), "not measured");
    }
    // A second invocation skips everything.
    ASSERT_EQ(RunToEnd(command), 0);
    EXPECT_NE(FullLog(command.log_path).find(absl::StrCat(s.planned(), " planned: ", s.planned(), " already complete")),
              std::string::npos);
    std::cerr << e << ": " << s.planned() << " runs in " << seconds << " s"
              << (e == kExperiments[0] ? " (including data preparation)" : "") << "\n";
  }
}

// The filter experiments: the sweep builds the pools (pool, reference GPT and perplexity bands,
// dedup arms), trains every arm on its own filtered shard with the filter's provenance in the
// run, writes each run's per-source and high-quality validation losses, and then deletes the
// checkpoints; a second invocation reuses everything.
TEST_F(SmokeTest, FilterExperimentsBuildTheirPoolsAndEvaluateEveryRun) {
  for (const std::string e : {"filter_perplexity", "filter_dedup"}) {
    const std::string out = Tmp() + "/smoke/" + e;
    fs::create_directories(Tmp() + "/smoke");
    LaunchOptions command = SweepCommand(e, out);
    for (const std::string flag : {"--pools_binary=experiments/quality/build_pools",
                                   "--filter_binary=experiments/quality/perplexity_filter",
                                   "--dedup_binary=data/dedup/dedup_shard",
                                   "--eval_binary=experiments/quality/evaluate_sources"}) {
      command.args.push_back(flag);
    }
    ASSERT_EQ(RunToEnd(command), 0) << e << "\n" << Log(command.log_path);
    experiments::BuiltPools built;
    std::string text;
    ASSERT_TRUE(io::ReadFile(out + "/pools.textproto", &text).ok());
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &built));
    const experiments::ExperimentSummary s = ReadSummary(out);
    ASSERT_EQ(s.complete(), s.planned()) << e;
    ASSERT_EQ(s.planned(), built.arms_size());
    std::set<std::string> shards;
    int64_t all_tokens = 0;
    for (const auto& a : built.arms()) {
      if (a.filter() == "all") all_tokens = a.unique_tokens();
    }
    ASSERT_GT(all_tokens, 0);
    for (const auto& a : built.arms()) {
      EXPECT_GT(a.unique_tokens(), 0) << a.filter();
      EXPECT_LE(a.unique_tokens(), all_tokens) << a.filter();
      EXPECT_TRUE(shards.insert(a.shard()).second) << "every arm has its own shard";
      if (a.filter().rfind("top", 0) == 0 || a.filter() == "mid25_75") {
        EXPECT_NE(a.provenance().find("scorer=gpt:"), std::string::npos) << a.provenance();
        EXPECT_LT(a.unique_tokens(), all_tokens) << a.filter() << "\n" << text;
      }
      if (a.filter().rfind("dedup", 0) == 0) EXPECT_NE(a.provenance().find("min_span_chars=100"), std::string::npos);
    }
    for (const auto& r : s.runs()) {
      const std::string dir = out + "/runs/" + r.hash();
      auto record = records::ReadRecordFile(dir + "/record.textproto");
      ASSERT_TRUE(record.ok()) << record.status();
      EXPECT_FALSE(record->spec().data(0).filter().empty()) << r.name() << ": provenance in the run";
      std::string json;
      ASSERT_TRUE(io::ReadFile(dir + "/validation_sources.json", &json).ok()) << r.name();
      EXPECT_NE(json.find("\"quality\""), std::string::npos);
      EXPECT_NE(json.find("\"sotu\""), std::string::npos) << json;
      EXPECT_FALSE(fs::exists(dir + "/checkpoints")) << "deleted after the per-source validation";
    }
    ASSERT_EQ(RunToEnd(command), 0);
    EXPECT_NE(FullLog(command.log_path).find(absl::StrCat(s.planned(), " planned: ", s.planned(), " already complete")),
              std::string::npos);
  }
}

TEST_F(SmokeTest, SigkillAtRandomPointsEndsWithTheSameRecordsAsAnUninterruptedSweep) {
  const std::string experiment = "allocation_100m";
  const std::string reference = Tmp() + "/kill/reference";
  const std::string out = Tmp() + "/kill/killed";
  fs::create_directories(Tmp() + "/kill");
  // One worker throughout, so the kill points can be placed relative to the sweep's duration.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunToEnd(SweepCommand(experiment, reference, 1)), 0) << Log(reference + ".log");
  const int sweep_ms = static_cast<int>(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  const std::map<std::string, double> expected = Results(experiment, reference);
  ASSERT_EQ(expected.size(), 4u);

  // Kill after a random 1/30 to 1/5 of an uninterrupted sweep's time: each round makes at most
  // a fifth of the progress, so the first rounds are killed (wherever in a run that falls) even
  // if the machine gets up to 2.5x faster than during the reference sweep.
  std::mt19937 rng(20261126);
  int kills = 0;
  bool finished = false;
  for (int round = 0; round < 30 && !finished; ++round) {
    std::string error;
    const pid_t pid = Launch(SweepCommand(experiment, out, 1), &error);
    ASSERT_GT(pid, 0) << error;
    const int delay_ms = std::uniform_int_distribution<int>(sweep_ms / 30, sweep_ms / 5)(rng);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        finished = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (finished) {
      ASSERT_EQ(ExitCode(status), 0) << Log(out + ".log");
      break;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ++kills;
  }
  EXPECT_GE(kills, 2);
  if (!finished) ASSERT_EQ(RunToEnd(SweepCommand(experiment, out, 1)), 0) << Log(out + ".log");
  // Same runs, same results, bit for bit.
  EXPECT_EQ(Results(experiment, out), expected);
  const experiments::ExperimentSummary a = ReadSummary(reference), b = ReadSummary(out);
  ASSERT_EQ(a.runs_size(), b.runs_size());
  for (int i = 0; i < a.runs_size(); ++i) {
    EXPECT_EQ(a.runs(i).hash(), b.runs(i).hash());
    EXPECT_EQ(a.runs(i).final_val_loss(), b.runs(i).final_val_loss()) << a.runs(i).name();
  }
  ASSERT_EQ(a.checks_size(), b.checks_size());
  for (int i = 0; i < a.checks_size(); ++i) EXPECT_EQ(a.checks(i).loss(), b.checks(i).loss());
  // Exactly the planned run directories, each with one complete record.
  int dirs = 0;
  for (const auto& entry : fs::directory_iterator(out + "/runs")) {
    ++dirs;
    auto record = records::ReadRecord(entry.path().string());
    ASSERT_TRUE(record.has_value()) << entry.path();
    EXPECT_TRUE(record->complete());
  }
  EXPECT_EQ(dirs, 4);
  std::cerr << "killed the sweep " << kills << " times (uninterrupted: " << sweep_ms << " ms)\n";
}

}  // namespace
}  // namespace datawall::sweep
