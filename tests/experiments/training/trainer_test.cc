// Train() end to end on a tiny model and a synthetic Markov corpus (CPU, 1 thread): it learns,
// it is deterministic, a resume from a corrupted-latest checkpoint ends bit-identical, a
// non-finite loss stops the run, and bad data is rejected before training.
#include "experiments/training/trainer.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "experiments/training/checkpoint.h"
#include "experiments/training/synthetic_data.h"
#include "gtest/gtest.h"
#include "models/shape.h"

namespace datawall::training {
namespace {

namespace fs = std::filesystem;

class TrainerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(std::string(std::getenv("TEST_TMPDIR")) + "/trainer");
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    source_ = new MarkovSource();
    source_->vocab_size = 64;
    source_->branching = 4;
    source_->seed = 11;
    source_->document_tokens = 500;
    ASSERT_TRUE(WriteMarkovShard(*dir_ + "/train.shard", *source_, 40000, 0).ok());
    ASSERT_TRUE(WriteMarkovShard(*dir_ + "/val.shard", *source_, 5000, 1).ok());
  }

  static TrainOptions Options(const std::string& out) {
    TrainOptions o;
    o.name = "test";
    o.model = models::FindPreset("micro_d32_l1")->shape;  // d 32, 2 x 16 heads, 1 layer
    o.model.vocab_size = 64;
    o.model.seq_len = 32;
    o.batch_size = 8;
    o.total_tokens = 8 * 32 * 60;  // 60 steps
    o.unique_tokens = 10000;       // ~1.5 epochs
    o.seed = 5;
    o.max_lr = 3e-3;  // scaled setting for a micro model (paper: 2e-4)
    o.min_lr = 3e-4;
    o.warmup_fraction = 0.05;
    o.data.push_back({"markov", *dir_ + "/train.shard", 1.0, 0});
    o.validation_shard = *dir_ + "/val.shard";
    o.eval_tokens = 2049;  // 64 sequences of 32 predicted tokens
    o.eval_every_steps = 20;
    o.checkpoint_every_steps = 10;
    o.keep_checkpoints = 10;
    o.out_dir = out.empty() ? "" : *dir_ + "/" + out;
    o.progress_every_seconds = 0;
    return o;
  }

  static std::string* dir_;
  static MarkovSource* source_;
};
std::string* TrainerTest::dir_ = nullptr;
MarkovSource* TrainerTest::source_ = nullptr;

TEST_F(TrainerTest, LearnsWellBelowUnigramEntropy) {
  TrainOptions o = Options("");
  o.total_tokens = 8 * 32 * 250;
  o.eval_every_steps = 50;
  TrainSummary s;
  const Result status = Train(o, &s);
  ASSERT_TRUE(status.ok()) << status.message();
  const double unigram = UnigramEntropy(source_->Documents(5000, 1));
  EXPECT_GT(unigram, 3.9);  // ~log(64) = 4.16
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.steps, 250);
  EXPECT_EQ(s.val_loss.size(), 5u);
  EXPECT_LT(s.final_val_loss, unigram - 1.0) << "unigram entropy " << unigram;
  EXPECT_GT(s.final_val_loss, source_->EntropyRate() - 0.3);  // cannot beat the source much
  EXPECT_EQ(s.params, models::ExactParams(o.model));
  EXPECT_DOUBLE_EQ(s.flops, 6.0 * s.params * s.trained_tokens);
  EXPECT_EQ(s.trained_tokens, 8 * 32 * 250);
  EXPECT_EQ(s.eval_tokens_used, 64 * 32);
  EXPECT_EQ(s.train_loss.size(), 250u);
  EXPECT_GT(s.train_tokens_per_second, 0);
  EXPECT_EQ(s.device, "cpu");
}

