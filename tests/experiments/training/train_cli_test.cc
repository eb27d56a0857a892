// The train CLI end to end: the smoke spec trains (on a synthetic shard, its relative paths
// resolved against --data_root) below the unigram entropy, writing a record that keeps the spec
// as given with the val_loss curve and curves.csv with the per-step train_loss; a run killed
// with a real SIGKILL and resumed ends with the identical final validation loss; bad specs exit
// 2 with one line before training starts, a missing shard naming the //data:prepare command.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "experiments/records/records.h"
#include "experiments/records/run_record.pb.h"
#include "experiments/training/checkpoint.h"
#include "experiments/training/synthetic_data.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"

namespace datawall::training {
namespace {

namespace fs = std::filesystem;

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") + "/" + path;
}

std::string Tmp() { return std::getenv("TEST_TMPDIR"); }

// Starts the train binary with `args`, stderr to `err_path`; returns the pid.
pid_t Start(const std::vector<std::string>& args, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    std::vector<char*> argv;
    const std::string binary = Runfile("experiments/train");
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int RunTrain(const std::vector<std::string>& args, std::string* err) {
  const std::string err_path = Tmp() + "/stderr.txt";
  int status = 0;
  waitpid(Start(args, err_path), &status, 0);
  const Result read = io::ReadFile(err_path, err);
  EXPECT_TRUE(read.ok()) << read.message();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

experiments::RunRecord ReadRecord(const std::string& dir) {
  std::string text;
  const Result read = io::ReadFile(dir + "/record.textproto", &text);
  EXPECT_TRUE(read.ok()) << read.message();
  experiments::RunRecord record;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &record));
  return record;
}

class TrainCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    source_.vocab_size = 256;
    source_.branching = 4;
    source_.seed = 3;
    source_.document_tokens = 800;
    ASSERT_TRUE(WriteMarkovShard(Tmp() + "/train.shard", source_, 700000, 0).ok());
    ASSERT_TRUE(WriteMarkovShard(Tmp() + "/val.shard", source_, 40000, 1).ok());
  }

  // The committed smoke spec with its shard paths pointed at the synthetic shards, relative to
  // the test's temporary directory (the --data_root).
  static std::string SmokeSpec() {
    std::string text;
    EXPECT_TRUE(io::ReadFile(Runfile("experiments/specs/smoke_run.textproto"), &text).ok());
    text = std::regex_replace(text, std::regex(R"(shard: "[^"]*")"), "shard: \"train.shard\"");
    text = std::regex_replace(text, std::regex(R"(validation_shard: "[^"]*")"),
                              "validation_shard: \"val.shard\"");
    return text;
  }

  static std::string WriteSpec(const std::string& name, const std::string& text) {
    const std::string path = Tmp() + "/" + name + ".textproto";
    EXPECT_TRUE(io::WriteFileAtomically(path, text).ok());
    return path;
  }

  // A longer run (~4 s) for the kill/resume test: d 64, 2 layers, seq 64, 240 steps.
  static std::string KillSpec() {
    return "name: \"kill\"\n"
           "model { d_model: 64 ffw_size: 256 kv_size: 32 n_heads: 2 n_layers: 2 "
           "vocab_size: 256 seq_len: 64 }\n"
           "total_tokens: 245760 unique_tokens: 50000 seed: 9\n"
           "optimizer { max_lr: 0.002 batch_size: 16 }\n"
           "data { name: \"markov\" shard: \"" + Tmp() + "/train.shard\" }\n"
           "validation_shard: \"" + Tmp() + "/val.shard\"\n"
           "eval_tokens: 4097 eval_every_steps: 60 checkpoint_every_steps: 20\n";
  }

  static MarkovSource source_;
};
MarkovSource TrainCliTest::source_;

TEST_F(TrainCliTest, SmokeSpecTrainsBelowUnigramEntropy) {
  const std::string out = Tmp() + "/smoke";
  std::string err;
  ASSERT_EQ(RunTrain({"--spec=" + WriteSpec("smoke", SmokeSpec()), "--out=" + out,
                      "--data_root=" + Tmp()},
                     &err),
            0)
      << err;
  const experiments::RunRecord r = ReadRecord(out);
  EXPECT_TRUE(r.complete());
  const double unigram = UnigramEntropy(source_.Documents(8000, 1));
  EXPECT_GT(unigram, 5.0);  // ~log(256) = 5.55
  EXPECT_LT(r.final_val_loss(), unigram - 1.0) << "unigram " << unigram;
  EXPECT_EQ(r.spec().name(), "smoke_run");
  // The spec as given (relative paths), so the record keeps the run's hash in any checkout.
  EXPECT_EQ(r.spec().data(0).shard(), "train.shard");
  EXPECT_EQ(r.spec().validation_shard(), "val.shard");
  EXPECT_GT(r.params(), 0);
  EXPECT_FALSE(r.provenance().git_commit().empty());
  EXPECT_EQ(r.provenance().device(), "cpu");
  EXPECT_FALSE(r.provenance().data_hash().empty());
  bool has_torch = false;
  for (const auto& lib : r.provenance().library()) has_torch |= lib.name() == "libtorch";
  EXPECT_TRUE(has_torch);
  // The record holds the evaluations only; the per-step train loss is in curves.csv.
  ASSERT_EQ(r.curve_size(), 1);
  EXPECT_EQ(r.curve(0).name(), "val_loss");
  EXPECT_EQ(r.curve(0).point(r.curve(0).point_size() - 1).value(), r.final_val_loss());
  absl::StatusOr<experiments::Curve> train = records::ReadCurveCsv(out + "/curves.csv");
  ASSERT_TRUE(train.ok()) << train.status();
  EXPECT_EQ(train->name(), "train_loss");
  ASSERT_GT(train->point_size(), 1);
  EXPECT_EQ(train->point(train->point_size() - 1).step(), r.steps());
  EXPECT_EQ(train->point(train->point_size() - 1).tokens(), r.trained_tokens());
  EXPECT_LT(train->point(train->point_size() - 1).value(), train->point(0).value());
  EXPECT_FALSE(ListCheckpoints(out + "/checkpoints").empty());
  bool events = false;
  for (const auto& e : fs::directory_iterator(out + "/tensorboard")) {
    events |= e.path().filename().string().rfind("events.out.tfevents.", 0) == 0;
  }
  EXPECT_TRUE(events);
}

TEST_F(TrainCliTest, SigkillMidTrainingThenResumeGivesIdenticalFinalLoss) {
  const std::string spec = WriteSpec("kill", KillSpec());
  std::string err;
  const std::string full = Tmp() + "/full";
  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + full}, &err), 0) << err;
  const experiments::RunRecord uninterrupted = ReadRecord(full);
  ASSERT_TRUE(uninterrupted.complete());

  const std::string killed = Tmp() + "/killed";
  const pid_t pid = Start({"--spec=" + spec, "--out=" + killed}, Tmp() + "/killed.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(CheckpointPath(killed + "/checkpoints", 60)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the run ended before it could be killed";
  const auto left = ListCheckpoints(killed + "/checkpoints");
  ASSERT_FALSE(left.empty());
  EXPECT_NE(left.back(), CheckpointPath(killed + "/checkpoints", 240));  // killed mid-training

  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + killed, "--resume"}, &err), 0) << err;
  EXPECT_NE(err.find("resumed from"), std::string::npos) << err;
  const experiments::RunRecord resumed = ReadRecord(killed);
  EXPECT_TRUE(resumed.complete());
  EXPECT_GE(resumed.resumed_from_step(), 60);
  EXPECT_EQ(resumed.final_val_loss(), uninterrupted.final_val_loss());  // bit-identical
  ASSERT_EQ(resumed.curve(0).point_size(), uninterrupted.curve(0).point_size());
  for (int i = 0; i < resumed.curve(0).point_size(); ++i) {
    EXPECT_EQ(resumed.curve(0).point(i).value(), uninterrupted.curve(0).point(i).value());
  }
}

