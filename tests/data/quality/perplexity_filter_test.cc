// data/quality/perplexity_filter.h: the paper's percentile bands select the right documents,
// ties deterministically, and bad scores are refused.
#include "data/quality/perplexity_filter.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace datawall::data::quality {
namespace {

std::vector<int> Kept(const std::vector<double>& ppl, PerplexityBand band) {
  std::vector<bool> keep;
  EXPECT_TRUE(SelectByPerplexity(ppl, band, &keep).ok());
  std::vector<int> out;
  for (size_t i = 0; i < keep.size(); ++i) if (keep[i]) out.push_back(static_cast<int>(i));
  return out;
}

TEST(PerplexityFilterTest, BandsOverEightDocuments) {
  // Ranks by perplexity: doc 3 (1), 0 (2), 6 (3), 1 (4), 7 (5), 2 (6), 5 (7), 4 (8).
  const std::vector<double> ppl = {2, 4, 6, 1, 8, 7, 3, 5};
  EXPECT_EQ(Kept(ppl, PerplexityBand::kTop25), (std::vector<int>{0, 3}));
  EXPECT_EQ(Kept(ppl, PerplexityBand::kTop50), (std::vector<int>{0, 1, 3, 6}));
  EXPECT_EQ(Kept(ppl, PerplexityBand::kMid25To75), (std::vector<int>{1, 2, 6, 7}));
}

TEST(PerplexityFilterTest, RoundsUpAndBreaksTiesByIndex) {
  const std::vector<double> ppl = {5, 5, 5, 5, 5};
  EXPECT_EQ(Kept(ppl, PerplexityBand::kTop25), (std::vector<int>{0, 1}));        // ceil(5/4)
  EXPECT_EQ(Kept(ppl, PerplexityBand::kTop50), (std::vector<int>{0, 1, 2}));     // ceil(5/2)
  EXPECT_EQ(Kept(ppl, PerplexityBand::kMid25To75), (std::vector<int>{1, 2, 3}));  // [1, 4)
  EXPECT_TRUE(Kept({}, PerplexityBand::kTop50).empty());
}

TEST(PerplexityFilterTest, RefusesNonFiniteOrNonPositive) {
  std::vector<bool> keep;
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), 0.0, -1.0,
                     std::numeric_limits<double>::infinity()}) {
    const absl::Status s = SelectByPerplexity({1.0, bad}, PerplexityBand::kTop50, &keep);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("document 1"), std::string::npos) << s;
  }
}

TEST(PerplexityFilterTest, ParsesNames) {
  PerplexityBand band;
  for (const char* name : {"top25", "top50", "mid25_75"}) {
    ASSERT_TRUE(ParsePerplexityBand(name, &band)) << name;
    EXPECT_EQ(PerplexityBandName(band), name);
  }
  EXPECT_FALSE(ParsePerplexityBand("top75", &band));
}

}  // namespace
}  // namespace datawall::data::quality