TEST_F(TrainerTest, ResumeAfterCorruptCheckpointEndsBitIdenticalAndRunsAreDeterministic) {
  TrainSummary a, again;
  ASSERT_TRUE(Train(Options("a"), &a).ok());
  ASSERT_TRUE(Train(Options("again"), &again).ok());
  ASSERT_EQ(a.train_loss.size(), again.train_loss.size());
  for (size_t i = 0; i < a.train_loss.size(); ++i) {
    EXPECT_EQ(a.train_loss[i].value, again.train_loss[i].value) << i;  // exact
  }
  EXPECT_EQ(a.final_val_loss, again.final_val_loss);

  // A "killed" run: only checkpoints up to step 40 exist, and the newest one is corrupt.
  const std::string from = *dir_ + "/a/checkpoints", to = *dir_ + "/b/checkpoints";
  fs::create_directories(to);
  for (int64_t step : {10, 20, 30, 40}) {
    fs::copy_file(CheckpointPath(from, step), CheckpointPath(to, step));
  }
  {
    std::fstream f(CheckpointPath(to, 40), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(1000);
    f.put('\x5a');
  }
  TrainOptions o = Options("b");
  o.resume = true;
  TrainSummary b;
  const Result status = Train(o, &b);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(b.resumed_from_step, 30);
  ASSERT_GE(b.messages.size(), 2u);
  EXPECT_NE(b.messages[0].find("corrupt checkpoint"), std::string::npos) << b.messages[0];
  EXPECT_NE(b.messages[0].find("step_00000040.ckpt"), std::string::npos) << b.messages[0];
  EXPECT_EQ(b.final_val_loss, a.final_val_loss);  // bit-identical
  ASSERT_EQ(b.val_loss.size(), a.val_loss.size());
  for (size_t i = 0; i < a.val_loss.size(); ++i) EXPECT_EQ(b.val_loss[i].value, a.val_loss[i].value);
  ASSERT_EQ(b.train_loss.size(), a.train_loss.size());
  EXPECT_EQ(b.train_loss.back().value, a.train_loss.back().value);
  EXPECT_TRUE(b.complete);

  // Resuming a finished run changes nothing; a different spec refuses the checkpoint.
  TrainSummary c;
  ASSERT_TRUE(Train(o, &c).ok());
  EXPECT_EQ(c.resumed_from_step, 60);
  EXPECT_EQ(c.final_val_loss, a.final_val_loss);
  o.seed = 6;
  const Result mismatch = Train(o, &c);
  EXPECT_TRUE(mismatch.bad_input());
  EXPECT_NE(mismatch.message().find("different spec"), std::string::npos) << mismatch.message();
}

TEST_F(TrainerTest, MixtureOfTwoSourcesTrainsDeterministically) {
  MarkovSource other = *source_;
  other.seed = 12;  // a different chain over the same vocabulary
  ASSERT_TRUE(WriteMarkovShard(*dir_ + "/other.shard", other, 20000, 0).ok());
  TrainOptions o = Options("");
  o.data = {{"markov", *dir_ + "/train.shard", 0.75, 7500}, {"other", *dir_ + "/other.shard", 0.25, 2500}};
  o.unique_tokens = 10000;
  TrainSummary a, b;
  const Result status = Train(o, &a);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_TRUE(Train(o, &b).ok());
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.final_val_loss, b.final_val_loss);
  EXPECT_EQ(a.tokenizer_id, "markov_v64_b4_s11,markov_v64_b4_s12");
  TrainSummary single;
  ASSERT_TRUE(Train(Options(""), &single).ok());
  EXPECT_NE(a.data_hash, single.data_hash);  // the mixture is part of the data identity
  EXPECT_NE(a.final_val_loss, single.final_val_loss);
}

TEST_F(TrainerTest, NonFiniteLossStopsAndKeepsLastGoodCheckpoint) {
  TrainOptions o = Options("nan");
  o.max_lr = o.min_lr = 1e30;
  o.checkpoint_every_steps = 1;
  TrainSummary s;
  const Result status = Train(o, &s);
  ASSERT_EQ(status.kind(), Result::Kind::kInternal);
  EXPECT_NE(status.message().find("non-finite training loss"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("last good checkpoint"), std::string::npos) << status.message();
  EXPECT_FALSE(s.complete);
  // Every checkpoint left behind verifies and precedes the failing step.
  for (const std::string& path : ListCheckpoints(o.out_dir + "/checkpoints")) {
    Checkpoint c;
    const Result read = ReadCheckpoint(path, &c);
    EXPECT_TRUE(read.ok()) << path << ": " << read.message();
    EXPECT_LT(c.step, s.steps + 1);
    for (const CurvePoint& p : c.train_loss) EXPECT_TRUE(std::isfinite(p.value));
  }
}

TEST_F(TrainerTest, BadDataIsRejectedBeforeTraining) {
  struct Case { std::function<void(TrainOptions&)> change; const char* expect; };
  const Case cases[] = {
      {[](TrainOptions& o) { o.data[0].shard = *dir_ + "/absent.shard"; }, "missing"},
      {[](TrainOptions& o) { o.validation_shard = *dir_ + "/absent.shard"; }, "missing"},
      {[](TrainOptions& o) { o.unique_tokens = 20; }, "seq_len 32 is larger than the data"},
      {[](TrainOptions& o) { o.unique_tokens = o.total_tokens = 100000; }, "exceeds the 40000"},
      {[](TrainOptions& o) { o.unique_tokens = o.total_tokens + 1; }, "exceeds total_tokens"},
      {[](TrainOptions& o) { o.eval_tokens = 6000; }, "validation shard"},
      {[](TrainOptions& o) { o.model.vocab_size = 32; }, "vocabulary"},
  };
  for (const Case& c : cases) {
    TrainOptions o = Options("bad");
    c.change(o);
    TrainSummary s;
    const Result status = Train(o, &s);
    EXPECT_TRUE(status.bad_input()) << c.expect;
    EXPECT_NE(status.message().find(c.expect), std::string::npos) << status.message();
    EXPECT_FALSE(fs::exists(o.out_dir + "/checkpoints")) << c.expect;
  }
}

}  // namespace
}  // namespace datawall::training
