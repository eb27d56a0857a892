// Unit tests of report number formatting and the authors' allocation grid.
#include <cmath>

#include "gtest/gtest.h"
#include "laws/law.h"
#include "reports/authors_grid.h"
#include "reports/format.h"

namespace datawall::reports {
namespace {

TEST(FormatTest, Numbers) {
  EXPECT_EQ(Fixed(0.77220461, 4), "0.7722");
  EXPECT_EQ(Fixed(-0.00001, 2), "0.00");
  EXPECT_EQ(Fixed(NAN, 2), "n/a");
  EXPECT_EQ(Sci(9.3e21), "9.30e21");
  EXPECT_EQ(Sci(9.996e21), "1.00e22");
  EXPECT_EQ(Sci(3.24e23, 3), "3.24e23");
  EXPECT_EQ(Count(6.34e9), "6.34B");
  EXPECT_EQ(Count(237.3e9), "237B");
  EXPECT_EQ(Count(1.35e12), "1.35T");
  EXPECT_EQ(Count(25e6), "25.0M");
  EXPECT_EQ(Count(INFINITY), "n/a");
  EXPECT_EQ(Percent(0.0062, 2), "0.62%");
  EXPECT_EQ(Signed(0.0012, 4), "+0.0012");
}

// The README's example (REFERENCE.md §4): C = 1e22, U = 25e9 gives 237336955477.55075 tokens,
// 7022364735.879969 parameters with the authors' grid around the Chinchilla point.
TEST(AuthorsGridTest, ReproducesTheReadmeAllocation) {
  const laws::Law law = laws::PaperLaw();
  double n0, d0;
  ChinchillaPoint(law, 1e22, &n0, &d0);
  EXPECT_NEAR(n0, 9.218e9, 1e6);
  const GridAllocation g = AuthorsGridAllocation(law, n0, d0, 25e9);
  EXPECT_NEAR(g.tokens / 237336955477.55075, 1.0, 1e-9);
  EXPECT_NEAR(g.params / 7022364735.879969, 1.0, 1e-9);
  EXPECT_TRUE(g.more_tokens);
  EXPECT_FALSE(g.on_grid_edge);
}

// Galactica (App. G): around (120B, 450B) the grid ends on its edge at (40B, 1.35T).
TEST(AuthorsGridTest, GalacticaSitsOnTheGridEdge) {
  const GridAllocation g = AuthorsGridAllocation(laws::PaperLaw(), 120e9, 450e9, 106e9);
  EXPECT_NEAR(g.params, 40e9, 1e3);
  EXPECT_NEAR(g.tokens, 1.35e12, 1e4);
  EXPECT_TRUE(g.on_grid_edge);
  EXPECT_NEAR(g.loss, 2.0685, 5e-5);
}

}  // namespace
}  // namespace datawall::reports
