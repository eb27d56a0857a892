// Shard format: round trip at both token widths, and every kind of damage refused on Open.
#include "data/shard.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace datawall::data {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::vector<uint32_t>> SampleDocuments(uint32_t vocab) {
  std::vector<std::vector<uint32_t>> docs = {{1, 2, 3}, {}, {vocab - 1}, {}};
  std::vector<uint32_t> long_doc;
  for (uint32_t i = 0; i < 1001; ++i) long_doc.push_back((i * 7919u) % vocab);
  docs.push_back(long_doc);
  return docs;
}

void ExpectRoundTrip(uint32_t vocab) {
  const std::string path = TempPath("round_trip_" + std::to_string(vocab) + ".shard");
  const auto docs = SampleDocuments(vocab);
  ShardInfo info{"test_tok", vocab, "corpus0123"};
  ASSERT_EQ(WriteShard(path, info, docs), "");
  std::string error;
  auto shard = Shard::Open(path, &error);
  ASSERT_NE(shard, nullptr) << error;
  EXPECT_EQ(shard->info().tokenizer_id, "test_tok");
  EXPECT_EQ(shard->info().vocab_size, vocab);
  EXPECT_EQ(shard->info().corpus_hash, "corpus0123");
  ASSERT_EQ(shard->num_documents(), static_cast<int64_t>(docs.size()));
  int64_t pos = 0;
  for (size_t d = 0; d < docs.size(); ++d) {
    EXPECT_EQ(shard->document_start(d), pos);
    for (uint32_t t : docs[d]) EXPECT_EQ(shard->token(pos++), t);
  }
  EXPECT_EQ(shard->num_tokens(), pos);
  EXPECT_EQ(shard->document_start(docs.size()), pos);
  std::vector<int32_t> copy(3);
  shard->CopyTokens(0, 3, copy.data());
  EXPECT_EQ(copy, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(shard->checksum().size(), 16u);
}

TEST(ShardTest, RoundTripTwoByteTokens) { ExpectRoundTrip(50257); }
TEST(ShardTest, RoundTripFourByteTokens) { ExpectRoundTrip(70000); }

TEST(ShardTest, TwoByteWidthIsSmallerThanFourByte) {
  const auto docs = SampleDocuments(1024);
  ASSERT_EQ(WriteShard(TempPath("w2.shard"), {"t", 65536, "h"}, docs), "");
  ASSERT_EQ(WriteShard(TempPath("w4.shard"), {"t", 65537, "h"}, docs), "");
  EXPECT_LT(ReadAll(TempPath("w2.shard")).size(), ReadAll(TempPath("w4.shard")).size());
}

TEST(ShardTest, ChecksumIdentifiesContent) {
  auto docs = SampleDocuments(1000);
  ASSERT_EQ(WriteShard(TempPath("a.shard"), {"t", 1000, "h"}, docs), "");
  docs[0][1] = 5;
  ASSERT_EQ(WriteShard(TempPath("b.shard"), {"t", 1000, "h"}, docs), "");
  std::string error;
  auto a = Shard::Open(TempPath("a.shard"), &error);
  auto b = Shard::Open(TempPath("b.shard"), &error);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->checksum(), b->checksum());
}

TEST(ShardTest, MissingFileNamesPath) {
  std::string error;
  EXPECT_EQ(Shard::Open(TempPath("nope.shard"), &error), nullptr);
  EXPECT_NE(error.find("nope.shard"), std::string::npos) << error;
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
}

class DamagedShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath("damaged.shard");
    ASSERT_EQ(WriteShard(path_, {"t", 1000, "h"}, SampleDocuments(1000)), "");
    bytes_ = ReadAll(path_);
  }
  std::string OpenError(const std::string& bytes) {
    WriteAll(path_, bytes);
    std::string error;
    auto shard = Shard::Open(path_, &error);
    EXPECT_EQ(shard, nullptr);
    EXPECT_NE(error.find(path_), std::string::npos) << error;
    return error;
  }
  std::string path_;
  std::string bytes_;
};

TEST_F(DamagedShardTest, FlippedPayloadByte) {
  std::string bytes = bytes_;
  bytes[300] ^= 0x01;
  EXPECT_NE(OpenError(bytes).find("checksum mismatch"), std::string::npos);
}

TEST_F(DamagedShardTest, FlippedHeaderByte) {
  std::string bytes = bytes_;
  bytes[40] ^= 0x01;  // inside the payload checksum field
  EXPECT_NE(OpenError(bytes).find("header checksum"), std::string::npos);
}

TEST_F(DamagedShardTest, BadMagic) {
  std::string bytes = bytes_;
  bytes[0] = 'X';
  EXPECT_NE(OpenError(bytes).find("bad magic"), std::string::npos);
}

TEST_F(DamagedShardTest, TruncatedAnywhere) {
  for (size_t keep : {size_t{0}, size_t{10}, size_t{255}, size_t{256}, bytes_.size() / 2,
                      bytes_.size() - 1}) {
    const std::string error = OpenError(bytes_.substr(0, keep));
    EXPECT_FALSE(error.empty()) << keep;
  }
  EXPECT_NE(OpenError(bytes_.substr(0, bytes_.size() - 8)).find("truncated"), std::string::npos);
}

TEST_F(DamagedShardTest, TrailingBytes) {
  EXPECT_NE(OpenError(bytes_ + "x").find("trailing"), std::string::npos);
}

TEST(ShardTest, WriteRefusesTokensOutsideVocabulary) {
  const std::string path = TempPath("bad_vocab.shard");
  const std::string error = WriteShard(path, {"t", 10, "h"}, {{1, 2, 10}});
  EXPECT_NE(error.find("outside the vocabulary"), std::string::npos) << error;
  EXPECT_NE(error.find(path), std::string::npos) << error;
  std::string open_error;
  EXPECT_EQ(Shard::Open(path, &open_error), nullptr);  // nothing was written
}

TEST(ShardTest, EmptyShardLoads) {
  const std::string path = TempPath("empty.shard");
  ASSERT_EQ(WriteShard(path, {"t", 10, "h"}, {}), "");
  std::string error;
  auto shard = Shard::Open(path, &error);
  ASSERT_NE(shard, nullptr) << error;
  EXPECT_EQ(shard->num_tokens(), 0);
  EXPECT_EQ(shard->num_documents(), 0);
}

TEST(ShardTest, RewriteReplacesAtomically) {
  const std::string path = TempPath("rewrite.shard");
  ASSERT_EQ(WriteShard(path, {"t", 100, "h"}, {{1, 2}}), "");
  ASSERT_EQ(WriteShard(path, {"t", 100, "h"}, {{3, 4, 5}}), "");
  std::string error;
  auto shard = Shard::Open(path, &error);
  ASSERT_NE(shard, nullptr) << error;
  EXPECT_EQ(shard->num_tokens(), 3);
  EXPECT_EQ(shard->token(0), 3u);
}

}  // namespace
}  // namespace datawall::data
