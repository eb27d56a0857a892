// Tests of the exact allocator: the README and Galactica budgets, numerical proofs of
// optimality (dense grids, gradient and curvature along the constraint), monotonicity, limits,
// round trips, the inverse problem and bad input.
#include "sim/allocate.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "sim/authors_grid.h"
#include "sim/predict.h"

namespace datawall::sim {
namespace {

using laws::Form;
using laws::Law;

// True when the loss equals the data budget's floor to double precision (huge epochs and excess
// parameters: every nearby allocation is equally good).
bool OnPlateau(const Law& law, const Allocation& a) {
  return a.loss - LossFloor(law, a.unique_tokens) <= 1e-12 * a.loss;
}

// Checks that no point of the feasible iso-FLOP line beats `a`: a coarse grid over the whole
// line [min_params, C/6] and a fine grid within a factor e^3 of the optimum.
void ExpectNoBetterPoint(const Law& law, const Allocation& a) {
  const double log_k = std::log(a.flops / 6);
  auto loss_at = [&](double x) { return law.Loss(std::exp(x), std::exp(log_k - x), a.unique_tokens); };
  const double x_opt = std::log(a.params);
  const double slack = 1e-13 * a.loss;
  for (int i = 0; i <= 2000; ++i) {
    const double x = log_k * i / 2000.0;
    ASSERT_GE(loss_at(x), a.loss - slack) << "coarse x=" << x << " C=" << a.flops << " U=" << a.unique_tokens;
  }
  for (int i = -1500; i <= 1500; ++i) {
    const double x = std::clamp(x_opt + 3.0 * i / 1500, 0.0, log_k);
    ASSERT_GE(loss_at(x), a.loss - slack) << "fine x=" << x << " C=" << a.flops << " U=" << a.unique_tokens;
  }
  // Feasible neighbours along the constraint, a relative 1e-4 away, are strictly worse (unless
  // the optimum sits on a bound, or both terms sit on their plateaus to double precision, where
  // the whole neighbourhood is optimal, or the curvature is too small for the loss difference
  // to show in a double).
  const bool resolvable = 0.5 * a.d2_loss_d_log_params2 * 1e-8 > 1e-13 * a.loss;
  if (a.method != AllocationMethod::kBound && !OnPlateau(law, a) && resolvable) {
    EXPECT_GT(loss_at(x_opt + 1e-4), a.loss);
    EXPECT_GT(loss_at(x_opt - 1e-4), a.loss);
  }
}

TEST(Allocate, ReadmeExampleBeatsTheAuthorsGrid) {
  const Law law = laws::PaperLaw();
  absl::StatusOr<Allocation> a = Allocate(law, 1e22, 25e9);
  ASSERT_TRUE(a.ok()) << a.status();
  const GridAllocation grid = AuthorsGridAllocationForBudget(law, 1e22, 25e9);
  EXPECT_FALSE(grid.on_grid_edge);
  // The README's printed grid answer.
  EXPECT_NEAR(grid.params / 7022364735.879969, 1, 1e-12);
  EXPECT_NEAR(grid.tokens / 237336955477.55075, 1, 1e-12);
  EXPECT_LE(a->loss, grid.loss);
  EXPECT_NEAR(a->params / grid.params, 1, 0.01);
  EXPECT_NEAR(a->tokens / grid.tokens, 1, 0.01);
  EXPECT_NEAR(a->epochs, 9.49347821910203, 0.01 * 9.49);
  EXPECT_TRUE(a->data_constrained);
  EXPECT_EQ(a->method, AllocationMethod::kExactNewton);
  EXPECT_NEAR(a->flops, 6 * a->params * a->tokens, 1e-9 * a->flops);
  // Chinchilla side by side: 9.22B params, 181B tokens, worse under the data-constrained law.
  EXPECT_NEAR(a->chinchilla_params, 9.218e9, 0.001e9);
  EXPECT_NEAR(a->chinchilla_tokens, 180.8e9, 0.1e9);
  EXPECT_GT(a->chinchilla_loss, a->loss);
  ExpectNoBetterPoint(law, *a);
}

// The README's example: C = 1e22, U = 25e9 gives 237336955477.55075 tokens and
// 7022364735.879969 parameters with the authors' grid around the Chinchilla point (9.218B).
TEST(AuthorsGrid, ReproducesTheReadmeAllocationAroundTheChinchillaPoint) {
  const Law law = laws::PaperLaw();
  const ParamsTokens c = ChinchillaAllocation(law, 1e22);
  EXPECT_NEAR(c.params, 9.218e9, 1e6);
  const GridAllocation g = AuthorsGridAllocation(law, c.params, c.tokens, 25e9);
  EXPECT_NEAR(g.tokens / 237336955477.55075, 1.0, 1e-12);
  EXPECT_NEAR(g.params / 7022364735.879969, 1.0, 1e-12);
  EXPECT_TRUE(g.more_tokens);
  EXPECT_FALSE(g.on_grid_edge);
  EXPECT_GT(g.multiplier, 1.0001);
  EXPECT_LT(g.multiplier, 3);
}

// Galactica (App. G): around (120B, 450B) the grid ends on its edge i = 3 at (40B, 1.35T),
// where the law predicts 2.0685.
TEST(AuthorsGrid, GalacticaSitsOnTheGridEdge) {
  const GridAllocation g = AuthorsGridAllocation(laws::PaperLaw(), 120e9, 450e9, 106e9);
  EXPECT_NEAR(g.params, 40e9, 1e3);
  EXPECT_NEAR(g.tokens, 1.35e12, 1e4);
  EXPECT_EQ(g.multiplier, 3.0);
  EXPECT_TRUE(g.more_tokens);
  EXPECT_TRUE(g.on_grid_edge);
  EXPECT_NEAR(g.loss, 2.0685, 5e-5);
}

TEST(Allocate, GalacticaExactOptimumLiesOutsideTheAuthorsSearchBox) {
  const Law law = laws::PaperLaw();
  const double flops = 6 * 120e9 * 450e9;  // 3.24e23, Galactica's budget
  absl::StatusOr<Allocation> a = Allocate(law, flops, 106e9);
  ASSERT_TRUE(a.ok()) << a.status();
  // galactica.ipynb searches multipliers i in [1.0001, 3] around (120B, 450B) and stops at the
  // boundary i = 3: (40B, 1.35T).
  const GridAllocation grid = AuthorsGridAllocationForBudget(law, flops, 106e9, 120e9);
  EXPECT_TRUE(grid.on_grid_edge);
  EXPECT_NEAR(grid.params / 40e9, 1, 1e-4);
  EXPECT_NEAR(grid.tokens / 1.35e12, 1, 1e-4);
  EXPECT_LT(a->loss, grid.loss);
  EXPECT_LT(a->params, 40e9 * 0.99);   // below the box's lower edge N = 120B / 3
  EXPECT_GT(a->tokens, 1.35e12 * 1.01);
  ExpectNoBetterPoint(law, *a);
}

TEST(Allocate, ExactOptimumOnManyBudgets) {
  const Law law = laws::PaperLaw();
  for (double log_c : {8.0, 12.0, 15.0, 18.0, 20.0, 22.0, 24.0, 26.0, 30.0}) {
    for (double log_u : {0.0, 3.0, 6.0, 8.0, 9.5, 11.0, 13.0, 15.0}) {
      absl::StatusOr<Allocation> a = Allocate(law, std::pow(10, log_c), std::pow(10, log_u));
      ASSERT_TRUE(a.ok()) << a.status();
      ASSERT_TRUE(std::isfinite(a->loss) && std::isfinite(a->params) && std::isfinite(a->tokens));
      ExpectNoBetterPoint(law, *a);
      // The side-by-side Chinchilla allocation and its loss under this law.
      const ParamsTokens c = ChinchillaAllocation(law, a->flops);
      EXPECT_NEAR(a->chinchilla_params / c.params, 1, 1e-13);
      EXPECT_NEAR(a->chinchilla_loss / law.Loss(c.params, c.tokens, a->unique_tokens), 1, 1e-13);
      EXPECT_GE(a->chinchilla_loss, a->loss * (1 - 1e-15));
      if (a->method == AllocationMethod::kExactNewton ||
          a->method == AllocationMethod::kChinchillaClosedForm) {
        // First-order condition from the law's own automatic derivatives: along 6ND = C,
        // dL/dlnN = N dL/dN - D dL/dD = 0; and the analytic curvature is positive.
        laws::LossGradient g;
        law.LossWithGradient(a->params, a->tokens, a->unique_tokens, &g);
        const double slope = a->params * g.d_params - a->tokens * g.d_tokens;
        EXPECT_NEAR(slope, 0, 1e-9) << log_c << " " << log_u;
        EXPECT_NEAR(a->d_loss_d_log_params, slope, 1e-9);
        if (!OnPlateau(law, *a)) {
          EXPECT_GT(a->d2_loss_d_log_params2, 0) << log_c << " " << log_u;
        }
        EXPECT_GE(a->d2_loss_d_log_params2, 0);
        // The curvature agrees with a finite difference of the automatic slope.
        auto slope_at = [&](double x) {
          const double n = std::exp(x), d = a->flops / 6 / n;
          laws::LossGradient h;
          law.LossWithGradient(n, d, a->unique_tokens, &h);
          return n * h.d_params - d * h.d_tokens;
        };
        const double x = std::log(a->params);
        const double fd = (slope_at(x + 1e-5) - slope_at(x - 1e-5)) / 2e-5;
        if (a->method == AllocationMethod::kExactNewton) {
          EXPECT_NEAR(a->d2_loss_d_log_params2, fd, 1e-4 * std::abs(fd) + 1e-12);
        }
        EXPECT_LE(a->iterations, 4);  // see BM_NewtonIterations
      }
    }
  }
}

TEST(Allocate, ExactOnRandomDataConstrainedLaws) {
  // Laws far from the paper's (as bootstrap resamples or other fits may be): the proof holds
  // for any positive constants, and the grid check confirms it.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 40; ++trial) {
    const double alpha = 0.15 + 0.6 * unit(rng);
    const Law law(Form::kDataConstrained,
                  {4 + 4 * unit(rng), 4 + 5 * unit(rng), -1 + 2 * unit(rng), alpha, alpha,
                   std::exp(-1 + 6 * unit(rng)), std::exp(-2 + 6 * unit(rng)), 0});
    const double c = std::pow(10, 12 + 16 * unit(rng)), u = std::pow(10, 2 + 11 * unit(rng));
    absl::StatusOr<Allocation> a = Allocate(law, c, u);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_NE(a->method, AllocationMethod::kScan);
    ExpectNoBetterPoint(law, *a);
  }
}

TEST(Allocate, UntiedExponentsAndChinchillaForm) {
  // alpha != beta: Newton on the repeated side (proven for any exponents) plus a scan of the
  // single-epoch side; still no better point on the grids.
  for (auto [alpha, beta] : {std::pair{0.33, 0.38}, std::pair{0.38, 0.30}}) {
    const Law law(Form::kDataConstrained, {6.255414, 7.3049974, 0.6254804, alpha, beta, 15.387756, 5.309743, 0});
    for (auto [c, u] : {std::pair{1e22, 25e9}, std::pair{1e18, 1e8}, std::pair{1e26, 1e12}}) {
      absl::StatusOr<Allocation> a = Allocate(law, c, u);
      ASSERT_TRUE(a.ok()) << a.status();
      ExpectNoBetterPoint(law, *a);
    }
  }
  // A Chinchilla-form law ignores repetition: Eq. 3 whatever U is.
  const Law chinchilla(Form::kChinchilla, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0, 0, 0});
  absl::StatusOr<Allocation> a = Allocate(chinchilla, 1e22, 1e9);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->method, AllocationMethod::kChinchillaClosedForm);
  EXPECT_NEAR(a->params / 9218325738.590704, 1, 1e-12);
  EXPECT_NEAR(a->d_loss_d_log_params, 0, 1e-12);
  ExpectNoBetterPoint(chinchilla, *a);
}

