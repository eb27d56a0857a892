// The small-vocabulary tokenizer (SentencePiece BPE): deterministic training, round trips through
// byte fallback, the id naming the model, and clear errors. Trains on 52 KB of Moby Dick.
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/factory.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

std::string Corpus() {
  return paths::WorkspaceRoot() + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt";
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SmallVocab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = TempPath("sp512.model");
    trained_ = TrainSmallVocabTokenizer({Corpus()}, 512, model_);
  }
  static std::string model_;
  static absl::Status trained_;
};
std::string SmallVocab::model_;
absl::Status SmallVocab::trained_;

TEST_F(SmallVocab, TrainsDeterministically) {
  ASSERT_TRUE(trained_.ok()) << trained_;
  const std::string again = TempPath("sp512_again.model");
  ASSERT_TRUE(TrainSmallVocabTokenizer({Corpus()}, 512, again).ok());
  const std::string a = ReadAll(model_), b = ReadAll(again);
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, b) << "two trainings on the same input gave different model files";
}

TEST_F(SmallVocab, LoadsWithIdVocabAndSeparator) {
  ASSERT_TRUE(trained_.ok()) << trained_;
  absl::StatusOr<std::unique_ptr<Tokenizer>> loaded = LoadSmallVocabTokenizer(model_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const Tokenizer* t = loaded->get();
  EXPECT_EQ(t->vocab_size(), 512u);
  EXPECT_EQ(t->id().rfind("sp_bpe512_", 0), 0u) << t->id();
  EXPECT_EQ(t->id().size(), std::string("sp_bpe512_").size() + 16);
  EXPECT_EQ(t->end_of_text(), 1u);
  // A different model (other vocabulary size) has a different id.
  const std::string other = TempPath("sp600.model");
  ASSERT_TRUE(TrainSmallVocabTokenizer({Corpus()}, 600, other).ok());
  absl::StatusOr<std::unique_ptr<Tokenizer>> u = LoadSmallVocabTokenizer(other);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_NE((*u)->id(), t->id());
  EXPECT_EQ((*u)->vocab_size(), 600u);
}

TEST_F(SmallVocab, RoundTripsAnyValidText) {
  ASSERT_TRUE(trained_.ok()) << trained_;
  absl::StatusOr<std::unique_ptr<Tokenizer>> loaded = LoadSmallVocabTokenizer(model_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const Tokenizer* t = loaded->get();
  const std::string text = ReadAll(Corpus()).substr(0, 5000);
  for (const std::string& s :
       {text, std::string("  two  spaces,\ttab\nnewline\n\n"), std::string("日本語 🎉 naïve ΑΒΓ"),
        std::string("def f(x):\n    return x  # comment\n"), std::string(""), std::string(" "),
        std::string("\x01\x7f")}) {
    std::vector<uint32_t> ids;
    t->Encode(s, &ids);
    for (uint32_t id : ids) ASSERT_LT(id, t->vocab_size());
    EXPECT_EQ(t->Decode(ids), s);
  }
  // Ill-formed UTF-8: the WHATWG replacement GPT-2 uses (one U+FFFD per maximal subpart).
  std::vector<uint32_t> bad;
  t->Encode("x\xE2\x82y\xFF", &bad);
  EXPECT_EQ(t->Decode(bad), "x\uFFFDy\uFFFD");
  // Compression on the training text: BPE merges must beat one token per byte.
  std::vector<uint32_t> ids;
  t->Encode(text, &ids);
  EXPECT_LT(ids.size() * 2, text.size());
}

TEST(SmallVocabErrors, ClearMessages) {
  // Missing or malformed inputs are InvalidArgument, naming the file or the bad value.
  const absl::Status missing_text =
      TrainSmallVocabTokenizer({"/nonexistent/x.txt"}, 512, TempPath("x.model"));
  EXPECT_EQ(missing_text.code(), absl::StatusCode::kInvalidArgument) << missing_text;
  EXPECT_NE(missing_text.message().find("/nonexistent/x.txt"), std::string::npos) << missing_text;
  const absl::Status tiny = TrainSmallVocabTokenizer({Corpus()}, 10, TempPath("x.model"));
  EXPECT_EQ(tiny.code(), absl::StatusCode::kInvalidArgument) << tiny;
  EXPECT_NE(tiny.message().find("vocab_size"), std::string::npos) << tiny;
  const absl::Status none = TrainSmallVocabTokenizer({}, 512, TempPath("x.model"));
  EXPECT_EQ(none.code(), absl::StatusCode::kInvalidArgument) << none;
  absl::StatusOr<std::unique_ptr<Tokenizer>> loaded = LoadSmallVocabTokenizer("/nonexistent/m.model");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << loaded.status();
  EXPECT_NE(loaded.status().message().find("/nonexistent/m.model"), std::string::npos);
  const std::string junk = TempPath("junk.model");
  std::ofstream(junk) << "not a model";
  loaded = LoadSmallVocabTokenizer(junk);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << loaded.status();
  EXPECT_NE(loaded.status().message().find("junk.model"), std::string::npos) << loaded.status();
  // Failing to write the model (a directory that does not exist) is Internal.
  const absl::Status unwritable =
      TrainSmallVocabTokenizer({Corpus()}, 512, TempPath("no_such_dir/x.model"));
  EXPECT_EQ(unwritable.code(), absl::StatusCode::kInternal) << unwritable;
  EXPECT_NE(unwritable.message().find("no_such_dir/x.model"), std::string::npos) << unwritable;
}

}  // namespace
}  // namespace datawall::data
