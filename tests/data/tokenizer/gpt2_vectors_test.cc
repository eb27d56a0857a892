// GPT-2 encoder on the five published test vectors (notes/data-sources.md section 3), plus
// round trips and the document-separator contract. Reference agreement on large inputs lives in
// reference_test.cc.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/data/tokenizer/gpt2_test_util.h"

namespace datawall::data {
namespace {

using testing::SharedGpt2;

std::vector<uint32_t> Enc(const std::string& text) {
  std::vector<uint32_t> ids;
  SharedGpt2()->Encode(text, &ids);
  return ids;
}

TEST(Gpt2Vectors, Loads) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->id(), "gpt2");
  EXPECT_EQ(t->vocab_size(), 50257u);
  EXPECT_EQ(t->end_of_text(), 50256u);
  EXPECT_EQ(t->num_merges(), 50000u);
}

TEST(Gpt2Vectors, PublishedVectors) {
  ASSERT_NE(SharedGpt2(), nullptr);
  EXPECT_EQ(Enc("Hello world"), (std::vector<uint32_t>{15496, 995}));
  EXPECT_EQ(Enc("Hello, world! It's 2024."),
            (std::vector<uint32_t>{15496, 11, 995, 0, 632, 338, 48609, 13}));
  EXPECT_EQ(Enc("naïve café — 日本語"),
            (std::vector<uint32_t>{2616, 38776, 40304, 851, 10545, 245, 98, 17312, 105, 45739, 252}));
  EXPECT_EQ(Enc("def f(x):\n    return x  # comment\n"),
            (std::vector<uint32_t>{4299, 277, 7, 87, 2599, 198, 220, 220, 220, 1441, 2124, 220, 1303,
                                   2912, 198}));
  EXPECT_EQ(Enc("   leading spaces\n\n\nand newlines"),
            (std::vector<uint32_t>{220, 220, 3756, 9029, 628, 198, 392, 649, 6615}));
}

TEST(Gpt2Vectors, EmptyAndAppend) {
  ASSERT_NE(SharedGpt2(), nullptr);
  EXPECT_TRUE(Enc("").empty());
  std::vector<uint32_t> ids = {7};
  SharedGpt2()->Encode("Hello world", &ids);
  EXPECT_EQ(ids, (std::vector<uint32_t>{7, 15496, 995}));
}

TEST(Gpt2Vectors, EndOfTextInTextIsOrdinary) {
  ASSERT_NE(SharedGpt2(), nullptr);
  const std::vector<uint32_t> ids = Enc("a<|endoftext|>b");
  for (uint32_t id : ids) EXPECT_NE(id, 50256u);
  EXPECT_EQ(SharedGpt2()->Decode(ids), "a<|endoftext|>b");
  EXPECT_EQ(SharedGpt2()->Decode({50256}), "<|endoftext|>");
}

TEST(Gpt2Vectors, RoundTripValidUtf8) {
  ASSERT_NE(SharedGpt2(), nullptr);
  for (const std::string& s :
       {std::string("naïve café — 日本語 🎉👩‍👩‍👧"), std::string("\t\n \r\n  x  \u3000y"),
        std::string("it's we'll THEY'RE 123456789 1,000.5"), std::string(1000, ' '),
        std::string("\0a\0", 3)}) {
    EXPECT_EQ(SharedGpt2()->Decode(Enc(s)), s);
  }
}

TEST(Gpt2Vectors, InvalidUtf8BecomesReplacementCharacter) {
  ASSERT_NE(SharedGpt2(), nullptr);
  // One U+FFFD per maximal subpart: "\xE2\x82" (truncated) is one, "\xC0\xAF" (overlong) is two.
  EXPECT_EQ(Enc("a\xE2\x82z"), Enc("a\uFFFDz"));
  EXPECT_EQ(Enc("a\xC0\xAFz"), Enc("a\uFFFD\uFFFDz"));
  EXPECT_EQ(Enc("\xFF"), Enc("\uFFFD"));
  EXPECT_NE(Enc("a\xE2\x82z"), Enc("a\uFFFD\uFFFDz"));
  EXPECT_EQ(SharedGpt2()->Decode(Enc("x\xFFy")), "x\uFFFDy");
}

}  // namespace
}  // namespace datawall::data