TEST(Allocate, OtherFormsUseTheScanAndAreStillOptimalOnTheGrid) {
  const std::vector<Law> others = {
      Law(Form::kDecayDataOnly, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 2.9157212, 0, 0}),
      Law(Form::kGeometric, {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 0.010462746, 0.36757502, 0}),
  };
  for (const Law& law : others) {
    absl::StatusOr<Allocation> a = Allocate(law, 1e22, 25e9);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_EQ(a->method, AllocationMethod::kScan);
    ExpectNoBetterPoint(law, *a);
  }
}

TEST(Allocate, MoreUniqueDataNeverHurts) {
  const Law law = laws::PaperLaw();
  for (double c : {1e18, 1e21, 1e24}) {
    double previous = HUGE_VAL;
    for (double log_u = 4; log_u <= 14; log_u += 0.1) {
      absl::StatusOr<Allocation> a = Allocate(law, c, std::pow(10, log_u));
      ASSERT_TRUE(a.ok());
      EXPECT_LE(a->loss, previous * (1 + 1e-14)) << c << " " << log_u;
      previous = a->loss;
    }
  }
}

TEST(Allocate, MoreComputeNeverHurts) {
  const Law law = laws::PaperLaw();
  for (double u : {1.0, 1e8, 25e9, 1e12}) {
    double previous = HUGE_VAL;
    for (double log_c = 10; log_c <= 32; log_c += 0.1) {
      absl::StatusOr<Allocation> a = Allocate(law, std::pow(10, log_c), u);
      ASSERT_TRUE(a.ok());
      if (OnPlateau(law, *a)) {
        EXPECT_LE(a->loss, previous) << u << " " << log_c;  // equal to double precision
      } else {
        EXPECT_LT(a->loss, previous) << u << " " << log_c;
      }
      EXPECT_GE(a->loss, LossFloor(law, u));
      EXPECT_LE(a->d_loss_d_log_flops, 0);
      previous = a->loss;
    }
  }
}

