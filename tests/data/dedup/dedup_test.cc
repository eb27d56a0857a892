// data/dedup against a brute-force reference: every k-byte window of every document hashed,
// a window duplicated when its bytes occur in another document, spans the union per document.
// Random corpora over tiny alphabets (many chance repeats, NUL and 0xFF bytes included) with
// copied substrings; planted spans found exactly and nothing else; repeats inside one document,
// strings spanning a document boundary, empty documents and k beyond the documents' length; the
// suffix array and its k-prefix flags themselves; span removal keeping UTF-8 whole.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/dedup/dedup.h"
#include "data/dedup/suffix_array.h"
#include "gtest/gtest.h"

namespace datawall::data::dedup {
namespace {

std::vector<std::vector<Span>> BruteForce(const std::vector<std::string>& texts, int64_t k) {
  // window bytes -> (first document, seen in a second one)
  std::unordered_map<std::string_view, std::pair<size_t, bool>> seen;
  for (size_t d = 0; d < texts.size(); ++d) {
    const std::string_view t = texts[d];
    for (int64_t p = 0; p + k <= static_cast<int64_t>(t.size()); ++p) {
      auto [it, fresh] = seen.emplace(t.substr(p, k), std::make_pair(d, false));
      if (!fresh && it->second.first != d) it->second.second = true;
    }
  }
  std::vector<std::vector<Span>> spans(texts.size());
  for (size_t d = 0; d < texts.size(); ++d) {
    const std::string_view t = texts[d];
    std::vector<bool> covered(t.size(), false);
    for (int64_t p = 0; p + k <= static_cast<int64_t>(t.size()); ++p) {
      if (seen.at(t.substr(p, k)).second) {
        std::fill(covered.begin() + p, covered.begin() + p + k, true);
      }
    }
    for (int64_t p = 0; p < static_cast<int64_t>(t.size());) {
      if (!covered[p]) {
        ++p;
        continue;
      }
      int64_t e = p;
      while (e < static_cast<int64_t>(t.size()) && covered[e]) ++e;
      spans[d].push_back({p, e});
      p = e;
    }
  }
  return spans;
}

std::vector<std::vector<Span>> Find(const std::vector<std::string>& texts, int64_t k) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::vector<Span>> spans;
  const absl::Status s = FindDuplicateSpans(views, k, &spans);
  EXPECT_TRUE(s.ok()) << s;
  return spans;
}

std::string Describe(const std::vector<std::vector<Span>>& spans) {
  std::string out;
  for (size_t d = 0; d < spans.size(); ++d) {
    out += std::to_string(d) + ":";
    for (const Span& s : spans[d]) out += " [" + std::to_string(s.begin) + "," + std::to_string(s.end) + ")";
    out += "\n";
  }
  return out;
}

std::string RandomText(std::mt19937_64& rng, const std::string& alphabet, int64_t length) {
  std::string t(length, ' ');
  for (char& c : t) c = alphabet[rng() % alphabet.size()];
  return t;
}

TEST(SuffixArrayTest, SortedPermutationAndPrefixFlagsMatchBruteForce) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const std::string alphabet = trial % 2 ? std::string("ab") : std::string("a\0\xff", 3);
    const std::string text = RandomText(rng, alphabet, rng() % 60);
    const int64_t k = 1 + rng() % 6;
    std::vector<int32_t> sa;
    std::vector<uint8_t> flags;
    ASSERT_TRUE(SuffixArrayWithLongLcp(text, k, &sa, &flags).ok());
    ASSERT_EQ(sa.size(), text.size());
    std::vector<int32_t> sorted = sa;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) ASSERT_EQ(sorted[i], static_cast<int32_t>(i));
    const std::string_view t = text;
    for (size_t r = 1; r < sa.size(); ++r) {
      const std::string_view a = t.substr(sa[r - 1]), b = t.substr(sa[r]);
      ASSERT_LT(a, b) << "trial " << trial;  // unsigned byte order (char_traits<char>::compare)
      const bool expected = static_cast<int64_t>(std::min(a.size(), b.size())) >= k &&
                            a.substr(0, k) == b.substr(0, k);
      ASSERT_EQ(flags[r] != 0, expected) << "trial " << trial << " rank " << r;
    }
  }
}