TEST_F(TrainCliTest, BadSpecsExit2WithOneLineBeforeTraining) {
  const std::string base = KillSpec();
  struct Case { std::string name, text, expect; };
  const std::vector<Case> cases = {
      {"unknown_field", base + "bogus_field: 3\n", "bogus_field"},
      {"u_gt_d", std::regex_replace(base, std::regex("unique_tokens: 50000"),
                                    "unique_tokens: 300000"), "exceeds total_tokens"},
      {"seq_too_long", std::regex_replace(base, std::regex("seq_len: 64"), "seq_len: 70000"),
       "larger than the data"},
      {"missing_shard", std::regex_replace(base, std::regex("train.shard"), "nothing.shard"),
       "nothing.shard is missing; it is not a //data:prepare path"},
      // A shard where //data:prepare puts it: the message names the command that makes it.
      {"missing_prepared_shard",
       std::regex_replace(base, std::regex(Tmp() + "/train.shard"),
                          Tmp() + "/root/data/work/shards/small384_max20/en_mix.train.shard"),
       "is missing; create it with `bazel run -c opt //data:prepare -- --tokenizer=small "
       "--small_vocab_size=384 --max_documents_per_source=20 --out=" + Tmp() + "/root/data/work`"},
      {"missing_gpt2_shard",
       std::regex_replace(base, std::regex(Tmp() + "/train.shard"),
                          Tmp() + "/data/work/shards/gpt2_full_en_mix-python_stdlib/en_mix.train.shard"),
       "`bazel run -c opt //data:prepare -- --tokenizer=gpt2 --sources=en_mix,python_stdlib --out=" +
           Tmp() + "/data/work`"},
      {"bad_preset", std::regex_replace(base, std::regex("d_model: 64"), "preset: \"paper_1m\""),
       "unknown preset"},
  };
  for (const Case& c : cases) {
    const std::string out = Tmp() + "/bad_" + c.name;
    std::string err;
    EXPECT_EQ(RunTrain({"--spec=" + WriteSpec(c.name, c.text), "--out=" + out}, &err), 2) << c.name;
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.name << ": " << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << c.name << ": " << err;
    EXPECT_FALSE(fs::exists(out + "/checkpoints")) << c.name;
  }
  std::string err;
  EXPECT_EQ(RunTrain({"--out=" + Tmp() + "/x"}, &err), 2);
  EXPECT_NE(err.find("--spec"), std::string::npos) << err;
}

}  // namespace
}  // namespace datawall::training
