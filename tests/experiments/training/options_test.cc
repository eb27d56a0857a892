// TrainOptions validation and the learning-rate schedule.
#include "experiments/training/schedule.h"
#include "experiments/training/train_options.h"

#include "gtest/gtest.h"
#include "models/shape.h"

namespace datawall::training {
namespace {

TrainOptions Valid() {
  TrainOptions o;
  o.model = models::FindPreset("micro_d32_l1")->shape;
  o.total_tokens = 100000;
  o.unique_tokens = 10000;
  o.data.push_back({"markov", "/tmp/x.shard", 1.0, 0});
  o.validation_shard = "/tmp/v.shard";
  o.eval_tokens = 1000;
  return o;
}

TEST(ScheduleTest, WarmupThenCosineToMin) {
  const int64_t total = 1000, warmup = WarmupSteps(total, 0.01);
  EXPECT_EQ(warmup, 10);
  EXPECT_DOUBLE_EQ(LearningRate(0, total, warmup, 2e-4, 2e-5), 2e-5);   // (0 + 1) / 10
  EXPECT_DOUBLE_EQ(LearningRate(9, total, warmup, 2e-4, 2e-5), 2e-4);   // end of warm-up
  EXPECT_DOUBLE_EQ(LearningRate(10, total, warmup, 2e-4, 2e-5), 2e-4);  // cosine starts at max
  EXPECT_NEAR(LearningRate(505, total, warmup, 2e-4, 2e-5), 1.1e-4, 1e-12);  // half-way
  EXPECT_NEAR(LearningRate(999, total, warmup, 2e-4, 2e-5), 2e-5, 1e-9);
  double previous = 1;
  for (int64_t s = warmup; s < total; ++s) {
    const double lr = LearningRate(s, total, warmup, 2e-4, 2e-5);
    EXPECT_LE(lr, previous);
    EXPECT_GE(lr, 2e-5);
    previous = lr;
  }
  EXPECT_EQ(WarmupSteps(30, 0.01), 0);  // a short run may have no warm-up
  EXPECT_DOUBLE_EQ(LearningRate(0, 30, 0, 2e-4, 2e-5), 2e-4);
}

TEST(OptionsTest, StepsRoundUp) {
  TrainOptions o = Valid();
  o.batch_size = 4;
  EXPECT_EQ(o.tokens_per_step(), 4 * 64);
  o.total_tokens = 4 * 64 * 10 + 1;
  EXPECT_EQ(o.total_steps(), 11);
}

TEST(OptionsTest, RejectsWithOneLineReasons) {
  EXPECT_TRUE(Valid().Validate().ok()) << Valid().Validate().message();
  struct Case { std::function<void(TrainOptions&)> change; const char* expect; };
  const Case cases[] = {
      {[](TrainOptions& o) { o.unique_tokens = o.total_tokens + 1; }, "exceeds total_tokens"},
      {[](TrainOptions& o) { o.data.clear(); }, "no training data"},
      {[](TrainOptions& o) { o.data[0].fraction = 0.5; }, "sum to 1"},
      {[](TrainOptions& o) { o.eval_tokens = 10; }, "eval_tokens"},
      {[](TrainOptions& o) { o.min_lr = 1; }, "min_lr"},
      {[](TrainOptions& o) { o.beta2 = 1; }, "beta2"},
      {[](TrainOptions& o) { o.model.n_layers = 0; }, "n_layers"},
      {[](TrainOptions& o) { o.device = "tpu"; }, "device"},
      {[](TrainOptions& o) { o.resume = true; }, "resume"},
      {[](TrainOptions& o) { o.validation_shard.clear(); }, "validation_shard"},
  };
  for (const Case& c : cases) {
    TrainOptions o = Valid();
    c.change(o);
    const Result r = o.Validate();
    EXPECT_TRUE(r.bad_input()) << c.expect;
    EXPECT_NE(r.message().find(c.expect), std::string::npos) << r.message();
    EXPECT_EQ(r.message().find('\n'), std::string::npos) << r.message();
  }
}

}  // namespace
}  // namespace datawall::training
