// Data-parallel training through the train CLI (--nproc, c10d Gloo on CPU): 2 ranks x 4
// sequences give the final validation loss of 1 process x 8 (relative difference <= 1e-5;
// dropout 0, since dropout masks are drawn per rank slice); a 2-rank run SIGKILLed after a
// checkpoint and resumed with --nproc=2 ends at the uninterrupted 2-rank loss; resuming it with
// another world size, --nproc above the batch and a batch not divisible by the ranks each exit
// 2 with one line. Not tested here: NCCL (needs a GPU), multi-node rendezvous.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "experiments/records/run_record.pb.h"
#include "experiments/training/checkpoint.h"
#include "experiments/training/synthetic_data.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"
#include "tools/process/process.h"

namespace datawall::training {
namespace {

namespace fs = std::filesystem;

std::string Tmp() { return std::getenv("TEST_TMPDIR"); }
std::string Binary() {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
         "/experiments/train";
}

int RunTrain(const std::vector<std::string>& args, std::string* err) {
  std::vector<std::string> argv = {Binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  process::RunOptions options;
  options.timeout_seconds = 600;
  const process::RunResult r = process::RunAndCapture(argv, options);
  *err = r.output;
  return r.exit_code;
}

experiments::RunRecord ReadRecord(const std::string& dir) {
  std::string text;
  EXPECT_TRUE(io::ReadFile(dir + "/record.textproto", &text).ok());
  experiments::RunRecord record;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &record));
  return record;
}

class DataParallelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    MarkovSource source;
    source.vocab_size = 256;
    source.branching = 4;
    source.seed = 5;
    source.document_tokens = 800;
    ASSERT_TRUE(WriteMarkovShard(Tmp() + "/train.shard", source, 300000, 0).ok());
    ASSERT_TRUE(WriteMarkovShard(Tmp() + "/val.shard", source, 20000, 1).ok());
  }

  // d 64, 2 layers, seq 64, global batch `batch`, 60 steps, dropout off.
  static std::string Spec(int batch, const std::string& name) {
    const std::string text =
        "name: \"" + name + "\"\n"
        "model { d_model: 64 ffw_size: 256 kv_size: 32 n_heads: 2 n_layers: 2 "
        "vocab_size: 256 seq_len: 64 dropout: 0 }\n"
        "total_tokens: 30720 unique_tokens: 20000 seed: 4\n"
        "optimizer { max_lr: 0.002 batch_size: " + std::to_string(batch) + " }\n"
        "data { name: \"markov\" shard: \"" + Tmp() + "/train.shard\" }\n"
        "validation_shard: \"" + Tmp() + "/val.shard\"\n"
        "eval_tokens: 4097 eval_every_steps: 20 checkpoint_every_steps: 10\n";
    const std::string path = Tmp() + "/" + name + ".textproto";
    EXPECT_TRUE(io::WriteFileAtomically(path, text).ok());
    return path;
  }
};

double RelativeDifference(double a, double b) { return std::fabs(a - b) / std::fabs(b); }

TEST_F(DataParallelTest, TwoRanksOfFourMatchOneProcessOfEight) {
  const std::string spec = Spec(8, "dp");
  std::string err;
  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + Tmp() + "/one"}, &err), 0) << err;
  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + Tmp() + "/two", "--nproc=2"}, &err), 0) << err;
  const experiments::RunRecord one = ReadRecord(Tmp() + "/one");
  const experiments::RunRecord two = ReadRecord(Tmp() + "/two");
  ASSERT_TRUE(one.complete() && two.complete());
  const double rel = RelativeDifference(two.final_val_loss(), one.final_val_loss());
  std::printf("final_val_loss 1x8 %.10f 2x4 %.10f relative difference %.3g\n",
              one.final_val_loss(), two.final_val_loss(), rel);
  EXPECT_LE(rel, 1e-5);
  EXPECT_EQ(one.provenance().device(), "cpu");
  EXPECT_NE(two.provenance().device().find("2 data-parallel ranks (gloo)"), std::string::npos)
      << two.provenance().device();
  EXPECT_EQ(two.trained_tokens(), one.trained_tokens());
}

TEST_F(DataParallelTest, KilledTwoRankRunResumesToTheSameLoss) {
  const std::string spec = Spec(8, "dpkill");
  std::string err;
  const std::string full = Tmp() + "/full";
  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + full, "--nproc=2"}, &err), 0) << err;
  const experiments::RunRecord uninterrupted = ReadRecord(full);

  const std::string killed = Tmp() + "/killed";
  process::LaunchOptions launch;
  launch.binary = Binary();
  launch.args = {"--spec=" + spec, "--out=" + killed, "--nproc=2"};
  launch.log_path = Tmp() + "/killed.log";
  std::string error;
  const pid_t pid = process::Launch(launch, &error);
  ASSERT_GT(pid, 0) << error;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(CheckpointPath(killed + "/checkpoints", 20)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);  // the launcher; its ranks die with it (PDEATHSIG)
  EXPECT_EQ(process::Wait(pid), 128 + SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_FALSE(fs::exists(CheckpointPath(killed + "/checkpoints", 60))) << "ended before the kill";

  // Another world size is refused in one line.
  EXPECT_EQ(RunTrain({"--spec=" + spec, "--out=" + killed, "--resume"}, &err), 2);
  EXPECT_NE(err.find("written by 2 data-parallel rank(s), this run has 1"), std::string::npos)
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;

  ASSERT_EQ(RunTrain({"--spec=" + spec, "--out=" + killed, "--resume", "--nproc=2"}, &err), 0)
      << err;
  const experiments::RunRecord resumed = ReadRecord(killed);
  EXPECT_TRUE(resumed.complete());
  EXPECT_GE(resumed.resumed_from_step(), 20);
  const double rel = RelativeDifference(resumed.final_val_loss(), uninterrupted.final_val_loss());
  std::printf("resumed %.10f uninterrupted %.10f relative difference %.3g\n",
              resumed.final_val_loss(), uninterrupted.final_val_loss(), rel);
  EXPECT_LE(rel, 1e-5);
}

TEST_F(DataParallelTest, TooManyRanksExit2WithOneLine) {
  struct Case { int batch, nproc; std::string expect; };
  for (const Case& c : {Case{8, 16, "world size 16 exceeds batch_size 8"},
                        Case{8, 3, "batch_size 8 is not divisible by the world size 3"}}) {
    std::string err;
    const std::string out = Tmp() + "/bad" + std::to_string(c.nproc);
    EXPECT_EQ(RunTrain({"--spec=" + Spec(c.batch, "bad"), "--out=" + out,
                        "--nproc=" + std::to_string(c.nproc)}, &err), 2);
    EXPECT_NE(err.find(c.expect), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_FALSE(fs::exists(out + "/checkpoints"));
  }
}

}  // namespace
}  // namespace datawall::training
