// Parameter and FLOP accounting against the paper: Table 15, Eq. 23, PARAMS_MAP, flops-params.
#include "models/shape.h"

#include <cmath>
#include <set>

#include "gtest/gtest.h"

namespace datawall::models {
namespace {

TEST(ShapeTest, Eq23MatchesTable15ForEveryPaperPreset) {
  int paper_rows = 0;
  for (const Preset& p : Presets()) {
    if (p.table15_params_m == 0) continue;
    ++paper_rows;
    const double millions = Eq23Params(p.shape) / 1e6;
    EXPECT_EQ(std::llround(millions), p.table15_params_m) << p.name << " " << millions;
    EXPECT_EQ(p.shape.vocab_size, 50257);
    EXPECT_EQ(p.shape.seq_len, 2048);
  }
  EXPECT_EQ(paper_rows, 55);
}

TEST(ShapeTest, Eq23MatchesParamsMapWhereThePaperUsedIt) {
  // The authors' PARAMS_MAP (parametric_fit notebook): run-name prefixes whose PARAMS_MAP value is the Eq. 23 count.
  struct Case { const char* preset; double params_map; };
  const Case cases[] = {{"paper_83m", 8.27e7},     {"paper_146m", 1.465e8},
                        {"paper_201m", 201236224}, {"paper_220m", 2.205e8},
                        {"paper_421m", 4.212e8},
                        {"paper_574m", 5.737e8},   {"paper_619m", 6.187e8},
                        {"paper_1096m", 1.0963e9}, {"paper_1517m", 1.5173e9},
                        {"paper_2160m", 2160013824}, {"paper_2809m", 2.81e9},
                        {"paper_3900m", 3899710720}, {"paper_8672m", 8.67e9}};
  for (const Case& c : cases) {
    const Preset* p = FindPreset(c.preset);
    ASSERT_NE(p, nullptr) << c.preset;
    EXPECT_NEAR(Eq23Params(p->shape) / c.params_map, 1.0, 1e-3) << c.preset;
  }
}

TEST(ShapeTest, Eq23ExactValues) {
  // 12 l h^2 + 13 l h + (V + s) h for the 146M row (768, 15): 146,487,552... computed by hand.
  const ModelShape s = FindPreset("paper_146m")->shape;
  EXPECT_EQ(Eq23Params(s), 12LL * 15 * 768 * 768 + 13LL * 15 * 768 + (50257LL + 2048) * 768);
  EXPECT_EQ(Eq23Params(s), 146488320);
}

TEST(ShapeTest, ExactCountIsEq23PlusFinalLayerNorm) {
  // Eq. 23 assumes attention width a = d_model and ffw = 4 d_model. model_params.sh has rows
  // where kv_size * n_heads != d_model (e.g. 20M: 7 x 32 = 224 vs 288); our module honours the
  // tuple, which adds (4h + 3)(a - h) per layer. Every other row is Eq. 23 + the final LayerNorm.
  std::set<std::string> wide_or_narrow;
  for (const Preset& p : Presets()) {
    const ModelShape& s = p.shape;
    ASSERT_EQ(s.ffw_size, 4 * s.d_model) << p.name;
    const int64_t h = s.d_model, a = s.kv_size * s.n_heads;
    if (a != h) wide_or_narrow.insert(p.name);
    EXPECT_EQ(ExactParams(s), Eq23Params(s) + 2 * h + s.n_layers * (4 * h + 3) * (a - h))
        << p.name;
  }
  const std::set<std::string> expected = {"paper_20m",    "paper_38m",    "paper_3090m",
                                          "paper_10912m", "paper_12220m", "paper_13601m",
                                          "paper_14917m"};
  EXPECT_EQ(wide_or_narrow, expected);
}

TEST(ShapeTest, ExactCountHandlesAttentionWidthDifferentFromDModel) {
  ModelShape s = FindPreset("paper_3090m")->shape;  // d 2688, 22 heads x 128 = 2816
  const int64_t h = 2688, a = 2816, f = 10752, l = 34;
  const int64_t per_layer = 4 * h + h * 3 * a + 3 * a + a * h + h + h * f + f + f * h + h;
  EXPECT_EQ(ExactParams(s), l * per_layer + (50257 + 2048) * h + 2 * h);
}

TEST(ShapeTest, PresetNamesAreUniqueAndShapesValid) {
  std::set<std::string> names;
  for (const Preset& p : Presets()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    const Result r = p.shape.Validate();
    EXPECT_TRUE(r.ok()) << p.name << ": " << r.message();
  }
  EXPECT_NE(FindPreset("micro_d128_l4"), nullptr);
  EXPECT_NE(FindPreset("gpt2_124m"), nullptr);
  EXPECT_EQ(FindPreset("paper_1m"), nullptr);
  EXPECT_EQ(ExactParams(FindPreset("gpt2_124m")->shape), 124439808);  // GPT-2 small
}

TEST(ShapeTest, InvalidShapesAreRejectedWithAReason) {
  ModelShape s = FindPreset("micro_d64_l2")->shape;
  s.n_heads = 0;
  Result r = s.Validate();
  EXPECT_TRUE(r.bad_input());
  EXPECT_NE(r.message().find("n_heads"), std::string::npos) << r.message();
  s = FindPreset("micro_d64_l2")->shape;
  s.dropout = 1.0;
  r = s.Validate();
  EXPECT_TRUE(r.bad_input());
  EXPECT_NE(r.message().find("dropout"), std::string::npos) << r.message();
}

TEST(ShapeTest, FlopFormulas) {
  EXPECT_DOUBLE_EQ(SimpleFlops(146e6, 5.9e9), 6 * 146e6 * 5.9e9);
  // Full formula term by term for a tiny shape: s 4, h 2, V 3, f 8, 1 head, 1 layer.
  ModelShape s;
  s.d_model = 2; s.ffw_size = 8; s.kv_size = 2; s.n_heads = 1; s.n_layers = 1;
  s.vocab_size = 3; s.seq_len = 4;
  const double emb = 2 * 4 * 3 * 2, qkv = 2 * 3 * 4 * 2 * 2, logits = 2 * 4 * 4 * 2,
               softmax = 3 * 1 * 4 * 4, av = 2 * 4 * 4 * 2, proj = 2 * 4 * 2 * 2,
               mlp = 2 * 4 * (2 * 8 + 8 * 2), out = 2 * 4 * 2 * 3;
  const double per_seq = 3 * (emb + qkv + logits + softmax + av + proj + mlp + out);
  EXPECT_DOUBLE_EQ(FullFlops(s, 4 * 10), 10 * per_seq);
  // For a large model, the full formula approaches 6ND (attention and embeddings are small).
  const ModelShape big = FindPreset("paper_8672m")->shape;
  const double ratio = FullFlops(big, 1e9) / SimpleFlops(Eq23Params(big), 1e9);
  EXPECT_GT(ratio, 1.0);
  EXPECT_LT(ratio, 1.15);
}

}  // namespace
}  // namespace datawall::models
