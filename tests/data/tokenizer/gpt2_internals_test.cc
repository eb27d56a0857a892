// The GPT-2 encoder's parts: heap merge == scan merge (the scan transliterates js-tiktoken's
// bytePairMerge), 1 MB (and 256 KB) single-word inputs, pre-tokenizer splits, WHATWG UTF-8 replacement,
// parallel encoding == sequential, and errors for files that do not parse.
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/bpe.h"
#include "data/tokenizer/gpt2_tokenizer.h"
#include "data/tokenizer/parallel.h"
#include "data/tokenizer/pretokenizer.h"
#include "data/tokenizer/utf8.h"
#include "gtest/gtest.h"
#include "tests/data/tokenizer/gpt2_test_util.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

using testing::SharedGpt2;

std::string RandomWord(std::mt19937* rng, size_t n, const std::string& alphabet) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(alphabet[(*rng)() % alphabet.size()]);
  return s;
}

TEST(Bpe, HeapEqualsScanOnEveryLength) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  std::mt19937 rng(7);
  const std::vector<std::string> alphabets = {"abcdefghijklmnopqrstuvwxyz", "etaoinshr", "ab",
                                              " ", "0123456789", "!-=#*"};
  for (size_t n : {1, 2, 3, 5, 17, 48, 49, 64, 100, 257, 1000, 2500}) {
    for (const std::string& alphabet : alphabets) {
      const std::string w = RandomWord(&rng, n, alphabet);
      std::vector<uint32_t> heap, scan;
      BytePairEncodeHeap(w, t->pair_table(), t->byte_ids(), &heap);
      BytePairEncodeScan(w, t->pair_table(), t->byte_ids(), &scan);
      ASSERT_EQ(heap, scan) << "length " << n << " alphabet " << alphabet;
    }
  }
  // Longer: the scan is quadratic, so one 16 KB and one 32 KB word.
  for (size_t n : {16384, 32768}) {
    const std::string w = RandomWord(&rng, n, alphabets[0]);
    std::vector<uint32_t> heap, scan;
    BytePairEncodeHeap(w, t->pair_table(), t->byte_ids(), &heap);
    BytePairEncodeScan(w, t->pair_table(), t->byte_ids(), &scan);
    ASSERT_EQ(heap, scan) << "length " << n;
  }
  // Random bytes (not a pre-token the regex would make, but the merge must still agree).
  for (int k = 0; k < 50; ++k) {
    std::string w;
    for (int i = 0; i < 300; ++i) w.push_back(static_cast<char>(rng() & 0xFF));
    std::vector<uint32_t> heap, scan;
    BytePairEncodeHeap(w, t->pair_table(), t->byte_ids(), &heap);
    BytePairEncodeScan(w, t->pair_table(), t->byte_ids(), &scan);
    ASSERT_EQ(heap, scan);
  }
}

TEST(Bpe, MegabyteSingleWordsRoundTrip) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  std::mt19937 rng(11);
  std::string cjk;
  while (cjk.size() < (1u << 20)) cjk += "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97";
  for (const std::string& w :
       {RandomWord(&rng, 1 << 20, "abcdefghijklmnopqrstuvwxyz"), std::string(1 << 20, 'a'),
        RandomWord(&rng, 1 << 18, "0123456789"), RandomWord(&rng, 1 << 18, "!@#$%^&*()"),
        std::string(1 << 20, ' '), cjk}) {
    std::vector<uint32_t> ids;
    t->Encode(w, &ids);
    EXPECT_EQ(Gpt2PreTokenize(w.substr(0, 4096)).size(), 1u);  // one piece: a single word
    EXPECT_LE(ids.size(), w.size());
    EXPECT_EQ(t->Decode(ids), w);
  }
}

TEST(PreTokenizer, SplitsLikeTheRegex) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Gpt2PreTokenize("Hello, world! It's"), (V{"Hello", ",", " world", "!", " It", "'s"}));
  EXPECT_EQ(Gpt2PreTokenize("a  b"), (V{"a", " ", " b"}));
  EXPECT_EQ(Gpt2PreTokenize("a \n b"), (V{"a", " \n", " b"}));
  EXPECT_EQ(Gpt2PreTokenize("x\n\n\ny"), (V{"x", "\n\n", "\n", "y"}));
  EXPECT_EQ(Gpt2PreTokenize("end  "), (V{"end", "  "}));
  EXPECT_EQ(Gpt2PreTokenize(" 's 'll'x"), (V{" '", "s", " '", "ll", "'", "x"}));
  EXPECT_EQ(Gpt2PreTokenize("they're"), (V{"they", "'re"}));
  EXPECT_EQ(Gpt2PreTokenize("abc123 45"), (V{"abc", "123", " 45"}));
  EXPECT_EQ(Gpt2PreTokenize(" !?x"), (V{" !?", "x"}));
  EXPECT_EQ(Gpt2PreTokenize("a\u3000b"), (V{"a", "\u3000", "b"}));  // ideographic space is \s
  EXPECT_EQ(Gpt2PreTokenize("日本語 x"), (V{"日本語", " x"}));
}

TEST(PreTokenizer, SafeSplits) {
  EXPECT_TRUE(IsSafeSplit("a\nb", 1));
  EXPECT_FALSE(IsSafeSplit(" \nb", 1));
  EXPECT_FALSE(IsSafeSplit("ab", 1));
  EXPECT_FALSE(IsSafeSplit("\nb", 0));
}