TEST(Allocate, InfiniteDecayConstantsReduceToChinchilla) {
  const Law law(Form::kDataConstrained,
                {6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 1e12, 1e12, 0});
  for (double u : {1e6, 1e9, 25e9}) {
    absl::StatusOr<Allocation> a = Allocate(law, 1e22, u);
    ASSERT_TRUE(a.ok());
    EXPECT_NEAR(a->params / a->chinchilla_params, 1, 1e-6) << u;
    EXPECT_NEAR(a->tokens / a->chinchilla_tokens, 1, 1e-6) << u;
  }
}

TEST(Allocate, HugeBudgetsPlateauAtTheLossFloor) {
  const Law law = laws::PaperLaw();
  const double u = 1e9;
  absl::StatusOr<Allocation> a = Allocate(law, 1e40, u);
  ASSERT_TRUE(a.ok());
  const double floor = LossFloor(law, u);
  EXPECT_GE(a->loss, floor);
  EXPECT_NEAR(a->loss, floor, 1e-12);
  // D' -> U_D (1 + R_D*) at huge epochs.
  const Decomposition d = Decompose(law, a->params, a->tokens, u);
  EXPECT_NEAR(d.effective_tokens / u, 1 + 15.387756, 1e-9);
}

TEST(Allocate, RoundTripThroughPredict) {
  const Law law = laws::PaperLaw();
  for (double c : {1e19, 1e22, 3.24e23, 1e26}) {
    for (double u : {1e8, 25e9, 1e13}) {
      absl::StatusOr<Allocation> a = Allocate(law, c, u);
      ASSERT_TRUE(a.ok());
      absl::StatusOr<Prediction> p = Predict(law, a->params, a->tokens, std::min(u, a->tokens));
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_NEAR(p->loss / a->loss, 1, 1e-13) << c << " " << u;
      EXPECT_NEAR(p->flops / c, 1, 1e-12);
      EXPECT_EQ(p->data_constrained, a->data_constrained);
    }
  }
}

