#include "laws/law.h"

#include <array>
#include <cmath>

#include "gtest/gtest.h"

namespace datawall::laws {
namespace {

TEST(PaperLaw, ReproducesPublishedPredictions) {
  // The datablations README's two Figure 1 (right) predictions.
  const Law law = PaperLaw();
  EXPECT_NEAR(law.Loss(6.34e9, 242e9, 25e9) / 2.2256440889984477, 1.0, 1e-12);
  EXPECT_NEAR(law.Loss(8.67e9, 178e9, 25e9) / 2.2269634075087867, 1.0, 1e-12);
}

TEST(PaperLaw, GradientMatchesFiniteDifferences) {
  const Law law = PaperLaw();
  const double n = 3e9, d = 200e9, u = 25e9;
  LossGradient g;
  const double loss = law.LossWithGradient(n, d, u, &g);
  EXPECT_DOUBLE_EQ(loss, law.Loss(n, d, u));
  auto central = [&](double dn, double dd, double du) {
    return (law.Loss(n + dn, d + dd, u + du) - law.Loss(n - dn, d - dd, u - du));
  };
  EXPECT_NEAR(g.d_params, central(1e3, 0, 0) / 2e3, 1e-6 * std::abs(g.d_params));
  EXPECT_NEAR(g.d_tokens, central(0, 1e5, 0) / 2e5, 1e-6 * std::abs(g.d_tokens));
  EXPECT_NEAR(g.d_unique_tokens, central(0, 0, 1e5) / 2e5, 1e-6 * std::abs(g.d_unique_tokens));
  EXPECT_LT(g.d_params, 0);  // below U_N's plateau more parameters still help
  EXPECT_LT(g.d_tokens, 0);
  EXPECT_LT(g.d_unique_tokens, 0);
}

TEST(Law, FromNamedRejectsMissingUnknownAndNonFinite) {
  EXPECT_FALSE(Law::FromNamed(Form::kChinchilla, {{"a", 1}, {"b", 1}, {"e", 1}, {"alpha", 1}}).ok());
  EXPECT_FALSE(Law::FromNamed(Form::kChinchilla, {{"a", 1}, {"b", 1}, {"e", 1}, {"alpha", 1},
                                                  {"beta", 1}, {"rd_star", 2}})
                   .ok());
  EXPECT_FALSE(Law::FromNamed(Form::kChinchilla, {{"a", 1}, {"b", 1}, {"e", NAN}, {"alpha", 1},
                                                  {"beta", 1}})
                   .ok());
  auto ok = Law::FromNamed(Form::kChinchilla,
                           {{"beta", 0.3}, {"a", 6}, {"b", 7}, {"e", 0.6}, {"alpha", 0.35}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->coefficient("alpha"), 0.35);
  EXPECT_EQ(ok->coefficient("beta"), 0.3);
}

TEST(Forms, NamesRoundTrip) {
  for (const FormInfo& info : AllForms()) {
    auto form = FormFromName(info.name);
    ASSERT_TRUE(form.has_value()) << info.name;
    EXPECT_EQ(*form, info.form);
    EXPECT_LE(info.coefficients.size(), static_cast<size_t>(kMaxCoefficients));
  }
  EXPECT_FALSE(FormFromName("chinchila").has_value());
}

TEST(Forms, BoundedSaturatesAtL0AndIsEq14WhereHIsSmall) {
  // a, b, e, alpha, beta, rd_star, rn_star, l0: L0 - E = e^2.2.
  const std::array<double, kMaxCoefficients> c = {6.255414, 7.3049974, 0.6254804, 0.3526596,
                                                  0.3526596, 15.387756, 5.309743, 2.2};
  const Law bounded(Form::kBounded, c);
  const Law eq14(Form::kDataConstrained, c);
  const double E = std::exp(c[kE]), K = std::exp(c[kExtra2]);
  auto h = [&](double n, double d, double u) { return std::exp(eq14.LogLoss(n, d, u)) - E; };
  for (auto [n, d, u] : {std::array<double, 3>{1e3, 1e3, 1e3}, {1e6, 1e7, 1e7},
                         {1e8, 1e10, 1e9}, {1e10, 1e12, 1e12}}) {
    const double hv = h(n, d, u);
    EXPECT_NEAR(std::exp(bounded.LogLoss(n, d, u)), E + K * hv / (1 + hv), 1e-12 * (E + K)) << n;
  }
  EXPECT_NEAR(std::exp(bounded.LogLoss(10.0, 10.0, 10.0)), E + K, 1e-2);  // tiny: -> L0
  EXPECT_LT(std::exp(bounded.LogLoss(1e3, 1e3, 1e3)), E + K);
}

}  // namespace
}  // namespace datawall::laws
