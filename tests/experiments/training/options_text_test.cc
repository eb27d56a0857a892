// key = value settings for the protobuf-free build: every key lands, typos and bad values fail.
#include "experiments/training/options_text.h"

#include "gtest/gtest.h"

namespace datawall::training {
namespace {

TEST(OptionsTextTest, AppliesSettingsInOrder) {
  TrainOptions o;
  const std::string text =
      "# comment\n"
      "preset = micro_d64_l2\n"
      "vocab_size = 1024   # trailing comment\n"
      "seq_len = 128\n"
      "dropout = 0\n"
      "total_tokens = 1000\nunique_tokens = 500\nseed = 7\nmax_lr = 0.002\n"
      "train_shard = /tmp/a.shard\nvalidation_shard = /tmp/b.shard\neval_tokens = 300\n"
      "device = cuda\nbf16 = false\nthreads = 2\nresume = true\nout_dir = /tmp/o\n";
  const Result r = ApplyOptionsText(text, "cfg", &o);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(o.model.d_model, 64);
  EXPECT_EQ(o.model.n_layers, 2);
  EXPECT_EQ(o.model.vocab_size, 1024);
  EXPECT_EQ(o.model.seq_len, 128);
  EXPECT_EQ(o.model.dropout, 0.0);
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.max_lr, 0.002);
  ASSERT_EQ(o.data.size(), 1u);
  EXPECT_EQ(o.data[0].shard, "/tmp/a.shard");
  EXPECT_EQ(o.device, "cuda");
  EXPECT_FALSE(o.bf16);
  EXPECT_TRUE(o.resume);
  EXPECT_EQ(o.threads, 2);
  EXPECT_TRUE(o.Validate().ok()) << o.Validate().message();
}

TEST(OptionsTextTest, RejectsUnknownKeysAndBadValues) {
  TrainOptions o;
  auto message = [&](const std::string& text) {
    const Result r = ApplyOptionsText(text, "cfg", &o);
    EXPECT_TRUE(r.bad_input()) << text;
    return r.message();
  };
  EXPECT_EQ(message("seed = 1\nd_modle = 64\n"), "cfg:2: unknown setting 'd_modle'");
  EXPECT_EQ(message("total_tokens = 12x\n"), "cfg:1: bad value for total_tokens: '12x'");
  EXPECT_EQ(message("preset = paper_1m\n"), "cfg:1: bad value for preset: 'paper_1m'");
  EXPECT_EQ(message("just words\n"), "cfg:1: expected key = value");
  EXPECT_TRUE(ApplyOption("bf16", "yes", &o).bad_input());
  EXPECT_TRUE(ApplyOption("seed", "3", &o).ok());
}

}  // namespace
}  // namespace datawall::training