TEST(Allocate, NonBindingBudgetIsTheChinchillaPoint) {
  const Law law = laws::PaperLaw();
  absl::StatusOr<Allocation> a = Allocate(law, 1e22, 1e13);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->method, AllocationMethod::kChinchillaClosedForm);
  EXPECT_FALSE(a->data_constrained);
  EXPECT_DOUBLE_EQ(a->params, a->chinchilla_params);
  EXPECT_NEAR(a->loss / a->chinchilla_loss, 1, 1e-15);
  EXPECT_LT(a->epochs, 1);
}

TEST(MinimumFlopsForLoss, InvertsTheAllocation) {
  const Law law = laws::PaperLaw();
  for (double u : {1e8, 25e9, 1e12}) {
    const double floor = LossFloor(law, u);
    for (double target : {floor + 1.0, floor + 0.1, floor + 0.001}) {
      absl::StatusOr<Allocation> a = MinimumFlopsForLoss(law, target, u);
      ASSERT_TRUE(a.ok()) << a.status();
      EXPECT_NEAR(a->loss, target, 1e-12 * target) << u << " " << target;
      absl::StatusOr<Allocation> less = Allocate(law, a->flops * (1 - 1e-6), u);
      ASSERT_TRUE(less.ok());
      EXPECT_GT(less->loss, target);
    }
  }
  // The README budget: the loss it reaches needs exactly 1e22 FLOPs.
  absl::StatusOr<Allocation> readme = Allocate(law, 1e22, 25e9);
  absl::StatusOr<Allocation> back = MinimumFlopsForLoss(law, readme->loss, 25e9);
  ASSERT_TRUE(back.ok());
  EXPECT_NEAR(back->flops / 1e22, 1, 1e-8);
}