TEST(SuffixArrayTest, RejectsBadK) {
  std::vector<int32_t> sa;
  std::vector<uint8_t> flags;
  EXPECT_EQ(SuffixArrayWithLongLcp("abc", 0, &sa, &flags).code(),
            absl::StatusCode::kInvalidArgument);
}

// Random corpora with chance repeats and copied substrings, against the reference.
TEST(DedupTest, RandomCorporaMatchBruteForce) {
  std::mt19937_64 rng(2026);
  const std::string alphabets[] = {"ab", "abc", std::string("x\0\xff", 3), "abcdefghij"};
  for (int trial = 0; trial < 600; ++trial) {
    const std::string& alphabet = alphabets[trial % 4];
    const int n_docs = rng() % 9;
    std::vector<std::string> texts;
    for (int d = 0; d < n_docs; ++d) texts.push_back(RandomText(rng, alphabet, rng() % 70));
    // Plant copies: a substring of one document into another (or into the same one).
    for (int c = 0; n_docs > 0 && c < 4; ++c) {
      const std::string& from = texts[rng() % n_docs];
      if (from.empty()) continue;
      const size_t b = rng() % from.size(), len = 1 + rng() % (from.size() - b);
      const std::string piece = from.substr(b, len);
      std::string& to = texts[rng() % n_docs];
      to.insert(rng() % (to.size() + 1), piece);
    }
    const int64_t k = 1 + rng() % 20;
    ASSERT_EQ(Describe(Find(texts, k)), Describe(BruteForce(texts, k)))
        << "trial " << trial << " k " << k;
  }
}

