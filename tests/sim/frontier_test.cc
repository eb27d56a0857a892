// Frontier: contour points lie on their loss level, the efficient frontier is the exact optimum
// of each budget and beats Chinchilla's path (Figure 1 right, Figure 3 right).
#include "sim/frontier.h"

#include <cmath>

#include "gtest/gtest.h"
#include "sim/allocate.h"

namespace datawall::sim {
namespace {

TEST(Frontier, ContoursLieOnTheirLevels) {
  const laws::Law law = laws::PaperLaw();
  absl::StatusOr<Frontier> f = ComputeFrontier(law, 100e6);  // Figure 3: 100M unique tokens
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->loss_levels.size(), 8u);
  ASSERT_FALSE(f->contours.empty());
  for (const ContourPoint& c : f->contours) {
    EXPECT_NEAR(law.Loss(c.params, c.tokens, 100e6), c.loss_level, 1e-10);
    EXPECT_GE(c.params, f->min_params * (1 - 1e-12));
    EXPECT_LE(c.params, f->max_params * (1 + 1e-12));
    EXPECT_NEAR(c.flops, 6 * c.params * c.tokens, 1e-6 * c.flops);
  }
  // The efficient frontier touches each level at no more FLOPs than any contour point of it.
  for (double level : f->loss_levels) {
    double cheapest = HUGE_VAL;
    for (const ContourPoint& c : f->contours) {
      if (c.loss_level == level) cheapest = std::min(cheapest, c.flops);
    }
    if (!std::isfinite(cheapest)) continue;
    absl::StatusOr<Allocation> a = MinimumFlopsForLoss(law, level, 100e6);
    ASSERT_TRUE(a.ok());
    EXPECT_LE(a->flops, cheapest * (1 + 1e-9)) << level;
  }
}

TEST(Frontier, DataConstrainedPathBeatsChinchillaFigure1Right) {
  const laws::Law law = laws::PaperLaw();
  FrontierOptions options;
  options.loss_levels = {3.0, 2.5};
  absl::StatusOr<Frontier> f = ComputeFrontier(law, 25e9, options);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->path.size(), 25u);
  for (size_t i = 0; i < f->path.size(); ++i) {
    const PathPoint& p = f->path[i];
    EXPECT_LE(p.loss, p.chinchilla_loss * (1 + 1e-15));
    if (p.epochs > 1.01) {
      // Once data binds, the data-constrained path trains smaller models for more epochs.
      EXPECT_LT(p.params, p.chinchilla_params);
      EXPECT_GT(p.epochs, p.chinchilla_epochs);
    }
    if (i > 0) {
      EXPECT_GT(p.params, f->path[i - 1].params);
      EXPECT_GE(p.epochs, f->path[i - 1].epochs);
    }
  }
}

TEST(Frontier, RejectsBadInput) {
  const laws::Law law = laws::PaperLaw();
  EXPECT_FALSE(ComputeFrontier(law, -1).ok());
  FrontierOptions bad;
  bad.min_epochs = 10;
  bad.max_epochs = 5;
  EXPECT_FALSE(ComputeFrontier(law, 1e9, bad).ok());
  FrontierOptions bad_levels;
  bad_levels.loss_levels = {NAN};
  EXPECT_FALSE(ComputeFrontier(law, 1e9, bad_levels).ok());
}

}  // namespace
}  // namespace datawall::sim