TEST(MinimumFlopsForLoss, RejectsUnreachableTargets) {
  const Law law = laws::PaperLaw();
  const double floor = LossFloor(law, 25e9);
  for (double target : std::initializer_list<double>{floor, floor - 0.1, 1.0, -1.0, NAN, INFINITY}) {
    absl::StatusOr<Allocation> a = MinimumFlopsForLoss(law, target, 25e9);
    ASSERT_FALSE(a.ok()) << target;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(a.status().message().rfind("target_loss:", 0), 0u) << a.status();
  }
  absl::StatusOr<Allocation> fraction = MinimumFlopsForLoss(law, 3.0, 0.5);
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.status().message().rfind("unique_tokens:", 0), 0u) << fraction.status();
  // Reachable only beyond max_flops.
  AllocateOptions options;
  options.max_flops = 1e20;
  absl::StatusOr<Allocation> a = MinimumFlopsForLoss(law, floor + 1e-4, 25e9, options);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message().rfind("target_loss:", 0), 0u) << a.status();
}

TEST(Allocate, RejectsBadBudgets) {
  const Law law = laws::PaperLaw();
  for (double bad : std::initializer_list<double>{0.0, -1.0, NAN, INFINITY, -INFINITY}) {
    absl::StatusOr<Allocation> a = Allocate(law, bad, 25e9);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().message().rfind("flops:", 0), 0u) << a.status();
    absl::StatusOr<Allocation> b = Allocate(law, 1e22, bad);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.status().message().rfind("unique_tokens:", 0), 0u) << b.status();
  }
  // Fewer unique tokens than the smallest run (1 token by default).
  absl::StatusOr<Allocation> fraction = Allocate(law, 1e300, 1e-300);
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.status().message().rfind("unique_tokens:", 0), 0u) << fraction.status();
  absl::StatusOr<Allocation> tiny = Allocate(law, 5.9, 25e9);  // C/6 < 1 param x 1 token
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.status().message().rfind("flops:", 0), 0u) << tiny.status();
  EXPECT_TRUE(Allocate(law, 6.0, 25e9).ok());
}

TEST(Allocate, ExtremeButValidBudgetsAreFinite) {
  const Law law = laws::PaperLaw();
  for (auto [c, u] : {std::pair{1e30, 1.0}, std::pair{6.0, 1.0}, std::pair{1e30, 1e30},
                      std::pair{1e300, 1.0}, std::pair{10.0, 1e300}}) {
    absl::StatusOr<Allocation> a = Allocate(law, c, u);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(std::isfinite(a->loss) && std::isfinite(a->params) && std::isfinite(a->tokens) &&
                std::isfinite(a->epochs) && std::isfinite(a->chinchilla_loss))
        << c << " " << u;
    EXPECT_GE(a->params, 1.0);
    EXPECT_GE(a->tokens, 1.0 * (1 - 1e-12));
  }
}

TEST(Allocator, RejectsBadLawsAndOptions) {
  EXPECT_FALSE(Allocator::Create(Law(Form::kDataConstrained, {6, 7, 0.6, 0.35, 0.35, -1, 5, 0})).ok());
  EXPECT_FALSE(Allocator::Create(Law(Form::kDataConstrained, {6, 7, 0.6, 0, 0.35, 15, 5, 0})).ok());
  AllocateOptions bad;
  bad.min_params = 0;
  EXPECT_FALSE(Allocator::Create(laws::PaperLaw(), bad).ok());
}

}  // namespace
}  // namespace datawall::sim
