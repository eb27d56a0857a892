// SelectPool: the pool keeps the mix, excludes the reference sources, nests, and is seeded.
#include "data/quality/pool.h"

#include <algorithm>
#include <map>

#include "gtest/gtest.h"

namespace datawall::data::quality {
namespace {

// 3 sources: "a" 60 docs of 10 tokens, "b" 30 docs of 20 tokens, "ref" 10 docs of 5.
std::vector<IndexEntry> Index() {
  std::vector<IndexEntry> index;
  auto add = [&](const std::string& src, int n, int64_t tokens) {
    for (int i = 0; i < n; ++i) {
      index.push_back({static_cast<int64_t>(index.size()), src, src + std::to_string(i), tokens, tokens * 4});
    }
  };
  add("a", 60, 10);
  add("ref", 10, 5);
  add("b", 30, 20);
  return index;
}

std::map<std::string, int64_t> TokensBySource(const std::vector<IndexEntry>& index,
                                              const std::vector<int64_t>& docs) {
  std::map<std::string, int64_t> t;
  for (int64_t d : docs) t[index[d].src] += index[d].tokens;
  return t;
}

TEST(SelectPoolTest, KeepsTheMixAndExcludesReferenceSources) {
  const std::vector<IndexEntry> index = Index();
  std::vector<int64_t> docs;
  ASSERT_TRUE(SelectPool(index, {"ref"}, 600, 7, &docs).ok());
  ASSERT_TRUE(std::is_sorted(docs.begin(), docs.end()));
  const auto t = TokensBySource(index, docs);
  EXPECT_EQ(t.count("ref"), 0u);
  // a and b hold 600 tokens each: the pool takes half of each, within one document.
  EXPECT_NEAR(t.at("a"), 300, 20);
  EXPECT_NEAR(t.at("b"), 300, 20);
  EXPECT_GE(t.at("a") + t.at("b"), 600);
  EXPECT_LT(t.at("a") + t.at("b"), 620);
}

TEST(SelectPoolTest, SmallerPoolsArePrefixesAndSeedsDiffer) {
  const std::vector<IndexEntry> index = Index();
  std::vector<int64_t> small, large, other;
  ASSERT_TRUE(SelectPool(index, {"ref"}, 200, 7, &small).ok());
  ASSERT_TRUE(SelectPool(index, {"ref"}, 900, 7, &large).ok());
  ASSERT_TRUE(SelectPool(index, {"ref"}, 200, 8, &other).ok());
  EXPECT_TRUE(std::includes(large.begin(), large.end(), small.begin(), small.end()));
  EXPECT_NE(small, other);
  std::vector<int64_t> again;
  ASSERT_TRUE(SelectPool(index, {"ref"}, 200, 7, &again).ok());
  EXPECT_EQ(again, small);
}

TEST(SelectPoolTest, RejectsPoolsLargerThanTheSources) {
  std::vector<int64_t> docs;
  EXPECT_FALSE(SelectPool(Index(), {"ref"}, 1201, 7, &docs).ok());
  EXPECT_TRUE(SelectPool(Index(), {"ref"}, 1200, 7, &docs).ok());
  EXPECT_EQ(docs.size(), 90u);
  EXPECT_FALSE(SelectPool(Index(), {}, 0, 7, &docs).ok());
}

}  // namespace
}  // namespace datawall::data::quality
