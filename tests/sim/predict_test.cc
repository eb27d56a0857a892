// Predict: the README's published numbers, the decomposition of every law form (its terms add
// up to the law's own loss), bootstrap bands and bad input.
#include "sim/predict.h"

#include <cmath>

#include "gtest/gtest.h"
#include "laws/forms.h"

namespace datawall::sim {
namespace {

using laws::Form;
using laws::Law;

TEST(Predict, ReproducesThePublishedExamples) {
  const Law law = laws::PaperLaw();
  absl::StatusOr<Prediction> better = Predict(law, 6.34e9, 242e9, 25e9);
  absl::StatusOr<Prediction> worse = Predict(law, 8.67e9, 178e9, 25e9);
  ASSERT_TRUE(better.ok() && worse.ok());
  EXPECT_LT(std::abs(better->loss / 2.2256440889984477 - 1), 1e-12);
  EXPECT_LT(std::abs(worse->loss / 2.2269634075087867 - 1), 1e-12);
  EXPECT_NEAR(better->epochs, 9.68, 1e-12);
  EXPECT_NEAR(better->flops, 6 * 6.34e9 * 242e9, 1);
  EXPECT_TRUE(better->data_constrained);
}

TEST(Predict, PaperDecomposition) {
  const Law law = laws::PaperLaw();
  absl::StatusOr<Prediction> p = Predict(law, 6.34e9, 242e9, 25e9);
  ASSERT_TRUE(p.ok());
  const Decomposition& d = p->decomposition;
  EXPECT_DOUBLE_EQ(d.unique_tokens_used, 25e9);
  EXPECT_NEAR(d.r_d, 242.0 / 25 - 1, 1e-12);
  // U_N = G^2 U_D with G^2 = 0.05098651765365828 (Eq. 3 with the App. B alpha, beta, A, B).
  EXPECT_NEAR(d.unique_params / (0.05098651765365828 * 25e9), 1, 1e-9);
  EXPECT_NEAR(d.r_n, 6.34e9 / d.unique_params - 1, 1e-12);
  EXPECT_NEAR(d.effective_tokens, 25e9 * (1 + 15.387756 * (1 - std::exp(-d.r_d / 15.387756))), 1e-3);
  EXPECT_NEAR(d.effective_params,
              d.unique_params * (1 + 5.309743 * (1 - std::exp(-d.r_n / 5.309743))), 1e-3);
  EXPECT_NEAR(d.params_term, law.A() / std::pow(d.effective_params, 0.3526596), 1e-15);
  EXPECT_NEAR(d.data_term, law.B() / std::pow(d.effective_tokens, 0.3526596), 1e-15);
  EXPECT_NEAR(d.irreducible_loss + d.params_term + d.data_term, p->loss, 1e-14);
  // One fresh epoch of a Chinchilla-sized model: nothing decays.
  absl::StatusOr<Prediction> fresh = Predict(law, 1e9, 20e9, 20e9);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->decomposition.r_d, 0);
  EXPECT_EQ(fresh->decomposition.r_n, 0);
  EXPECT_NEAR(fresh->decomposition.effective_tokens / 20e9, 1, 1e-14);
  EXPECT_FALSE(fresh->data_constrained);
}

TEST(Decompose, TermsAddUpToTheLawsLossForEveryForm) {
  const std::vector<Law> laws = {
      Law(Form::kChinchilla, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0, 0, 0}),
      Law(Form::kNoDecay, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0, 0, 0}),
      laws::PaperLaw(),
      Law(Form::kDecayDataOnly, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 2.9157212, 0, 0}),
      Law(Form::kDecayParamsOnly, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 713.0015, 0, 0}),
      Law(Form::kGeometric, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0.010462746, 0.36757502, 0}),
      Law(Form::kExplicitExponential, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0.0105340695, 0.45758328, 0}),
      Law(Form::kAlphaBetaDecay, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 26530.611, 2040.8163, 0}),
      Law(Form::kOverfittingPenalty, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, -3.0, 1.2, 0.4}),
  };
  for (const Law& law : laws) {
    for (auto [n, d, u] : {std::tuple{6.34e9, 242e9, 25e9}, std::tuple{1e8, 1e9, 1e9},
                           std::tuple{1e8, 1e11, 1e8}, std::tuple{7e6, 5e9, 1e8}}) {
      const Decomposition x = Decompose(law, n, d, u);
      const double sum = x.irreducible_loss + x.params_term + x.data_term + x.penalty_term;
      EXPECT_NEAR(sum / law.Loss(n, d, u), 1, 1e-13)
          << std::string(laws::Info(law.form()).name) << " " << n << " " << d << " " << u;
      EXPECT_LE(x.effective_tokens, d * (1 + 1e-12));
    }
  }
}