TEST(Utf8, WhatwgReplacement) {
  EXPECT_TRUE(utf8::IsValid("plain ascii"));
  EXPECT_TRUE(utf8::IsValid("naïve 日本語 🎉 \xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(utf8::IsValid("\xED\xA0\x80"));          // surrogate
  EXPECT_FALSE(utf8::IsValid("\xF4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(utf8::IsValid("\xC0\x80"));              // overlong
  EXPECT_FALSE(utf8::IsValid("\xE2\x82"));              // truncated
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(utf8::ReplaceInvalid("a\xE2\x82z"), "a" + r + "z");          // one maximal subpart
  EXPECT_EQ(utf8::ReplaceInvalid("\xED\xA0\x80"), r + r + r);            // ED then A0, 80
  EXPECT_EQ(utf8::ReplaceInvalid("\xF0\x9F\x98"), r);                    // truncated 4-byte
  EXPECT_EQ(utf8::ReplaceInvalid("\xF0\x9F\x98\xF0\x9F\x98\x80"), r + "\xF0\x9F\x98\x80");
  EXPECT_EQ(utf8::ReplaceInvalid("\xC0\xAF\xFF"), r + r + r);
  EXPECT_EQ(utf8::ReplaceInvalid("ok"), "ok");
}

std::string LongMixedText() {
  const std::string base =
      "Call me Ishmael. Some years ago\xE2\x80\x94never mind how long precisely\xE2\x80\x94having"
      " little or no money in my purse,\n  and nothing particular to interest me on shore,\n\n"
      "def f(x):\n    return x  # it's 2024\n\xFF\xC0 naïve café 日本語 🎉\n";
  std::string text;
  for (int i = 0; text.size() < (5u << 18); ++i) text += base + std::to_string(i) + "\n";
  return text;
}

TEST(Parallel, EncodeParallelEqualsEncode) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  const std::string text = LongMixedText();
  std::vector<uint32_t> one, many;
  t->Encode(text, &one);
  t->EncodeParallel(text, 3, &many);
  EXPECT_EQ(one, many);
  std::vector<uint32_t> no_newlines;
  const std::string single_line((1 << 19) + 1000, 'x');  // > 2 chunks' worth, no newline
  t->EncodeParallel(single_line, 2, &no_newlines);
  std::vector<uint32_t> expected;
  t->Encode(single_line, &expected);
  EXPECT_EQ(no_newlines, expected);
}

TEST(Parallel, EncodeDocumentsEqualsEncode) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  const std::string text = LongMixedText().substr(0, 200000);
  std::vector<std::string_view> docs;
  for (size_t i = 0; i + 997 < text.size(); i += 997) docs.push_back(std::string_view(text).substr(i, 997));
  for (int threads : {1, 2, 5}) {
    const auto ids = EncodeDocuments(*t, docs, threads);
    ASSERT_EQ(ids.size(), docs.size());
    for (size_t i = 0; i < docs.size(); ++i) {
      std::vector<uint32_t> want;
      t->Encode(docs[i], &want);
      ASSERT_EQ(ids[i], want) << "document " << i << " threads " << threads;
    }
  }
}

// The error a load failed with: its message, and that it is InvalidArgument (malformed or missing
// input files); "" (with a test failure) if the load succeeded or failed with another code.
std::string BadInputMessage(const absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>>& loaded) {
  if (loaded.ok()) {
    ADD_FAILURE() << "loaded, expected an InvalidArgument error";
    return "";
  }
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << loaded.status();
  return std::string(loaded.status().message());
}

TEST(Files, ErrorsNameFileAndLineOrToken) {
  const std::string bpe = "#version: 0.2\n";
  std::string error =
      BadInputMessage(Gpt2Tokenizer::FromContents("{\n\"a\": 0,\n\"b\" 1}", bpe, "enc.json", "v.bpe"));
  EXPECT_EQ(error.rfind("enc.json: parse error at line 3, column 5: ", 0), 0u) << error;
  error = BadInputMessage(Gpt2Tokenizer::FromContents("[1, 2]", bpe, "enc.json", "v.bpe"));
  EXPECT_EQ(error, "enc.json: not a JSON object");
  error = BadInputMessage(Gpt2Tokenizer::FromContents("{\"a\": -1}", bpe, "enc.json", "v.bpe"));
  EXPECT_EQ(error, "enc.json: token \"a\": the id must be a non-negative integer below 2^31");
  error = BadInputMessage(Gpt2Tokenizer::FromContents("{\"\\u20ac\": 0}", bpe, "enc.json", "v.bpe"));
  EXPECT_NE(error.find("outside GPT-2's byte alphabet"), std::string::npos) << error;
  // The real encoder.json with a broken merge line.
  const std::string root = paths::WorkspaceRoot();
  std::ifstream in(Gpt2EncoderJsonPath(root), std::ios::binary);
  ASSERT_TRUE(in) << "GPT-2 files missing";
  const std::string enc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  error = BadInputMessage(
      Gpt2Tokenizer::FromContents(enc, "#version: 0.2\nĠ t\nh e x\n", "e.json", "v.bpe"));
  EXPECT_NE(error.find("v.bpe:3: expected \"left right\""), std::string::npos) << error;
  error = BadInputMessage(Gpt2Tokenizer::FromContents(enc, "#version: 0.2\nh e\n", "e.json", "v.bpe"));
  EXPECT_NE(error.find("v.bpe:2: merge \"h e\" should make token id 256"), std::string::npos)
      << error;
  error = BadInputMessage(LoadGpt2TokenizerFiles("/nonexistent/encoder.json", "/x"));
  EXPECT_EQ(error, "/nonexistent/encoder.json: cannot open: No such file or directory");
}

}  // namespace
}  // namespace datawall::data
