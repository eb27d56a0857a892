// Unit tests of report number formatting (the authors' grid is tested in tests/sim/).
#include <cmath>

#include "gtest/gtest.h"
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

}  // namespace
}  // namespace datawall::reports