TEST(Predict, BootstrapBand) {
  const Law law = laws::PaperLaw();
  std::vector<Law> samples;
  for (int i = 0; i < 200; ++i) {
    auto c = law.coefficients();
    c[laws::kExtra0] *= 0.8 + 0.4 * i / 199.0;  // R_D* spread +-20%
    c[laws::kExtra1] *= 1.2 - 0.4 * i / 199.0;
    samples.emplace_back(Form::kDataConstrained, c);
  }
  absl::StatusOr<Prediction> p = Predict(law, 6.34e9, 242e9, 25e9, samples);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->bootstrap_samples, 200);
  EXPECT_DOUBLE_EQ(p->confidence, 0.95);
  EXPECT_LT(p->loss_low, p->loss);
  EXPECT_GT(p->loss_high, p->loss);
  // Identical samples: the band collapses onto the point estimate.
  absl::StatusOr<Prediction> same = Predict(law, 6.34e9, 242e9, 25e9, std::vector<Law>(5, law));
  ASSERT_TRUE(same.ok());
  EXPECT_DOUBLE_EQ(same->loss_low, same->loss);
  EXPECT_DOUBLE_EQ(same->loss_high, same->loss);
  // A wider coverage gives a wider band.
  PredictOptions wide;
  wide.confidence = 0.99;
  absl::StatusOr<Prediction> w = Predict(law, 6.34e9, 242e9, 25e9, samples, wide);
  EXPECT_LE(w->loss_low, p->loss_low);
  EXPECT_GE(w->loss_high, p->loss_high);
}

TEST(Quantile, MatchesNumpyLinearInterpolation) {
  EXPECT_DOUBLE_EQ(Quantile({3, 1, 2, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({3, 1, 2, 4}, 0.0), 1);
  EXPECT_DOUBLE_EQ(Quantile({3, 1, 2, 4}, 1.0), 4);
  EXPECT_DOUBLE_EQ(Quantile({0, 10}, 0.025), 0.25);
}

TEST(Predict, RejectsBadInputNamingIt) {
  const Law law = laws::PaperLaw();
  auto starts = [](const absl::StatusOr<Prediction>& p, const char* prefix) {
    return !p.ok() && p.status().message().rfind(prefix, 0) == 0;
  };
  EXPECT_TRUE(starts(Predict(law, 1e9, 20e9, 25e9), "unique_tokens:"));  // U > D
  EXPECT_TRUE(starts(Predict(law, 0, 20e9, 2e9), "parameters:"));
  EXPECT_TRUE(starts(Predict(law, NAN, 20e9, 2e9), "parameters:"));
  EXPECT_TRUE(starts(Predict(law, 1e9, -1, 2e9), "tokens:"));
  EXPECT_TRUE(starts(Predict(law, 1e9, INFINITY, 2e9), "tokens:"));
  EXPECT_TRUE(starts(Predict(law, 1e9, 20e9, 0), "unique_tokens:"));
  PredictOptions bad;
  bad.confidence = 1;
  EXPECT_TRUE(starts(Predict(law, 1e9, 20e9, 2e9, {}, bad), "confidence:"));
}

}  // namespace
}  // namespace datawall::sim