// Random background over a-z (chance 30-byte repeats are negligible), planted strings copied
// into several documents with a different letter on each side of every copy: the spans are
// exactly the planted copies.
TEST(DedupTest, PlantedSpansFoundExactly) {
  std::mt19937_64 rng(11);
  const int64_t k = 30;
  for (int trial = 0; trial < 40; ++trial) {
    const int n_docs = 3 + rng() % 6;
    std::vector<std::string> texts;
    for (int d = 0; d < n_docs; ++d) texts.push_back(RandomText(rng, "abcdefghijklmnopqrstuvwxyz", 50 + rng() % 300));
    std::vector<std::vector<Span>> expected(n_docs);
    const int n_planted = 1 + rng() % 3;
    for (int s = 0; s < n_planted; ++s) {
      const std::string planted = RandomText(rng, "abcdefghijklmnopqrstuvwxyz", k + rng() % 80);
      // Two or three copies in distinct documents.
      std::vector<int> docs(n_docs);
      for (int d = 0; d < n_docs; ++d) docs[d] = d;
      std::shuffle(docs.begin(), docs.end(), rng);
      const int copies = 2 + rng() % 2;
      for (int c = 0; c < copies; ++c) {
        std::string& t = texts[docs[c]];
        const std::string framed = std::string(1, 'A' + 2 * s * 3 + c) + planted +
                                   std::string(1, 'A' + 2 * s * 3 + 3 + c);
        t += framed;  // appended, so earlier planted offsets stay valid
        const int64_t b = static_cast<int64_t>(t.size() - framed.size()) + 1;
        expected[docs[c]].push_back({b, b + static_cast<int64_t>(planted.size())});
      }
    }
    for (int d = 0; d < n_docs; ++d) texts[d] += RandomText(rng, "abcdefghijklmnopqrstuvwxyz", 40);
    for (auto& e : expected) std::sort(e.begin(), e.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
    EXPECT_EQ(Describe(Find(texts, k)), Describe(expected)) << "trial " << trial;
    EXPECT_EQ(Describe(BruteForce(texts, k)), Describe(expected)) << "trial " << trial;
  }
}

TEST(DedupTest, RepeatsWithinOneDocumentDoNotCount) {
  const std::string s = "the same forty byte sentence, repeated.!";
  const std::vector<std::string> texts = {"x" + s + "y" + s + "z", "unrelated text of some length"};
  EXPECT_EQ(Describe(Find(texts, 10)), "0:\n1:\n");
  // A third copy elsewhere makes all three duplicated.
  const std::vector<std::string> three = {texts[0], texts[1], "<" + s + ">"};
  EXPECT_EQ(Describe(Find(three, 10)), "0: [1,41) [42,82)\n1:\n2: [1,41)\n");
}

TEST(DedupTest, StringsAcrossDocumentBoundariesDoNotCount) {
  // "0123456789" + "abcdefghij" only exists across the boundary of documents 0 and 1.
  const std::vector<std::string> texts = {"xx0123456789", "abcdefghijyy", "-0123456789abcdefghij-"};
  EXPECT_EQ(Describe(Find(texts, 12)), "0:\n1:\n2:\n");
  EXPECT_EQ(Describe(BruteForce(texts, 12)), "0:\n1:\n2:\n");
  // At k = 10 each half is a shared window of its own.
  EXPECT_EQ(Describe(Find(texts, 10)), "0: [2,12)\n1: [0,10)\n2: [1,21)\n");
}

TEST(DedupTest, EmptyDocumentsAndKBeyondDocuments) {
  EXPECT_EQ(Describe(Find({}, 5)), "");
  EXPECT_EQ(Describe(Find({"", "", ""}, 1)), "0:\n1:\n2:\n");
  EXPECT_EQ(Describe(Find({"abcd", "", "abcd", "abcd"}, 5)), "0:\n1:\n2:\n3:\n");
  EXPECT_EQ(Describe(Find({"abcd", "", "abcd"}, 4)), "0: [0,4)\n1:\n2: [0,4)\n");
  EXPECT_EQ(Describe(Find({"abcdabcd", "zabcdabcdz"}, 100)), "0:\n1:\n");
}

TEST(DedupTest, IdenticalDocumentsAreDuplicatedWhole) {
  const std::string t = "identical documents are duplicated from the first byte to the last";
  const std::string whole = "[0," + std::to_string(t.size()) + ")";
  EXPECT_EQ(Describe(Find({t, t}, 20)), "0: " + whole + "\n1: " + whole + "\n");
}

TEST(DedupTest, RejectsBadK) {
  std::vector<std::vector<Span>> spans;
  EXPECT_EQ(FindDuplicateSpans({"abc"}, 0, &spans).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RemovalTest, RemoveSpansWidensToWholeUtf8Characters) {
  EXPECT_EQ(RemoveSpans("0123456789", {{2, 4}, {6, 7}}), "0145789");
  EXPECT_EQ(RemoveSpans("0123", {{0, 4}}), "");
  EXPECT_EQ(RemoveSpans("0123", {}), "0123");
  // "aé b": é is C3 A9 at bytes 1-2. A span starting on A9 takes the whole é.
  EXPECT_EQ(RemoveSpans("a\xc3\xa9 b", {{2, 4}}), "ab");
  // A span ending after C3 takes A9 too; a 4-byte character (U+1F600) likewise.
  EXPECT_EQ(RemoveSpans("a\xc3\xa9 b", {{0, 2}}), " b");
  EXPECT_EQ(RemoveSpans("x\xf0\x9f\x98\x80y", {{2, 3}}), "xy");
}

TEST(RemovalTest, ModesDropDocumentsOrCutSpans) {
  const std::vector<Document> docs = {{"s", "0", "keep me"}, {"s", "1", "abcXYZ"}, {"t", "2", "XYZ"}};
  const std::vector<std::vector<Span>> spans = {{}, {{3, 6}}, {{0, 3}}};
  std::vector<Document> kept = ApplyRemoval(docs, spans, RemovalMode::kDocument);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].id, "0");
  kept = ApplyRemoval(docs, spans, RemovalMode::kSpan);
  ASSERT_EQ(kept.size(), 2u);  // document 2 is left empty and dropped
  EXPECT_EQ(kept[1].id, "1");
  EXPECT_EQ(kept[1].text, "abc");
  RemovalMode mode;
  EXPECT_TRUE(ParseRemovalMode("span", &mode));
  EXPECT_EQ(mode, RemovalMode::kSpan);
  EXPECT_FALSE(ParseRemovalMode("paragraph", &mode));
}

}  // namespace
}  // namespace datawall::data::dedup
